import { mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ConfigHistory, sha256 } from '../src/history.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function history(keep = 50) {
  const root = mkdtempSync(path.join(tmpdir(), 'alerts-page-history-'));
  dirs.push(root);
  let t = Date.parse('2026-11-21T10:00:00.000Z');
  const h = new ConfigHistory({ dir: path.join(root, 'h'), keep, clock: () => new Date((t += 1000)) });
  return h;
}

describe('the history of applied configurations', () => {
  it('is empty before anything was recorded, even without its folder', () => {
    expect(history().list()).toEqual([]);
  });

  it('lists versions newest first with who, when, what and the text', () => {
    const h = history();
    h.record({ text: 'a = 1\n', user: 'alice', action: 'initial', summary: 'first' });
    h.record({ text: 'a = 2\n', user: 'bob', action: 'apply', summary: 'a 1 → 2' });
    const items = h.list();
    expect(items.map((i) => [i.user, i.action, i.at, i.summary])).toEqual([
      ['bob', 'apply', '2026-11-21T10:00:02.000Z', 'a 1 → 2'],
      ['alice', 'initial', '2026-11-21T10:00:01.000Z', 'first'],
    ]);
    expect(items[0].id).toBe(`00000002-20261121T100002000Z-${sha256('a = 2\n').slice(0, 8)}`);
    expect(h.read(items[1].id)).toEqual({ item: items[1], text: 'a = 1\n' });
  });

  it('keeps only the newest `keep` versions', () => {
    const h = history(3);
    for (let i = 1; i <= 5; i++) h.record({ text: `a = ${i}\n`, user: 'u', action: 'apply', summary: `${i}` });
    expect(h.list().map((i) => i.summary)).toEqual(['5', '4', '3']);
    expect(readdirSync(h.dir)).toHaveLength(6);
  });

  it('keeps the files readable by the owner only (they may hold secrets written in clear)', () => {
    const h = history();
    const item = h.record({ text: 'a = 1\n', user: 'u', action: 'apply', summary: '' });
    expect(statSync(path.join(h.dir, `${item.id}.toml`)).mode & 0o777).toBe(0o600);
    expect(statSync(h.dir).mode & 0o777).toBe(0o700);
  });

  it('gives two versions recorded in the same millisecond different ids, in recording order', () => {
    const root = mkdtempSync(path.join(tmpdir(), 'alerts-page-history-'));
    dirs.push(root);
    const h = new ConfigHistory({ dir: root, clock: () => new Date('2026-11-21T10:00:00.000Z') });
    const a = h.record({ text: 'x\n', user: 'u', action: 'apply', summary: '' });
    const b = h.record({ text: 'x\n', user: 'u', action: 'apply', summary: '' });
    expect(a.id).not.toBe(b.id);
    expect(h.list().map((i) => i.id)).toEqual([b.id, a.id]);
  });

  it.each([['../../etc/passwd'], ['00000001-20261121T100000000Z-zzzzzzzz'], ['']])('reads nothing for the id %j', (id) => {
    const h = history();
    h.record({ text: 'a\n', user: 'u', action: 'apply', summary: '' });
    expect(h.read(id)).toBeUndefined();
  });

  it('skips a stray or half-written metadata file', () => {
    const h = history();
    h.record({ text: 'a\n', user: 'u', action: 'apply', summary: '' });
    writeFileSync(path.join(h.dir, 'zz-broken.json'), '{');
    expect(h.list()).toHaveLength(1);
  });
});
