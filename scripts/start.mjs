#!/usr/bin/env node
// `npm start`: bootstrap (Node, npm dependencies, Debian packages), compile when a source is
// newer than dist/, then `traderadmin up` in this very process — not as a child — so the
// running stack carries no extra wrapper process of ours. Arguments go to `up`
// (`npm start -- --config other.toml`). Plain JavaScript: it runs before anything is compiled.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const run = (script, ...args) => spawnSync(process.execPath, [path.join(root, script), ...args], { stdio: 'inherit' }).status;

if (run('scripts/bootstrap.mjs', '--for', 'stack') !== 0) process.exit(1);
// A separate process: the compiler's memory is given back before the stack starts.
if (run('scripts/build.mjs', '--if-stale') !== 0) process.exit(1);
const bin = path.join(root, 'bin/traderadmin.mjs');
process.argv = [process.argv[0], bin, 'up', ...process.argv.slice(2)];
await import(pathToFileURL(bin).href);
