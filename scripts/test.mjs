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

/** Runs one step with the terminal; resolves true when it exits 0. */
function step(command, ...args) {
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd: root, stdio: 'inherit' });
    child.on('error', () => resolve(false));
    child.on('close', (code) => resolve(code === 0));
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
