#!/usr/bin/env node
// Brings a fresh checkout to a runnable state before `npm start` and `npm test`:
// the right Node, the npm dependencies, and the Debian packages the stack and tests use.
// It installs what it can (npm ci; apt-get when root) and otherwise says in one line what to run.
// Plain JavaScript on purpose: it runs before any dependency (tsx included) is installed.
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { pipePrefixed } from './prefixed.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const purpose = process.argv.includes('--for') ? process.argv[process.argv.indexOf('--for') + 1] : 'stack';
// `--for panel`: only the Grafana panel's npm dependencies (its own npm project, Grafana's toolchain
// pins its own versions). `npm test` (scripts/test.mjs) runs it beside `--for tests`.

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

/** `npm ci` in `cwd` (cache first: a warm machine installs without asking the registry again), each line prefixed. */
function npmCi(cwd, tag) {
  return new Promise((resolve) => {
    const child = spawn('npm', ['ci', '--no-audit', '--no-fund', '--prefer-offline'], { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    pipePrefixed(child, tag, { skipBlank: true });
    child.on('close', (code) => resolve(code === 0));
  });
}

/** Whether `dir`'s node_modules is missing or older than its lock. */
function stale(dir) {
  const installed = path.join(dir, 'node_modules/.package-lock.json');
  return !existsSync(installed) || statSync(path.join(dir, 'package-lock.json')).mtimeMs > statSync(installed).mtimeMs + 1000;
}

/** The npm dependencies of the root project, or with `--for panel` of grafana/panel. */
async function npmDependencies() {
  const project =
    purpose === 'panel'
      ? { dir: path.join(root, 'grafana/panel'), tag: '[panel]', name: 'the Grafana panel dependencies', what: 'npm ci in grafana/panel' }
      : { dir: root, tag: '[npm ci]', name: 'npm dependencies', what: 'npm ci' };
  if (!stale(project.dir)) return;
  say(`installing ${project.name} (${project.what})…`);
  if (!(await npmCi(project.dir, project.tag))) fail(`${project.what} failed: see the ${project.tag} lines above.`);
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
await npmDependencies();
if (purpose !== 'panel') debianPackages();
