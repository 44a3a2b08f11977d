#!/usr/bin/env node
// `npm test`, in two lanes that share the 2-core machine by what each step spends:
//
//   root:   bootstrap (npm ci, Debian packages) → checks → build → unit tests ‖ scenarios
//   panel:  grafana/panel's npm ci ─────────────────────────────→ panel checks (after the unit tests)
//
// The unit tests use about 1.3 cores and the Cucumber scenarios about 0.3 (each mostly waits on
// real Prometheus and Alertmanager timing), so the two run side by side. The panel's checks
// (webpack, tsc, jest, ESLint: CPU-bound) wait for the unit tests to end and then run beside the
// rest of the scenarios; its install (its own npm project, one to three minutes) goes on from
// the start beside whatever runs. Every step says how long it took.
// Plain JavaScript on purpose: it runs before any dependency (tsx included) is installed.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { runScript } from './prefixed.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const started = Date.now();
const seconds = (since) => `${((Date.now() - since) / 1000).toFixed(1)} s`;
const said = (what, passed, since) =>
  process.stdout.write(`npm test: ${what} ${passed ? 'passed' : 'FAILED'} in ${seconds(since)} (${seconds(started)} since the start)\n`);

/** Runs one step with the terminal and says how long it took; resolves true when it exits 0. */
function step(what, command, ...args) {
  const since = Date.now();
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd: root, stdio: 'inherit' });
    const end = (passed) => {
      said(what, passed, since);
      resolve(passed);
    };
    child.on('error', () => end(false));
    child.on('close', (code) => end(code === 0));
  });
}

/** `npm run <script>` with prefixed lines; resolves true when it passed. */
async function lane(script) {
  const since = Date.now();
  const passed = (await runScript(script, 'test:features'.length)) === 0;
  said(script, passed, since);
  return passed;
}

const panelInstalled = step('the panel install', 'node', 'scripts/bootstrap.mjs', '--for', 'panel');
const ready =
  (await step('the install', 'node', 'scripts/bootstrap.mjs', '--for', 'tests')) &&
  (await step('the checks', 'npm', 'run', 'check')) &&
  (await step('the build', 'node', 'scripts/build.mjs'));
if (!ready) {
  await panelInstalled; // nothing is left installing after npm test ends
  process.exit(1);
}
const unit = lane('test:unit');
const features = lane('test:features');
const panel = Promise.all([panelInstalled, unit]).then(([installed]) => installed && lane('test:panel'));
const passed = await Promise.all([unit, features, panel]);
process.exit(passed.every(Boolean) ? 0 : 1);
