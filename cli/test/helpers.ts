import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { freePort } from '@traderadmin/test-support';

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

/**
 * The example config with every listen address moved to a free port, in a scratch folder;
 * `edit` changes the text further (channels, timings).
 */
export async function scratchConfig(
  edit: (text: string) => string = (t) => t,
): Promise<{ dir: string; file: string; ports: Record<string, number> }> {
  const dir = mkdtempSync(path.join(tmpdir(), 'up-'));
  mkdirSync(path.join(dir, 'config'));
  const ports: Record<string, number> = {};
  for (const name of ['gateway', 'control', 'exporter', 'bridge', 'prometheus', 'alertmanager', 'page', 'supervisor'])
    ports[name] = await freePort();
  let text = readFileSync(path.join(ROOT, 'config/config.example.toml'), 'utf8');
  text = text
    .replace('port = 4002', `port = ${ports.gateway}`)
    .replace('"127.0.0.1:4010"', `"127.0.0.1:${ports.control}"`)
    .replace('"127.0.0.1:9464"', `"127.0.0.1:${ports.exporter}"`)
    .replace('"127.0.0.1:9095"', `"127.0.0.1:${ports.bridge}"`)
    .replace('"127.0.0.1:9090"', `"127.0.0.1:${ports.prometheus}"`)
    .replace('"127.0.0.1:9093"', `"127.0.0.1:${ports.alertmanager}"`)
    .replace('"127.0.0.1:9096"', `"127.0.0.1:${ports.page}"`)
    .replace('"127.0.0.1:9097"', `"127.0.0.1:${ports.supervisor}"`)
    .replace('scrape_interval_seconds = 5', 'scrape_interval_seconds = 1')
    .replace('evaluation_interval_seconds = 5', 'evaluation_interval_seconds = 1');
  const file = path.join(dir, 'config/config.toml');
  writeFileSync(file, edit(text));
  return { dir, file, ports };
}
