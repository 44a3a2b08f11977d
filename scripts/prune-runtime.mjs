#!/usr/bin/env node
// The Docker image's runtime stage runs this after `npm ci --omit=dev`: it removes what only
// builds and tests need (TypeScript sources, test folders, the test kit, the Gherkin features,
// benchmarks, the panel's sources, whose dist/ the image copies in afterwards) and fails when a
// test or build tool is still installed. cli/test/runtime.test.ts runs it on a copy of the tree,
// so what the image ships is checked where Docker cannot run.
// Plain JavaScript on purpose: the runtime stage has no transpiler.
//   node scripts/prune-runtime.mjs FOLDER   (never a checkout: it refuses a folder with .git)
import { existsSync, readdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** Folders and files removed from the image, relative to its root. */
export const REMOVED = [
  'test-support',
  'features',
  'bench',
  '.ci',
  'grafana/panel',
  'cucumber.mjs',
  'node_modules/@traderadmin/test-support',
];
/** Packages that must not be installed in the image: test runners, browsers, transpilers, linters. */
export const FORBIDDEN = [
  'vitest',
  'tsx',
  '@cucumber/cucumber',
  'playwright-core',
  'esbuild',
  'typescript',
  'eslint',
  'prettier',
  'mailparser',
  'smtp-server',
];

/** Removes what the runtime does not need below `root`; returns the forbidden packages still installed. */
export function pruneRuntime(root) {
  for (const rel of REMOVED) rmSync(path.join(root, rel), { recursive: true, force: true });
  const walk = (dir) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) {
        if (entry.name === 'node_modules') continue;
        // Every workspace's tests.
        if (entry.name === 'test') rmSync(full, { recursive: true, force: true });
        else walk(full);
      } else if (/\.m?ts$/.test(entry.name)) rmSync(full, { force: true });
    }
  };
  walk(root);
  return FORBIDDEN.filter((name) => existsSync(path.join(root, 'node_modules', name)));
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const root = process.argv[2] && path.resolve(process.argv[2]);
  if (!root || !existsSync(path.join(root, 'package.json')) || existsSync(path.join(root, '.git'))) {
    process.stderr.write('prune-runtime: give the image folder (a copy with package.json, not a git checkout)\n');
    process.exit(2);
  }
  const left = pruneRuntime(root);
  if (left.length) {
    process.stderr.write(`prune-runtime: test or build tools installed in the runtime image: ${left.join(', ')}\n`);
    process.exit(1);
  }
}
