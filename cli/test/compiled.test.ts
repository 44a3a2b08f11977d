import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { BIN, NO_TYPESCRIPT, ROOT } from './helpers.js';

const node = (args: string[]) => spawnSync(process.execPath, args, { cwd: ROOT, encoding: 'utf8', timeout: 30_000 });

describe('the compiled command (dist/, written by npm run build)', () => {
  it('runs every subcommand without TypeScript or a transpiler', () => {
    const r = node(['--import', NO_TYPESCRIPT, BIN, '--help']);
    expect(r.stderr).not.toContain('no-typescript');
    expect(r.status).toBe(0);
    for (const command of ['up', 'emulator', 'exporter', 'bridge', 'page', 'generate', 'validate']) expect(r.stdout).toContain(command);
  });

  it('the guard the stack tests run under does refuse TypeScript and transpilers', () => {
    const ts = node(['--import', NO_TYPESCRIPT, '--input-type=module', '-e', "await import('./cli/src/paths.ts')"]);
    expect(ts.status).not.toBe(0);
    expect(ts.stderr).toContain('no-typescript: file://');
    const tsx = node(['--import', NO_TYPESCRIPT, '--input-type=module', '-e', "await import('tsx/esm/api')"]);
    expect(tsx.status).not.toBe(0);
    expect(tsx.stderr).toContain('no-typescript: tsx/esm/api was imported');
  });

  it('without a build, says how to make one', () => {
    const bin = path.join(mkdtempSync(path.join(tmpdir(), 'no-dist-')), 'bin/traderadmin.mjs');
    mkdirSync(path.dirname(bin));
    copyFileSync(BIN, bin);
    const r = node([bin, '--help']);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('dist/cli.mjs is missing: run `npm run build`');
  });
});
