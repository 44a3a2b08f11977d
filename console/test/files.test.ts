import { chmodSync, lstatSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { writeFileAtomic } from '../src/files.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});
const folder = () => {
  const d = mkdtempSync(path.join(tmpdir(), 'alerts-page-files-'));
  dirs.push(d);
  return d;
};

describe('writing config.toml atomically', () => {
  it('replaces the content, keeps the permission bits, and leaves no temporary file', () => {
    const d = folder();
    const file = path.join(d, 'config.toml');
    writeFileSync(file, 'old\n');
    chmodSync(file, 0o640);
    writeFileAtomic(file, 'new\n');
    expect(readFileSync(file, 'utf8')).toBe('new\n');
    expect(statSync(file).mode & 0o777).toBe(0o640);
    expect(readdirSync(d)).toEqual(['config.toml']);
  });

  it('creates a new file with the given mode', () => {
    const d = folder();
    writeFileAtomic(path.join(d, 'secret.bak'), 'x', 0o600);
    expect(statSync(path.join(d, 'secret.bak')).mode & 0o777).toBe(0o600);
  });

  it('keeps a symlinked config.toml a symlink, and writes the file it points to', () => {
    const d = folder();
    const real = path.join(d, 'real.toml');
    const link = path.join(d, 'config.toml');
    writeFileSync(real, 'old\n');
    symlinkSync(real, link);
    writeFileAtomic(link, 'new\n');
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
    expect(readFileSync(real, 'utf8')).toBe('new\n');
  });
});
