/**
 * Every workspace's package.json declares what its sources import, so a package works without
 * npm's hoisting and `npm ci --omit=dev` installs what the parts need at run time. Imports are
 * read by the TypeScript pre-processor (static, dynamic and re-exports), not by a regex.
 */
import { readFileSync, readdirSync, existsSync } from 'node:fs';
import { builtinModules } from 'node:module';
import path from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const REPO = path.resolve(import.meta.dirname, '../..');

interface Manifest {
  name: string;
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
}

const readJson = (file: string): Manifest => JSON.parse(readFileSync(file, 'utf8')) as Manifest;
const WORKSPACES = (readJson(path.join(REPO, 'package.json')) as Manifest & { workspaces: string[] }).workspaces;

/**
 * src imports that may be development dependencies, each with why it never runs in production.
 * Anything else a src file imports must be in `dependencies`.
 */
const DEV_ONLY: Record<string, Record<string, string>> = {
  console: { esbuild: 'bundles the page only when run from source; the build ships the bundle' },
  grafana: { '@traderadmin/test-support': 'liveStack.ts is the dashboards test rig' },
  'test-support': { mailparser: 'test kit', 'smtp-server': 'test kit' },
};

/** Declared dependencies nothing in the workspace imports, each with why they stay. */
const UNIMPORTED_OK: Record<string, Record<string, string>> = {
  grafana: {
    '@lezer/highlight': 'peer dependency of @prometheus-io/lezer-promql',
    '@lezer/lr': 'peer dependency of @prometheus-io/lezer-promql',
    '@grafana/schema': 'read by the generate:dashboard-schema script',
    'ts-json-schema-generator': 'run by the generate:dashboard-schema script',
  },
  console: { uplot: 'bundled into the page from web/' },
};

const BUILTINS = new Set(builtinModules);

/** The package a bare specifier names, or undefined for relative paths and Node built-ins. */
export function packageOf(specifier: string): string | undefined {
  if (specifier.startsWith('.') || specifier.startsWith('/') || specifier.startsWith('node:')) return undefined;
  const parts = specifier.split('/');
  const name = specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
  return BUILTINS.has(name) ? undefined : name;
}

function* sourceFiles(dir: string): Generator<string> {
  if (!existsSync(dir)) return;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'node_modules' || entry.name === 'dist' || entry.name === 'panel') continue;
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) yield* sourceFiles(full);
    else if (/\.(m|c)?[tj]sx?$/.test(entry.name) && !entry.name.endsWith('.d.ts')) yield full;
  }
}

/** Package name → the files (relative to the repo) that import it. */
function importsUnder(dir: string): Map<string, string[]> {
  const found = new Map<string, string[]>();
  for (const file of sourceFiles(dir)) {
    const info = ts.preProcessFile(readFileSync(file, 'utf8'), true, true);
    for (const { fileName } of info.importedFiles) {
      const name = packageOf(fileName);
      if (!name) continue;
      const files = found.get(name) ?? [];
      files.push(path.relative(REPO, file));
      found.set(name, files);
    }
  }
  return found;
}

describe('packageOf', () => {
  it.each([
    ['smol-toml', 'smol-toml'],
    ['@traderadmin/config', '@traderadmin/config'],
    ['@grafana/grafana-foundation-sdk/dashboard', '@grafana/grafana-foundation-sdk'],
    ['yaml/util', 'yaml'],
    ['./local.js', undefined],
    ['node:fs', undefined],
    ['fs', undefined],
  ])('%s → %s', (specifier, expected) => expect(packageOf(specifier)).toBe(expected));
});

describe.each(WORKSPACES)('%s/package.json', (workspace) => {
  const manifest = readJson(path.join(REPO, workspace, 'package.json'));
  const runtime = {
    ...manifest.dependencies,
    ...manifest.peerDependencies,
    ...manifest.optionalDependencies,
  };
  const dev = manifest.devDependencies ?? {};

  it('declares every package its src imports (dev-only ones with a reason)', () => {
    const missing: string[] = [];
    for (const [name, files] of importsUnder(path.join(REPO, workspace, 'src'))) {
      if (name === manifest.name || name in runtime) continue;
      if (name in dev && DEV_ONLY[workspace]?.[name]) continue;
      missing.push(`${name} (imported by ${files[0]})`);
    }
    expect(missing).toEqual([]);
  });

  it('declares no dependency it never imports', () => {
    const used = importsUnder(path.join(REPO, workspace));
    const unused = Object.keys({ ...runtime, ...dev }).filter((name) => !used.has(name) && !UNIMPORTED_OK[workspace]?.[name]);
    expect(unused).toEqual([]);
  });
});
