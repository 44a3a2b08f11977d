#!/usr/bin/env node
// `node scripts/together.mjs A B …`: runs the npm scripts A, B, … side by side and fails if any
// of them fails, after all have ended (nothing is cut short, so every failure is reported).
// Each output line is prefixed with its script's name. Used where the steps of `npm test` do not
// compete for the same resource: the linters and the type checker are one single-threaded
// process each on a 2-core machine, and the Cucumber scenarios mostly wait on real time.
// Plain JavaScript on purpose: it runs before anything is compiled.
import { spawn } from 'node:child_process';
import { pipePrefixed } from './prefixed.mjs';

const scripts = process.argv.slice(2);
if (scripts.length === 0) {
  process.stderr.write('usage: node scripts/together.mjs SCRIPT [SCRIPT …]\n');
  process.exit(2);
}
const width = Math.max(...scripts.map((s) => s.length));

function run(script) {
  const started = Date.now();
  const tag = `[${script.padEnd(width)}]`;
  return new Promise((resolve) => {
    const child = spawn('npm', ['run', script], { stdio: ['ignore', 'pipe', 'pipe'] });
    pipePrefixed(child, tag);
    child.on('close', (code, signal) => {
      const secs = ((Date.now() - started) / 1000).toFixed(1);
      const ok = code === 0;
      (ok ? process.stdout : process.stderr).write(`${tag} ${ok ? 'passed' : `FAILED (${signal ?? `exit ${code}`})`} in ${secs} s\n`);
      resolve(ok ? 0 : (code ?? 1));
    });
  });
}

const codes = await Promise.all(scripts.map(run));
process.exitCode = codes.find((c) => c !== 0) ?? 0;
