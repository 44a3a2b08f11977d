#!/usr/bin/env node
// The traderadmin command: runs the compiled bundle that `npm run build` writes to dist/
// (`npm start` and `npm test` build it when a source is newer). No TypeScript at run time.
import { existsSync } from 'node:fs';

const bundle = new URL('../dist/cli.mjs', import.meta.url);
if (!existsSync(bundle)) {
  process.stderr.write('traderadmin: dist/cli.mjs is missing: run `npm run build` first (npm start does it for you)\n');
  process.exit(1);
}
const { main } = await import(bundle.href);
process.exitCode = await main(process.argv);
