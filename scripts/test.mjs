#!/usr/bin/env node
// `npm test`: the bootstrap, the checks and the build, the unit tests, then the scenarios beside
// the panel's checks. The Grafana panel's install (its own npm project: one to two minutes) runs
// beside the root install and then the checks, which do not need it; the build (the console's
// bundle reads a panel source file) and the unit tests wait for it, so no timing-sensitive test
// shares the machine with an install.
// Plain JavaScript on purpose: it runs before any dependency (tsx included) is installed.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

const started = Date.now();
const seconds = (since) => `${((Date.now() - since) / 1000).toFixed(1)} s`;

/** Runs one step with the terminal and says how long it took; resolves true when it exits 0. */
function step(command, ...args) {
  const name = args.filter((a) => !a.startsWith('-') && a !== 'run').join(' ');
  const since = Date.now();
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd: root, stdio: 'inherit' });
    const end = (passed) => {
      process.stdout.write(
        `npm test: ${name} ${passed ? 'passed' : 'FAILED'} in ${seconds(since)} (${seconds(started)} since the start)\n`,
      );
      resolve(passed);
    };
    child.on('error', () => end(false));
    child.on('close', (code) => end(code === 0));
  });
}

function passOrExit(passed) {
  if (!passed) process.exit(1);
}

const panelInstalled = step('node', 'scripts/bootstrap.mjs', '--for', 'panel');
const ready = await step('node', 'scripts/bootstrap.mjs', '--for', 'tests');
const checked = ready && (await step('npm', 'run', 'check'));
// Waited for even when something failed: nothing is left installing after npm test ends.
passOrExit((await panelInstalled) && checked);
passOrExit(await step('node', 'scripts/build.mjs'));
passOrExit(await step('npm', 'run', 'test:unit'));
passOrExit(await step('node', 'scripts/together.mjs', 'test:features', 'test:panel'));
