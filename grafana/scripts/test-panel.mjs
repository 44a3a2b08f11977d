#!/usr/bin/env node
/**
 * `npm run test:panel`: the equity curve panel's checks, in order, failing fast: install its
 * own dependencies if missing (grafana/panel is a separate npm project), typecheck, lint,
 * unit and render tests (jest, both themes), production build (dist/), the dist-load test,
 * and the live Chromium harness (screenshots in grafana/panel/test-results/).
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const panel = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../panel');
const haveFlock = spawnSync('sh', ['-c', 'command -v flock'], { stdio: 'ignore' }).status === 0;

function run(cmd, args) {
  return spawnSync(cmd, args, { cwd: panel, stdio: 'inherit' }).status === 0;
}

function step(name, cmd, args) {
  const started = Date.now();
  console.log(`\n▶ ${name}`);
  const ok = run(cmd, args);
  const secs = ((Date.now() - started) / 1000).toFixed(1);
  if (!ok) {
    console.error(`✖ ${name} failed (${secs} s)`);
    process.exit(1);
  }
  console.log(`✔ ${name} (${secs} s)`);
}

/** npm, serialised on /tmp/npm.lock where flock exists (shared machines). */
function npm(...args) {
  return haveFlock ? ['flock', ['/tmp/npm.lock', 'npm', ...args]] : ['npm', args];
}

const started = Date.now();
if (!existsSync(path.join(panel, 'node_modules'))) {
  console.log('\n▶ install panel dependencies (npm ci)');
  if (!run(...npm('ci', '--no-audit', '--no-fund'))) {
    // npm ci refuses a lock that lacks some platforms' optional packages (@swc/core-*, which
    // a registry mirror may not have); npm install keeps the locked versions.
    step('install panel dependencies (npm install, from the lock)', ...npm('install', '--no-audit', '--no-fund'));
  }
}
step('typecheck', 'npx', ['--no-install', 'tsc', '--noEmit']);
step('lint', 'npx', ['--no-install', 'eslint', '--max-warnings=0', '.']);
step('unit and render tests', 'npx', ['--no-install', 'jest', '--maxWorkers=2']);
step('build dist/', 'npm', ['run', 'build', '--silent']);
step('load dist/module.js as Grafana does', 'npx', ['--no-install', 'jest', '-c', 'jest.dist.config.js']);
step('live data in headless Chromium', 'npx', ['--no-install', 'jest', '-c', 'jest.harness.config.js']);
console.log(`\npanel checks passed in ${((Date.now() - started) / 1000).toFixed(0)} s`);
