import { spawn, spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import path from 'node:path';
import { freePort, waitFor } from '@traderadmin/test-support';
import { afterEach, describe, expect, it } from 'vitest';
import { configFolder } from './helpers.js';

const BIN = path.resolve(__dirname, '../../bin/traderadmin.mjs');
const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('traderadmin page', () => {
  it('serves the page for a config file until SIGTERM', async () => {
    const f = configFolder();
    dirs.push(f.dir);
    const port = await freePort();
    const child = spawn(process.execPath, [BIN, 'page', '--config', f.file, '--listen', `127.0.0.1:${port}`], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    try {
      await waitFor('the page', () => out.includes(`at http://127.0.0.1:${port}/`), { timeoutMs: 30_000 });
      const state = (await (await fetch(`http://127.0.0.1:${port}/api/state`)).json()) as { file: string };
      expect(state.file).toBe(f.file);
      // Announced once, not by both the command and the server.
      expect(out.match(new RegExp(`at http://127\\.0\\.0\\.1:${port}/`, 'g'))).toHaveLength(1);
    } finally {
      child.kill('SIGTERM');
    }
    expect(await exited).toBe(0);
    expect(out).toContain('SIGTERM: stopping the alerts page');
  });

  it('refuses to start on an invalid config, listing the problems', () => {
    const f = configFolder([{ path: ['alerts_page', 'listen'], value: '0.0.0.0:9096' }]);
    dirs.push(f.dir);
    const run = spawnSync(process.execPath, [BIN, 'page', '--config', f.file], { encoding: 'utf8', timeout: 30_000 });
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('alerts_page.listen: 0.0.0.0:9096 is beyond loopback, and the alerts page has no auth_token');
  });
});
