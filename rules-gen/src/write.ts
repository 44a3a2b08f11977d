/**
 * Writes generated files all-or-nothing: every file goes to a temporary sibling first,
 * and only when all are written are they renamed into place (a failed run never leaves
 * half a configuration, sloth #675). Files a previous run generated and this one does not
 * (a test suite of an alert now switched off, an unused secret) are removed.
 */
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { GeneratedFiles } from './generate.js';
import { GENERATED_MARK } from './yaml.js';

export interface WriteResult {
  written: string[];
  unchanged: string[];
  removed: string[];
}

/** Generated files already in `dir`: the main files, tests/*.yml we wrote, secrets/*. */
export function readGenerated(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  const read = (rel: string) => {
    const file = path.join(dir, rel);
    if (existsSync(file) && statSync(file).isFile()) out.set(rel, readFileSync(file, 'utf8'));
  };
  for (const name of ['prometheus.yml', 'rules.yml', 'alertmanager.yml']) read(name);
  for (const sub of ['tests', 'secrets']) {
    const folder = path.join(dir, sub);
    if (!existsSync(folder)) continue;
    for (const name of readdirSync(folder).sort()) {
      if (name.startsWith('.')) continue;
      const rel = `${sub}/${name}`;
      read(rel);
      // Only our own test files: a hand-written suite beside them is left alone.
      if (sub === 'tests' && out.has(rel) && !out.get(rel)!.includes(GENERATED_MARK)) out.delete(rel);
    }
  }
  return new Map([...out.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/** Writes `files` into `dir` atomically (temp + rename), skipping files that are unchanged. */
export function writeGenerated(dir: string, files: GeneratedFiles): WriteResult {
  const existing = readGenerated(dir);
  const result: WriteResult = { written: [], unchanged: [], removed: [] };
  const staged: Array<{ tmp: string; target: string }> = [];
  const suffix = `.tmp-${process.pid}-${randomBytes(4).toString('hex')}`;
  try {
    for (const [rel, file] of files) {
      const target = path.join(dir, rel);
      if (existing.get(rel) === file.content && (statSync(target).mode & 0o777) === file.mode) {
        result.unchanged.push(rel);
        continue;
      }
      mkdirSync(path.dirname(target), { recursive: true, mode: rel.startsWith('secrets/') ? 0o700 : 0o755 });
      const tmp = `${target}${suffix}`;
      writeFileSync(tmp, file.content, { mode: file.mode, flag: 'wx' });
      chmodSync(tmp, file.mode); // the umask may have narrowed or widened it
      staged.push({ tmp, target });
      result.written.push(rel);
    }
  } catch (error) {
    for (const s of staged) rmSync(s.tmp, { force: true });
    throw error;
  }
  for (const s of staged) renameSync(s.tmp, s.target);
  for (const rel of existing.keys()) {
    if (!files.has(rel)) {
      rmSync(path.join(dir, rel), { force: true });
      result.removed.push(rel);
    }
  }
  return result;
}
