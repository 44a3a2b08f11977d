#!/usr/bin/env node
// `npm run build`: compiles the TypeScript sources into dist/, so that no running part of the
// stack loads a TypeScript transpiler (each Node part held ~100 MB with tsx, issue 19).
//   dist/cli.mjs      the traderadmin command with every subcommand, bundled from cli/src/main.ts
//                     (new source files are found through their imports: there is no file list);
//                     npm packages stay external, so `npm ci --omit=dev` supplies them at run time
//   dist/*-HASH.mjs   parts loaded on demand (a subcommand's heavy modules), by esbuild's splitting
//   dist/web/main.js  the alerts page's browser script, which the page used to bundle at start
//   dist/inputs.json  every source file that went into the build, for the staleness check
// `--if-stale` builds only when an input is newer than dist/ (a few ms when up to date), which
// is how `npm start`, `npm test` and the vitest/cucumber setups call it.
// Plain JavaScript on purpose: it runs before anything is compiled.
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const dist = path.join(root, 'dist');
const inputsFile = path.join(dist, 'inputs.json');
/** Besides the sources esbuild reads: what changes the output without being imported. */
const ALWAYS = ['scripts/build.mjs', 'package.json', 'package-lock.json'];

/** True when dist/ is missing or older than one of the files it was built from. */
export function stale() {
  if (!existsSync(inputsFile)) return true;
  const built = statSync(inputsFile).mtimeMs;
  let inputs;
  try {
    inputs = JSON.parse(readFileSync(inputsFile, 'utf8'));
  } catch {
    return true;
  }
  for (const file of [...ALWAYS, ...inputs]) {
    try {
      if (statSync(path.join(root, file)).mtimeMs > built) return true;
    } catch {
      // Gone: a deployment with dist/ and no sources, or a file removed (then the file that
      // imported it changed too, and is newer).
    }
  }
  return false;
}

/**
 * Bundled code keeps the meaning of `import.meta.url`: each source file sees its own location
 * (resolved from the bundle's), so paths like `../web` or `../../docs` stay right.
 */
const sourceUrls = {
  name: 'source-import-meta-url',
  setup(build) {
    build.onLoad({ filter: /\.[cm]?ts$/ }, (args) => {
      const text = readFileSync(args.path, 'utf8');
      if (!text.includes('import.meta.url')) return undefined;
      const fromBundle = path.relative(dist, args.path).split(path.sep).join('/');
      return {
        contents: text.replaceAll('import.meta.url', `new URL(${JSON.stringify(fromBundle)}, import.meta.url).href`),
        loader: 'ts',
      };
    });
  },
};

/** npm packages are loaded from node_modules at run time; our workspaces are compiled in. */
const externalPackages = {
  name: 'external-packages',
  setup(build) {
    build.onResolve({ filter: /^[^./]/ }, (args) => {
      if (args.path.startsWith('@traderadmin/')) return undefined;
      return { path: args.path, external: true };
    });
  },
};

/** Writes the outputs, the entry last, and removes what an earlier build left (old chunks). */
function writeOutputs(files) {
  const entry = path.join(dist, 'cli.mjs');
  for (const file of [...files].sort((a, b) => (a.path === entry) - (b.path === entry))) {
    mkdirSync(path.dirname(file.path), { recursive: true });
    // Through a temporary name: a part starting meanwhile reads the old file or the new one.
    writeFileSync(`${file.path}.tmp`, file.contents);
    renameSync(`${file.path}.tmp`, file.path);
  }
  const kept = new Set(files.map((f) => f.path));
  for (const name of readdirSync(dist)) {
    const file = path.join(dist, name);
    if (/\.mjs(\.map)?$/.test(name) && !kept.has(file)) rmSync(file, { force: true });
  }
}

export async function build() {
  const esbuild = await import('esbuild');
  const started = Date.now();
  const common = { bundle: true, metafile: true, write: false, logLevel: 'warning', absWorkingDir: root, legalComments: 'none' };
  const [node, web] = await Promise.all([
    esbuild.build({
      ...common,
      entryPoints: { cli: 'cli/src/main.ts' },
      outdir: dist,
      outExtension: { '.js': '.mjs' },
      // Chunks beside the entry, not in a subfolder: every output file sits in dist/, which is
      // what sourceUrls resolves against.
      chunkNames: '[name]-[hash]',
      splitting: true,
      format: 'esm',
      platform: 'node',
      target: 'node20',
      sourcemap: 'linked',
      // The compiled alerts page serves the browser script built below instead of bundling it.
      define: { __WEB_BUNDLE__: JSON.stringify('dist/web/main.js') },
      plugins: [externalPackages, sourceUrls],
    }),
    esbuild.build({
      ...common,
      entryPoints: ['console/web/main.ts'],
      // One tsconfig for every file, the panel source it reads too: grafana/panel's extends a
      // package of the panel's own install, which the build does not wait for.
      tsconfig: 'tsconfig.json',
      outfile: path.join(dist, 'web/main.js'),
      format: 'esm',
      target: 'es2022',
      minify: true,
    }),
  ]);
  await esbuild.stop?.();
  mkdirSync(dist, { recursive: true });
  writeOutputs([...node.outputFiles, ...web.outputFiles]);
  const inputs = new Set([...Object.keys(node.metafile.inputs), ...Object.keys(web.metafile.inputs)]);
  // Written last: its time stamp is the build's, and a failed build leaves the old one.
  writeFileSync(inputsFile, `${JSON.stringify([...inputs].filter((f) => !f.startsWith('node_modules/')).sort(), null, 1)}\n`);
  return { ms: Date.now() - started, inputs: inputs.size };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  if (process.argv.includes('--if-stale') && !stale()) process.exit(0);
  try {
    const { ms, inputs } = await build();
    process.stderr.write(`build: dist/ compiled from ${inputs} files in ${ms} ms\n`);
  } catch (error) {
    process.stderr.write(`build: failed: ${error.message}\n`);
    process.exit(1);
  }
}
