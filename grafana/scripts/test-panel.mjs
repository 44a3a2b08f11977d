#!/usr/bin/env node
/**
 * `npm run test:panel`: the equity curve panel's checks: install its own dependencies if missing
 * (grafana/panel is a separate npm project), typecheck, lint, unit and render tests (jest, both
 * themes), production build (dist/), the dist-load test, and the live Chromium harness
 * (screenshots in grafana/panel/test-results/).
 *
 * Two lanes run side by side, because each check is one mostly single-threaded process and the
 * harness mostly waits for live samples: typecheck → lint → unit tests, and build → (dist-load
 * test and harness together, both need dist/). A failed step ends its lane; every step's output
 * is printed whole when it ends, and the run fails if any step failed.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const panel = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../panel');
const haveFlock = spawnSync('sh', ['-c', 'command -v flock'], { stdio: 'ignore' }).status === 0;

function run(cmd, args) {
  return spawnSync(cmd, args, { cwd: panel, stdio: 'inherit' }).status === 0;
}

/** Runs one step with its output held back (other steps run meanwhile); resolves true when it passed. */
function step(name, cmd, args) {
  const started = Date.now();
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { cwd: panel, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    child.on('error', (error) => (output += `${error}\n`));
    child.on('close', (code) => {
      const secs = ((Date.now() - started) / 1000).toFixed(1);
      process.stdout.write(`\n▶ ${name}\n${output}`);
      if (code === 0) console.log(`✔ ${name} (${secs} s)`);
      else console.error(`✖ ${name} failed (${secs} s)`);
      resolve(code === 0);
    });
  });
}

/** Steps one after the other; stops at the first that fails. */
async function lane(...steps) {
  for (const s of steps) if (!(await s())) return false;
  return true;
}

/** npm, serialised on /tmp/npm.lock where flock exists (shared machines). */
function npm(...args) {
  return haveFlock ? ['flock', ['/tmp/npm.lock', 'npm', ...args]] : ['npm', args];
}

const started = Date.now();
if (!existsSync(path.join(panel, 'node_modules'))) {
  console.log('\n▶ install panel dependencies (npm ci)');
  if (!run(...npm('ci', '--no-audit', '--no-fund', '--prefer-offline'))) {
    console.error('✖ install panel dependencies failed');
    process.exit(1);
  }
}
const npx = (...args) => ['npx', ['--no-install', ...args]];
const results = await Promise.all([
  lane(
    () => step('typecheck', ...npx('tsc', '--noEmit')),
    () => step('lint', ...npx('eslint', '--max-warnings=0', '.')),
    () => step('unit and render tests', ...npx('jest', '--maxWorkers=2')),
  ),
  lane(
    () => step('build dist/', 'npm', ['run', 'build', '--silent']),
    async () =>
      (
        await Promise.all([
          step('load dist/module.js as Grafana does', ...npx('jest', '-c', 'jest.dist.config.js')),
          step('live data in headless Chromium', ...npx('jest', '-c', 'jest.harness.config.js')),
        ])
      ).every(Boolean),
  ),
]);
const secs = ((Date.now() - started) / 1000).toFixed(0);
if (results.every(Boolean)) console.log(`\npanel checks passed in ${secs} s`);
else {
  console.error(`\npanel checks FAILED (${secs} s): see ✖ above`);
  process.exit(1);
}
