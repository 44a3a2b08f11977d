/** `traderadmin test-alert` against a real bridge whose channels are all off: it says how to turn one on. */
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '@traderadmin/config';
import { startBridge, type RunningBridge } from '@traderadmin/alert-bridge';
import { freePort } from '@traderadmin/test-support';
import { execFile } from 'node:child_process';
import { BIN, ROOT } from './helpers.js';

/** The real command, run without blocking: the bridge it calls lives in this process. */
function traderadmin(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [BIN, ...args], { encoding: 'utf8', timeout: 30_000 }, (error, stdout, stderr) =>
      resolve({ code: error ? ((error as { code?: number }).code ?? null) : 0, stdout, stderr }),
    );
  });
}

let bridge: RunningBridge;
let file: string;
beforeAll(async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'test-alert-'));
  mkdirSync(path.join(dir, 'config'));
  file = path.join(dir, 'config/config.toml');
  copyFileSync(path.join(ROOT, 'config/config.example.toml'), file);
  const port = await freePort();
  writeFileSync(file, readFileSync(file, 'utf8').replace('"127.0.0.1:9095"', `"127.0.0.1:${port}"`));
  const quiet = { debug() {}, info() {}, warn() {}, error() {}, child: () => quiet };
  bridge = await startBridge(loadConfig(file), { logger: quiet });
});
afterAll(async () => bridge?.close());

describe('traderadmin test-alert with the channel off', () => {
  it('names the config key, the page and the file to enable it', async () => {
    const r = await traderadmin(['test-alert', '--channel', 'webhook', '--config', file]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('channel webhook is not enabled: set alerts_config.notifications.webhook.enabled = true');
    expect(r.stderr).toContain('on the alerts page (traderadmin page, http://127.0.0.1:9096/)');
    expect(r.stderr).toContain(`or in ${file}, then run: traderadmin apply`);
  });
});
