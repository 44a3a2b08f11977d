import { spawnSync } from 'node:child_process';
import path from 'node:path';

export const ROOT = path.resolve(__dirname, '../..');
export const BIN = path.join(ROOT, 'bin/traderadmin.mjs');
/** `--import` it: the process fails on loading TypeScript or a transpiler. */
export const NO_TYPESCRIPT = path.join(ROOT, 'test-support/src/no-typescript.mjs');

/** Runs the real `traderadmin` command and returns its exit code and output. */
export function traderadmin(args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}) {
  const result = spawnSync(process.execPath, [BIN, ...args], {
    cwd: options.cwd ?? ROOT,
    env: options.env ?? process.env,
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}
