/**
 * The emulator's HTTP sides: the control API (actions, state, bad requests, browser-attack
 * refusals) and the events API it posts order round trips to.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { rawGet, rawPost } from '@traderadmin/test-support';
import type { Logger } from '../src/index.js';
import { until } from './helpers.js';
import { emulatorPerTest } from './perTest.js';

const ACCT = 'DU1234567';

const rig = emulatorPerTest();
const { emulator, client, cleanups } = rig;

describe('HTTP control API', () => {
  async function call(
    url: string,
    method: string,
    body?: unknown,
  ): Promise<{ status: number; json: { ok: boolean; result?: unknown; error?: string } }> {
    const res = await fetch(url, {
      method,
      headers: { 'content-type': 'application/json' },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
    return { status: res.status, json: (await res.json()) as never };
  }

  it('runs actions, returns state and explains bad requests', async () => {
    await emulator({ accounts: ['DU1', 'DU2'] });
    const server = await rig.emu.startControlServer({ host: '127.0.0.1', port: 0 });
    const base = `${server.url}/control`;
    const c = await client(40);
    const fill = await call(`${base}/fill`, 'POST', { account: 'DU2', symbol: 'AAPL', side: 'BUY', quantity: 3, price: 227.5 });
    expect(fill.status).toBe(200);
    expect(fill.json.result).toMatchObject({
      account: 'DU2',
      symbol: 'AAPL',
      side: 'BUY',
      quantity: 3,
      price: 227.5,
      commission: 1,
      realizedPnl: null,
    });
    const state = await call(`${base}/state`, 'GET');
    const s = state.json.result as {
      accounts: Array<{ account: string; positions: unknown[]; cash: number }>;
      executions: { total: number };
      gateway: { connections: number };
    };
    expect(s.accounts.map((a) => [a.account, a.positions.length, a.cash])).toEqual([
      ['DU1', 0, 100000],
      ['DU2', 1, 100000 - 3 * 227.5 - 1],
    ]);
    expect(s.executions.total).toBe(1);
    expect(s.gateway.connections).toBe(1);

    expect((await call(`${base}/error`, 'POST', { code: 2107, message: 'HMDS data farm connection is inactive (emulator)' })).json).toEqual(
      { ok: true, result: { clients: 1 } },
    );
    await until('2107 seen', () => c.infos.some((i) => i.code === 2107));
    expect((await call(`${base}/connectivity-restored`, 'POST', { dataLost: false })).status).toBe(200);
    await until('1102 seen', () => c.infos.some((i) => i.code === 1102));
    expect((await call(`${base}/nextTradingDay`, 'POST')).json.result).toMatchObject({ tradingDay: expect.stringMatching(/^\d{8}$/) });

    expect(await call(`${base}/fill`, 'POST', { symbol: 'AAPL', side: 'HOLD', quantity: 1, price: 1 })).toEqual({
      status: 400,
      json: { ok: false, error: '"side" must be "BUY" or "SELL", got "HOLD"' },
    });
    expect(await call(`${base}/fill`, 'POST', { symbol: 'AAPL', side: 'BUY', quantity: '1', price: 1 })).toEqual({
      status: 400,
      json: { ok: false, error: '"quantity" must be a number, got "1"' },
    });
    expect((await call(`${base}/fill`, 'POST', '{nope')).status).toBe(400);
    expect((await call(`${base}/fill`, 'POST', { account: 'DU9', symbol: 'AAPL', side: 'BUY', quantity: 1, price: 1 })).json.error).toMatch(
      /unknown account "DU9"/,
    );
    const unknown = await call(`${base}/explode`, 'POST');
    expect(unknown.status).toBe(404);
    expect(unknown.json.error).toMatch(/unknown action "explode"; actions: fill, reject, error/);
    expect((await call(`${base}/fill`, 'GET')).status).toBe(405);
    await server.close();
  });

  it.each([
    ['a text/plain POST (no preflight needed)', { 'content-type': 'text/plain' }, 415],
    ['a foreign Origin', { 'content-type': 'application/json', origin: 'http://evil.example' }, 403],
    ['a rebinding Host', { 'content-type': 'application/json', host: 'evil.example:4010' }, 421],
  ])('refuses a web page hanging the gateway with %s, and nothing changes', async (_name, headers, status) => {
    await emulator();
    const server = await rig.emu.startControlServer({ host: '127.0.0.1', port: 0 });
    const res = await rawPost(server.url, '/control/hang', headers, '{}');
    expect(res.status).toBe(status);
    expect(JSON.parse(res.body)).toEqual({ ok: false, error: expect.any(String) });
    expect(rig.emu.control.state().gateway.hung).toBe(false);
    expect((await rawGet(server.url, '/control/state', { host: 'evil.example' })).status).toBe(421);
    await server.close();
  });
});

describe('events API posts (order round trips)', () => {
  async function sink(status = 202) {
    const posts: Array<{ auth: string | undefined; body: Record<string, unknown> }> = [];
    const server = http.createServer((req, res) => {
      let text = '';
      req.on('data', (d) => (text += d));
      req.on('end', () => {
        posts.push({ auth: req.headers.authorization, body: JSON.parse(text) });
        res.writeHead(status).end();
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    cleanups.push(() => new Promise<void>((r) => server.close(() => r())));
    return { posts, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/v1/events` };
  }

  it('posts ack and fill latencies for the strategy and for injected fills with latencyMs, with the bearer token', async () => {
    const { posts, url } = await sink();
    await emulator({ eventsUrl: url, eventsToken: 's3cret', tradeIntervalSeconds: 0.2, tickIntervalMs: 20 });
    await until('strategy round trips', () => posts.filter((p) => p.body.stage === 'fill').length >= 2, 10_000);
    for (const p of posts) {
      expect(p.auth).toBe('Bearer s3cret');
      expect(Object.keys(p.body).sort()).toEqual(['account', 'latency_ms', 'stage', 'type']);
      expect(p.body).toMatchObject({ type: 'order_latency', account: ACCT });
      expect(p.body.latency_ms).toBeGreaterThanOrEqual(0);
    }
    const n = posts.length;
    await rig.emu.control.fill({ symbol: 'AAPL', side: 'BUY', quantity: 1, price: 200 }); // no latencyMs: not an order round trip
    await rig.emu.control.fill({ symbol: 'AAPL', side: 'BUY', quantity: 1, price: 200, latencyMs: 1500, ackLatencyMs: 40 });
    await until('the injected round trip', () => posts.some((p) => p.body.latency_ms === 1500));
    const injected = posts.slice(n).filter((p) => p.body.latency_ms === 1500 || p.body.latency_ms === 40);
    expect(injected.map((p) => [p.body.stage, p.body.latency_ms])).toEqual([
      ['ack', 40],
      ['fill', 1500],
    ]);
  });

  it('survives an events API that fails or is unreachable, logging at debug without the token', async () => {
    const lines: string[] = [];
    const logger: Logger = {
      debug: (m, f) => lines.push(`${m} ${JSON.stringify(f)}`),
      info: () => undefined,
      warn: () => undefined,
      error: (m) => lines.push(`ERROR ${m}`),
      child: () => logger,
    };
    const { url } = await sink(500);
    await emulator({ eventsUrl: url, eventsToken: 's3cret', logger });
    await rig.emu.control.fill({ symbol: 'AAPL', side: 'BUY', quantity: 1, price: 200, latencyMs: 10 });
    await until('the failure logged', () => lines.some((l) => l.startsWith('events API answered an error')));
    await rig.emu.close();
    await emulator({ eventsUrl: 'http://127.0.0.1:1/api/v1/events', eventsToken: 's3cret', logger });
    await rig.emu.control.fill({ symbol: 'AAPL', side: 'BUY', quantity: 1, price: 200, latencyMs: 10 });
    await until('the network failure logged', () => lines.some((l) => l.startsWith('posting an order_latency event failed')));
    expect(lines.filter((l) => l.startsWith('ERROR'))).toEqual([]);
    expect(lines.join('\n')).not.toContain('s3cret');
  });
});
