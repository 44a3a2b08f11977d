#!/usr/bin/env node
// Brings a fresh checkout to a runnable state before `npm start` and `npm test`:
// the right Node, the npm dependencies, and the Debian packages the stack and tests use.
// It installs what it can (npm ci; apt-get when root) and otherwise says in one line what to run.
// Plain JavaScript on purpose: it runs before any dependency (tsx included) is installed.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const purpose = process.argv.includes('--for') ? process.argv[process.argv.indexOf('--for') + 1] : 'stack';

/** Debian packages each purpose needs, keyed by the binary that proves them installed. */
const PACKAGES = {
  stack: {
    prometheus: 'prometheus',
    'prometheus-alertmanager': 'prometheus-alertmanager',
    promtool: 'prometheus',
    amtool: 'prometheus-alertmanager',
  },
  tests: {
    prometheus: 'prometheus',
    'prometheus-alertmanager': 'prometheus-alertmanager',
    promtool: 'prometheus',
    amtool: 'prometheus-alertmanager',
    chromium: 'chromium',
  },
};

function say(line) {
  process.stderr.write(`bootstrap: ${line}\n`);
}

function fail(line) {
  say(line);
  process.exit(1);
}

function have(binary) {
  return spawnSync('sh', ['-c', `command -v ${binary}`], { stdio: 'ignore' }).status === 0;
}

function checkNode() {
  const [major, minor] = process.versions.node.split('.').map(Number);
  if (major < 20 || (major === 20 && minor < 19))
    fail(`Node ${process.versions.node} is too old: install Node 20.19 or newer (Node 22 works too).`);
}

function npmDependencies() {
  const lock = path.join(root, 'package-lock.json');
  const installed = path.join(root, 'node_modules/.package-lock.json');
  const stale = !existsSync(installed) || statSync(lock).mtimeMs > statSync(installed).mtimeMs + 1000;
  if (!stale) return;
  say('installing npm dependencies (npm ci)…');
  const result = spawnSync('npm', ['ci', '--no-audit', '--no-fund'], { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) fail('npm ci failed: see the output above.');
}

/**
 * The Grafana panel is its own npm project (Grafana's toolchain pins its own versions). Its lock
 * lacks other platforms' optional @swc/core-* builds that some registries do not serve, so
 * `npm ci` refuses it; `npm install` keeps every locked version and leaves the lock unchanged.
 */
function panelDependencies() {
  const panel = path.join(root, 'grafana/panel');
  const installed = path.join(panel, 'node_modules/.package-lock.json');
  const stale = !existsSync(installed) || statSync(path.join(panel, 'package-lock.json')).mtimeMs > statSync(installed).mtimeMs + 1000;
  if (!stale) return;
  say('installing the Grafana panel dependencies (grafana/panel, about a minute)…');
  const result = spawnSync('npm', ['install', '--no-audit', '--no-fund'], { cwd: panel, stdio: 'inherit' });
  if (result.status !== 0) fail('npm install in grafana/panel failed: see the output above.');
}

function debianPackages() {
  const wanted = PACKAGES[purpose] ?? PACKAGES.stack;
  const missing = [
    ...new Set(
      Object.entries(wanted)
        .filter(([binary]) => !have(binary))
        .map(([, pkg]) => pkg),
    ),
  ];
  if (missing.length === 0) return;
  const command = `apt-get update && apt-get install -y --no-install-recommends ${missing.join(' ')}`;
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  if (!isRoot || !have('apt-get')) fail(`missing ${missing.join(', ')}: run  sudo sh -c '${command}'  then try again.`);
  say(`installing Debian packages: ${missing.join(' ')}…`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  for (const args of [
    ['update', '-qq'],
    ['install', '-y', '-qq', '--no-install-recommends', ...missing],
  ]) {
    try {
      execFileSync('apt-get', args, { stdio: ['ignore', 'ignore', 'inherit'], env });
    } catch {
      fail(`apt-get ${args[0]} failed: run  ${command}  by hand to see why.`);
    }
  }
}

checkNode();
if (!existsSync(path.join(root, 'package-lock.json'))) fail('package-lock.json is missing: run this from a full checkout.');
readFileSync(path.join(root, 'package.json'));
npmDependencies();
if (purpose === 'tests') panelDependencies();
debianPackages();
