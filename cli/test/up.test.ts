import { spawn } from 'node:child_process';
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { promQuery, rawPost, waitFor } from '@traderadmin/test-support';
import { BIN, NO_TYPESCRIPT, scratchConfig, traderadmin } from './helpers.js';

/** The command, without blocking this process (the running stack writes to our pipes meanwhile). */
function run(args: string[], cwd: string): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve) => {
    const c = spawn(process.execPath, [BIN, ...args], { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    c.stdout.on('data', (d) => (out += d));
    c.stderr.on('data', (d) => (out += d));
    c.on('exit', (code) => resolve({ code, out }));
  });
}

/**
 * What a web page or a local process without the token can do to the running stack: nothing.
 * The commands find the local token by themselves, and apply reloads through up's SIGHUP.
 */
async function securityChecks(dir: string, file: string, ports: Record<string, number>): Promise<void> {
  const tokenFile = path.join(dir, 'data/secrets/token');
  expect(statSync(tokenFile).mode & 0o777).toBe(0o600);
  const token = readFileSync(tokenFile, 'utf8').trim();
  expect(token.length).toBeGreaterThanOrEqual(40);
  const bridge = `http://127.0.0.1:${ports.bridge}`;
  const exporter = `http://127.0.0.1:${ports.exporter}`;
  const prometheus = `http://127.0.0.1:${ports.prometheus}`;
  const silence = JSON.stringify({
    matchers: [{ name: 'alertname', value: 'Watchdog', isRegex: false, isEqual: false }],
    endsAt: new Date(Date.now() + 10 * 365 * 86400_000).toISOString(),
    createdBy: 'evil',
    comment: 'evil',
  });
  const json = { 'content-type': 'application/json' };
  const bearer = { authorization: `Bearer ${token}` };
  for (const [headers, status] of [
    [json, 401], // a local process without the token
    [{ 'content-type': 'text/plain', ...bearer }, 415],
    [{ ...json, ...bearer, origin: 'http://evil.example' }, 403],
    [{ ...json, ...bearer, host: `evil.example:${ports.bridge}` }, 421],
  ] as const) {
    expect((await rawPost(bridge, '/api/v1/silences', headers, silence)).status).toBe(status);
    expect((await rawPost(exporter, '/api/v1/events', headers, '{"type":"heartbeat","component":"orchestrator"}')).status).toBe(status);
  }
  const silences = (await (await fetch(`http://127.0.0.1:${ports.alertmanager}/api/v2/silences`)).json()) as unknown[];
  expect(silences).toEqual([]);
  expect((await rawPost(exporter, '/api/v1/events', { ...json, ...bearer }, '{"type":"heartbeat","component":"scanner"}')).status).toBe(
    200,
  );
  // No lifecycle API: nobody can stop Prometheus (and with it the stack) over HTTP.
  expect((await rawPost(prometheus, '/-/quit', {}, '')).status).toBe(403);
  expect((await fetch(`${prometheus}/-/ready`)).ok).toBe(true);

  const listed = await run(['silence', 'list', '--config', file], dir);
  expect(listed.code, listed.out).toBe(0);
  writeFileSync(file, readFileSync(file, 'utf8').replace('max_order_latency_ms = 1000', 'max_order_latency_ms = 777'));
  const applied = await run(['apply', '--config', file], dir);
  expect(applied.code, applied.out).toBe(0);
  expect(applied.out).toContain('(SIGHUP)');
  const rules = (await (await fetch(`${prometheus}/api/v1/rules`)).json()) as {
    data: { groups: Array<{ rules: Array<{ query: string }> }> };
  };
  expect(JSON.stringify(rules.data.groups)).toContain('above the 777 ms limit');
}

const cleanups: Array<() => void> = [];
afterAll(() => cleanups.forEach((c) => c()));

describe('traderadmin up', () => {
  it('runs the whole stack on the emulated account, answers queries, and stops everything on Ctrl-C', async () => {
    const { dir, file, ports } = await scratchConfig();
    // Every Node part inherits NODE_OPTIONS: one that loads TypeScript or a transpiler fails.
    const env = { ...process.env, NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --import ${NO_TYPESCRIPT}`.trim() };
    const child = spawn(process.execPath, [BIN, 'up', '--config', file], { cwd: dir, env, stdio: ['ignore', 'pipe', 'pipe'] });
    cleanups.push(() => child.kill('SIGKILL'));
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));

    await waitFor('the stack to be running', () => output.includes('TraderAdmin Monitoring is running'), { timeoutMs: 90_000 });
    expect(output).toMatch(/ready in \d+\.\d s: every part answered/);
    expect(output).not.toContain('no-typescript');
    expect(output).toContain(`Prometheus                http://127.0.0.1:${ports.prometheus}`);
    expect(existsSync(path.join(dir, 'data/generated/rules.yml'))).toBe(true);

    // The chain is real: emulator → exporter → Prometheus, with the generated rules loaded.
    const equity = await waitFor(
      'trader_equity in Prometheus',
      async () => (await promQuery(`http://127.0.0.1:${ports.prometheus}`, 'trader_equity'))[0],
      { timeoutMs: 30_000 },
    );
    expect(equity.metric).toMatchObject({ account: 'DU1234567', currency: 'USD', job: 'trader-exporter' });
    expect(Number(equity.value[1])).toBeGreaterThan(0);
    const rules = (await (await fetch(`http://127.0.0.1:${ports.prometheus}/api/v1/rules`)).json()) as {
      data: { groups: Array<{ rules: Array<{ name: string }> }> };
    };
    expect(rules.data.groups.flatMap((g) => g.rules.map((r) => r.name))).toContain('OrderLatencyHigh');
    const amStatus = await fetch(`http://127.0.0.1:${ports.alertmanager}/api/v2/status`);
    expect(amStatus.ok).toBe(true);
    expect((await fetch(`http://127.0.0.1:${ports.bridge}/healthz`)).ok).toBe(true);
    expect(output).toMatch(new RegExp(`Console +http://127\\.0\\.0\\.1:${ports.page}`));
    expect((await fetch(`http://127.0.0.1:${ports.page}/healthz`)).ok).toBe(true);

    // Every address it prints opens something: no "not found", no error page.
    const printed = [...output.matchAll(/^ {2}\S.{25}(http:\/\/\S+)$/gm)].map((m) => m[1]);
    expect(printed.length).toBeGreaterThanOrEqual(7);
    for (const address of printed) {
      const res = await fetch(address);
      const text = await res.text();
      expect(`${address} ${res.status}`).toBe(`${address} 200`);
      expect(text, address).not.toContain('not found');
    }

    await securityChecks(dir, file, ports);

    child.kill('SIGINT');
    expect(await exited).toBe(0);
    expect(output).toContain('stopped');
    // Every port is free again: nothing was left running.
    for (const port of Object.values(ports)) {
      await new Promise<void>((resolve, reject) => {
        const server = createServer().once('error', reject);
        server.listen(port, '127.0.0.1', () => server.close(() => resolve()));
      });
    }
  }, 150_000);

  it('refuses an invalid config and starts nothing, writes nothing', async () => {
    const { dir, file } = await scratchConfig();
    writeFileSync(file, readFileSync(file, 'utf8').replace('max_order_latency_ms = 1000', 'max_order_latency_ms = "fast"'));
    const r = traderadmin(['up', '--config', file], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('alerts_config.thresholds.max_order_latency_ms: expected an integer, got a string "fast"');
    expect(r.stderr).toContain('nothing was started');
    expect(existsSync(path.join(dir, 'data'))).toBe(false);
  });

  it('names the address that is already taken and the key that sets it', async () => {
    const { dir, file, ports } = await scratchConfig();
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(ports.prometheus, '127.0.0.1', resolve));
    try {
      const r = traderadmin(['up', '--config', file], { cwd: dir });
      expect(r.code).toBe(1);
      expect(r.stderr).toContain(`127.0.0.1:${ports.prometheus} (prometheus.listen) is already in use`);
      expect(existsSync(path.join(dir, 'data'))).toBe(false);
    } finally {
      blocker.close();
    }
  });
});
