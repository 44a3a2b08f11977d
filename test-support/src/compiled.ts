/**
 * Tests that spawn `bin/traderadmin.mjs` run the compiled dist/, as users do. This compiles it
 * first when a source is newer (a few ms when it is up to date); vitest's globalSetup and the
 * Cucumber support call it, so a test never runs yesterday's build.
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export function ensureCompiled(): void {
  const r = spawnSync(process.execPath, [path.join(ROOT, 'scripts/build.mjs'), '--if-stale'], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`npm run build failed:\n${r.stderr}`);
}

/** vitest globalSetup entry. */
export function setup(): void {
  ensureCompiled();
}
