/** `traderadmin exporter` as a user runs it: a real process, a real gateway, SIGTERM to stop. */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startEmulator, type Emulator } from '@traderadmin/emulator';
import { freePort, waitFor } from '@traderadmin/test-support';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
let emu: Emulator;
let dir: string;

beforeAll(async () => {
  emu = await startEmulator({ port: 0, tradeIntervalSeconds: 0 });
  dir = mkdtempSync(path.join(tmpdir(), 'exporter-cli-'));
});
afterAll(async () => {
  await emu?.close();
  rmSync(dir, { recursive: true, force: true });
});

it('runs in the foreground, says where it listens, serves metrics from the gateway and stops cleanly on SIGTERM', async () => {
  const port = await freePort();
  const file = path.join(dir, 'config.toml');
  writeFileSync(
    file,
    `[broker]\nmode = "emulator"\nport = ${emu.port}\n\n[exporter]\nlisten = "127.0.0.1:${port}"\n\n[logging]\nformat = "text"\n`,
  );
  const child = spawn(process.execPath, [path.join(ROOT, 'bin/traderadmin.mjs'), 'exporter', '--config', file], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (err += d));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  try {
    await waitFor('the listening line', () => out.includes('exporter listening on'), { timeoutMs: 20_000 });
    expect(out).toContain(`exporter listening on http://127.0.0.1:${port}`);
    expect(out).toContain(`reading the gateway at 127.0.0.1:${emu.port} (client id 17, the emulator)`);
    const body = await waitFor(
      'equity from the gateway',
      async () => {
        const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
        return text.includes('trader_equity{account="DU1234567",currency="USD"}') ? text : undefined;
      },
      { timeoutMs: 15_000 },
    );
    expect(body).toContain('trader_broker_connected{gateway="ib-gateway"} 1');
  } finally {
    child.kill('SIGTERM');
  }
  expect(await exited).toBe(0);
  expect(err).toContain('SIGTERM: stopping the exporter');
  // [logging] format = "text" although stderr is a pipe (auto would write JSON lines).
  expect(err).toMatch(new RegExp(`^\\S+Z info  connecting to the gateway host=127\\.0\\.0\\.1 port=${emu.port} clientId=17$`, 'm'));
  // The gateway saw the session close.
  await waitFor('the emulator to see the client leave', () => emu.control.state().gateway.connections === 0, { timeoutMs: 5000 });
});

it('exits 1 listing the problems of an invalid config', async () => {
  const file = path.join(dir, 'bad.toml');
  writeFileSync(file, '[broker]\nport = "x"\n');
  const child = spawn(process.execPath, [path.join(ROOT, 'bin/traderadmin.mjs'), 'exporter', '--config', file], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let err = '';
  child.stderr.on('data', (d) => (err += d));
  const code = await new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)));
  expect(code).toBe(1);
  expect(err).toMatch(/bad\.toml:2.*broker\.port: expected an integer/);
});
