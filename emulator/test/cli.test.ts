/**
 * `traderadmin emulator` as a user runs it: a real process, a real client, SIGTERM.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { freePort } from '@traderadmin/test-support';
import { emulatorSettings } from '../../cli/src/commands/emulator.js';
import { loadConfig } from '@traderadmin/config';
import { connectClient, until, withTimeout } from './helpers.js';

const BIN = path.resolve(__dirname, '../../bin/traderadmin.mjs');
const procs: ChildProcess[] = [];

afterEach(() => {
  for (const p of procs.splice(0)) if (p.exitCode === null) p.kill('SIGKILL');
});

function run(args: string[]) {
  const child = spawn(process.execPath, [BIN, 'emulator', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  procs.push(child);
  const out = { stdout: '', stderr: '' };
  child.stdout!.on('data', (d) => (out.stdout += d));
  child.stderr!.on('data', (d) => (out.stderr += d));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, out, exited };
}

describe('traderadmin emulator', () => {
  it('prints where it listens, serves a real client and the control API, and stops on SIGTERM', async () => {
    const [gw, ctl] = [await freePort(), await freePort()];
    const { child, out, exited } = run([
      '--listen',
      `127.0.0.1:${gw}`,
      '--control',
      `127.0.0.1:${ctl}`,
      '--seed',
      '7',
      '--server-version',
      '135',
      '--accounts',
      'DU1,DU2',
    ]);
    await until('listening', () => out.stdout.includes('press Ctrl-C'), 30_000);
    expect(out.stdout).toContain(`IB Gateway emulator listening on 127.0.0.1:${gw} (server version 135, accounts DU1, DU2)`);
    expect(out.stdout).toContain(`control API on http://127.0.0.1:${ctl}/control`);
    const c = await connectClient({ host: '127.0.0.1', port: gw }, 3);
    expect(await c.ib.getManagedAccounts()).toEqual(['DU1', 'DU2']);
    const state = (await (await fetch(`http://127.0.0.1:${ctl}/control/state`)).json()) as { result: { serverVersion: number } };
    expect(state.result.serverVersion).toBe(135);
    c.disconnect();
    child.kill('SIGTERM');
    expect(await withTimeout(exited, 10_000, 'exit')).toBe(0);
    expect(c.decodeErrors).toEqual([]);
  });

  it.each([
    [['--listen', 'nowhere'], /"nowhere" is not HOST:PORT/],
    [['--server-version', '200'], /expected an integer from 135 to 193, got "200"/],
    [['--accounts', 'DU 1'], /"DU 1" is not an account id/],
  ])('refuses %j with exit 2 and a clear message', async (args, message) => {
    const { out, exited } = run(args);
    expect(await withTimeout(exited, 30_000, 'exit')).toBe(2);
    expect(out.stderr).toMatch(message);
  });
});

describe('emulator settings from config.toml', () => {
  it('takes [emulator], broker.host/port and trading.timezone, and lets flags win', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'emu-cli-'));
    const file = path.join(dir, 'config.toml');
    writeFileSync(
      file,
      [
        '[broker]',
        'port = 4999',
        '[emulator]',
        'seed = 9',
        'accounts = ["DU5", "DU6"]',
        'server_version = 150',
        'starting_cash = 50000',
        'tick_interval_ms = 500',
        'trade_interval_seconds = 5',
        'control_listen = "127.0.0.1:4998"',
        '',
      ].join('\n'),
    );
    const { config } = loadConfig(file);
    const s = emulatorSettings({}, config);
    expect(s.options).toMatchObject({
      host: '127.0.0.1',
      port: 4999,
      seed: 9,
      accounts: ['DU5', 'DU6'],
      serverVersion: 150,
      startingCash: 50000,
      tickIntervalMs: 500,
      tradeIntervalSeconds: 5,
      timeZone: 'America/New_York',
    });
    expect(s.control).toEqual({ host: '127.0.0.1', port: 4998 });
    const flags = emulatorSettings({ seed: 1, listen: '127.0.0.1:5000', serverVersion: 193 }, config);
    expect(flags.options).toMatchObject({ seed: 1, port: 5000, serverVersion: 193, accounts: ['DU5', 'DU6'] });
  });
});

describe('traderadmin emulator on a busy port', () => {
  it('exits 1 naming the address', async () => {
    const net = await import('node:net');
    const blocker = net.createServer();
    await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', r));
    const port = (blocker.address() as import('node:net').AddressInfo).port;
    try {
      const { out, exited } = run(['--listen', `127.0.0.1:${port}`, '--control', `127.0.0.1:${await freePort()}`]);
      expect(await withTimeout(exited, 30_000, 'exit')).toBe(1);
      expect(out.stderr).toContain(`emulator: cannot start the gateway on 127.0.0.1:${port}`);
      expect(out.stderr).toContain('EADDRINUSE');
    } finally {
      await new Promise<void>((r) => blocker.close(() => r()));
    }
  });
});
