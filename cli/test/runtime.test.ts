/**
 * What the Docker image's runtime stage ships, rebuilt in a scratch folder (Docker cannot run
 * here): the tracked files, the production packages of package-lock.json (what `npm ci
 * --omit=dev` installs, hard-linked from this checkout's node_modules), scripts/prune-runtime.mjs
 * as the Dockerfile runs it, then dist/. The command must work there, with no test or build tool
 * installed and no TypeScript left. The same with a real `npm ci --omit=dev` takes half a minute:
 * `npm run test:long` runs that one (TRADERADMIN_LONG_TESTS=1).
 */
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { NO_TYPESCRIPT, ROOT } from './helpers.js';

const PRUNE = path.join(ROOT, 'scripts/prune-runtime.mjs');
const scratch: string[] = [];
afterAll(() => scratch.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

/** A scratch folder holding the files git tracks, as `COPY . .` gives them (less .dockerignore's). */
function trackedCopy(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'runtime-'));
  scratch.push(dir);
  const files = spawnSync('git', ['ls-files', '-z'], { cwd: ROOT, encoding: 'utf8' }).stdout.split('\0').filter(Boolean);
  expect(files.length).toBeGreaterThan(100);
  for (const file of files) if (existsSync(path.join(ROOT, file))) cpSync(path.join(ROOT, file), path.join(dir, file));
  return dir;
}

/** node_modules as `npm ci --omit=dev` lays it out: every lock entry not marked dev, workspaces as links. */
function productionModules(dir: string): void {
  const lock = JSON.parse(readFileSync(path.join(ROOT, 'package-lock.json'), 'utf8')) as {
    packages: Record<string, { dev?: boolean; link?: boolean; resolved?: string; optional?: boolean }>;
  };
  const wanted = Object.entries(lock.packages).filter(([key, entry]) => key.includes('node_modules/') && !entry.dev);
  const copies = wanted.filter(([, e]) => !e.link).map(([key]) => key);
  // Nested packages come with their parent's folder.
  const tops = copies.filter((key) => !copies.some((other) => key.startsWith(`${other}/`)));
  const present = tops.filter((key) => existsSync(path.join(ROOT, key)));
  expect(present.length).toBeGreaterThan(50);
  for (const [key, entry] of wanted) if (!existsSync(path.join(ROOT, key))) expect(entry.optional, `${key} is installed`).toBe(true);
  // Hard links: seconds instead of a copy of the packages (a plain copy where links cannot be made).
  let r = spawnSync('cp', ['-al', '--parents', ...present, dir], { cwd: ROOT, encoding: 'utf8' });
  if (r.status !== 0) r = spawnSync('cp', ['-a', '--parents', ...present, dir], { cwd: ROOT, encoding: 'utf8' });
  expect(r.status, r.stderr).toBe(0);
  for (const [key, entry] of wanted.filter(([, e]) => e.link)) {
    mkdirSync(path.dirname(path.join(dir, key)), { recursive: true });
    symlinkSync(path.relative(path.dirname(path.join(dir, key)), path.join(dir, entry.resolved!)), path.join(dir, key));
  }
}

/** The rest of the runtime stage (prune, then dist/), and the command in the result. */
function pruneAndRun(dir: string): void {
  const pruned = spawnSync(process.execPath, [PRUNE, dir], { encoding: 'utf8' });
  expect(pruned.status, pruned.stderr).toBe(0);
  cpSync(path.join(ROOT, 'dist'), path.join(dir, 'dist'), { recursive: true });

  // No test or build tool, no test kit, no TypeScript.
  for (const name of ['vitest', 'tsx', '@cucumber/cucumber', 'playwright-core', 'esbuild', 'typescript', '@traderadmin/test-support'])
    expect(existsSync(path.join(dir, 'node_modules', name)), name).toBe(false);
  for (const gone of ['test-support', 'features', 'bench', 'cli/test', 'alert-bridge/test', 'grafana/panel'])
    expect(existsSync(path.join(dir, gone)), gone).toBe(false);
  const sources = (dir: string): string[] =>
    readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
      e.isDirectory() ? (e.name === 'node_modules' ? [] : sources(path.join(dir, e.name))) : /\.m?ts$/.test(e.name) ? [e.name] : [],
    );
  expect(sources(dir)).toEqual([]);

  const bin = path.join(dir, 'bin/traderadmin.mjs');
  const node = (args: string[]) =>
    spawnSync(process.execPath, ['--import', NO_TYPESCRIPT, bin, ...args], { cwd: dir, encoding: 'utf8', timeout: 30_000 });
  const help = node(['--help']);
  expect(help.status, help.stderr).toBe(0);
  for (const command of ['up', 'exporter', 'bridge', 'page', 'generate', 'validate']) expect(help.stdout).toContain(command);
  const valid = node(['validate', '--config', 'config/config.example.toml']);
  expect(valid.status, valid.stderr).toBe(0);
  expect(valid.stdout).toContain('is valid');
}

describe('the runtime image (Dockerfile: npm ci --omit=dev, scripts/prune-runtime.mjs, dist/)', () => {
  it('runs the command with production packages only, and ships no test tooling or TypeScript', () => {
    // The steps below are the Dockerfile's runtime stage (its last), in its order.
    const stage = readFileSync(path.join(ROOT, 'Dockerfile'), 'utf8')
      .split(/^FROM /m)
      .at(-1)!;
    const steps = ['COPY . .', 'npm ci --omit=dev', 'node scripts/prune-runtime.mjs /app', 'COPY --from=build /app/dist /app/dist'];
    expect(steps.map((step) => stage.indexOf(step))).toEqual(steps.map((step) => stage.indexOf(step)).sort((a, b) => a - b));
    for (const step of steps) expect(stage, step).toContain(step);
    const dir = trackedCopy();
    productionModules(dir);
    pruneAndRun(dir);
  }, 60_000);

  it('the prune step fails the image build when a test or build tool is installed, and refuses a checkout', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'runtime-'));
    scratch.push(dir);
    writeFileSync(path.join(dir, 'package.json'), '{}');
    mkdirSync(path.join(dir, 'node_modules/vitest'), { recursive: true });
    const r = spawnSync(process.execPath, [PRUNE, dir], { encoding: 'utf8' });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('runtime image: vitest');
    const checkout = spawnSync(process.execPath, [PRUNE, ROOT], { encoding: 'utf8' });
    expect(checkout.status).toBe(2);
    expect(existsSync(path.join(ROOT, 'test-support'))).toBe(true);
  });

  it.runIf(process.env.TRADERADMIN_LONG_TESTS === '1')(
    'the same after a real npm ci --omit=dev',
    () => {
      const dir = trackedCopy();
      const r = spawnSync('npm', ['ci', '--omit=dev', '--prefer-offline', '--no-audit', '--no-fund'], { cwd: dir, encoding: 'utf8' });
      expect(r.status, r.stderr).toBe(0);
      pruneAndRun(dir);
    },
    300_000,
  );
});
