#!/usr/bin/env node
// `node scripts/together.mjs A B …`: runs the npm scripts A, B, … side by side and fails if any
// of them fails, after all have ended (nothing is cut short, so every failure is reported).
// Each output line is prefixed with its script's name. `npm run check` uses it: the linters and
// the type checker are one single-threaded process each on a 2-core machine.
// Plain JavaScript on purpose: it runs before anything is compiled.
import { runScript } from './prefixed.mjs';

const scripts = process.argv.slice(2);
if (scripts.length === 0) {
  process.stderr.write('usage: node scripts/together.mjs SCRIPT [SCRIPT …]\n');
  process.exit(2);
}
const width = Math.max(...scripts.map((s) => s.length));
const codes = await Promise.all(scripts.map((script) => runScript(script, width)));
process.exitCode = codes.find((c) => c !== 0) ?? 0;
