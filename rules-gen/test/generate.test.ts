/** generate() as a whole (deterministic, headed with the source's sha256) and writeGenerated(). */
import { readFileSync, readdirSync, writeFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { GENERATED_MARK, generate, readGenerated, writeGenerated } from '../src/index.js';
import { EXAMPLE, gen, loaded, tempDir } from './helpers.js';

describe('generate', () => {
  it('is deterministic, sorted, and heads every non-secret file with the source sha256', () => {
    const l = loaded(EXAMPLE);
    const a = generate(l);
    const b = generate(l);
    expect([...a.keys()]).toEqual([...a.keys()].sort());
    expect([...a.entries()]).toEqual([...b.entries()]);
    expect([...a.keys()]).toEqual(
      expect.arrayContaining(['prometheus.yml', 'rules.yml', 'alertmanager.yml', 'tests/OrderLatencyHigh.yml']),
    );
    for (const [p, f] of a) {
      if (f.secret) continue;
      expect(f.content, p).toContain(`# ${GENERATED_MARK}`);
      expect(f.content, p).toContain(`# source sha256: ${l.sha256}`);
    }
  });
});

describe('writeGenerated', () => {
  it('writes, skips unchanged files, and removes generated files that are no longer produced', () => {
    const dir = tempDir();
    const first = writeGenerated(dir, gen({}));
    expect(first.written).toContain('tests/ComponentDown.yml');
    writeFileSync(path.join(dir, 'tests/my-own.yml'), 'rule_files: []\n');
    const again = writeGenerated(dir, gen({}));
    expect(again.written).toEqual([]);
    const off = writeGenerated(dir, gen({ 'exporter.heartbeat_components': '[]' }));
    expect(off.removed).toEqual(['tests/ComponentDown.yml']);
    expect(existsSync(path.join(dir, 'tests/my-own.yml'))).toBe(true);
    expect(readdirSync(dir).filter((n) => n.includes('.tmp-'))).toEqual([]);
    expect(readGenerated(dir).get('rules.yml')).toBe(readFileSync(path.join(dir, 'rules.yml'), 'utf8'));
  });
});
