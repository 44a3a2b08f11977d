/**
 * Control actions observed by real clients, several clients at once, reconnects, the
 * HTTP control API and the events API posts.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { EventName, IBApi } from '@stoqey/ib';
import { rawGet, rawPost, sleep } from '@traderadmin/test-support';
import { startEmulator, type Emulator, type EmulatorOptions, type Logger } from '../src/index.js';
import {
  CONNECTED,
  DISCONNECTED,
  connectClient,
  firstMatching,
  rawClient,
  settlesWithin,
  until,
  waitConnected,
  withTimeout,
  type TestClient,
} from './helpers.js';

const ACCT = 'DU1234567';

let emu: Emulator | undefined;
const clients: TestClient[] = [];
const cleanups: Array<() => unknown> = [];

async function emulator(options: EmulatorOptions = {}): Promise<Emulator> {
  emu = await startEmulator({ tradeIntervalSeconds: 0, tickIntervalMs: 50, ...options });
  return emu;
}

async function client(id: number, opts: { reconnectInterval?: number } = {}): Promise<TestClient> {
  const c = await connectClient(emu!, id, opts);
  clients.push(c);
  return c;
}

/** An IBApi (not IBApiNext): it does not drop the socket on 1100, so 1101/1102 can be seen. */
async function rawApi(id: number): Promise<{ api: IBApi; infos: Array<[number, string]>; pnl: number[]; errors: number[] }> {
  const api = new IBApi({ host: emu!.host, port: emu!.port });
  const out = { api, infos: [] as Array<[number, string]>, pnl: [] as number[], errors: [] as number[] };
  api.on(EventName.info, (message: string, code: number) => out.infos.push([code, message]));
  api.on(EventName.error, (_e: Error, code: number) => out.errors.push(code));
  api.on(EventName.pnl, (_reqId: number, daily: number) => out.pnl.push(daily));
  const ready = new Promise<void>((resolve) => api.once(EventName.nextValidId, () => resolve()));
  api.connect(id);
  await withTimeout(ready, 3000, 'nextValidId');
  cleanups.push(() => api.disconnect());
  return out;
}

afterEach(async () => {
  for (const c of clients.splice(0)) {
    expect(c.decodeErrors).toEqual([]);
    c.disconnect();
  }
  for (const f of cleanups.splice(0)) await f();
  await emu?.close();
  emu = undefined;
});

describe('several clients', () => {
  it('serves clients with different ids at once and sends every live fill to each', async () => {
    await emulator();
    const cs = await Promise.all([client(1), client(2), client(3)]);
    const seen = cs.map(() => [] as number[]);
    cs.forEach((c, i) => c.api.on(EventName.execDetails, (reqId: number) => seen[i].push(reqId)));
    const times = await Promise.all(cs.map((c) => withTimeout(c.ib.getCurrentTime(), 3000, 'time')));
    expect(new Set(times.map((t) => Math.abs(t - times[0]) <= 1))).toEqual(new Set([true]));
    await emu!.control.fill({ symbol: 'NVDA', side: 'BUY', quantity: 10, price: 130 });
    await until('every client saw the fill', () => seen.every((s) => s.length === 1));
    expect(seen).toEqual([[-1], [-1], [-1]]);
    expect(
      emu!.control
        .state()
        .clients.map((c) => c.clientId)
        .sort(),
    ).toEqual([1, 2, 3]);
  });

  it('refuses a second client with an id already in use (326) and closes it', async () => {
    await emulator();
    await client(5);
    const dup = await connectClient(emu!, 5, { wait: false });
    clients.push(dup);
    await until('the duplicate is closed', () => dup.closed > 0);
    expect(dup.infos.map((i) => i.code)).toContain(326);
  });

  it('lets a client disconnect and reconnect with the same id', async () => {
    await emulator();
    const c = await client(7);
    await emu!.control.fill({ symbol: 'SPY', side: 'BUY', quantity: 2, price: 590 });
    c.ib.disconnect();
    await firstMatching(c.ib.connectionState, (s) => s === DISCONNECTED, 3000, 'disconnected');
    c.ib.connect(7);
    await waitConnected(c.ib);
    const positions = await firstMatching(c.ib.getPositions(), (u) => (u.all.get(ACCT)?.length ?? 0) > 0, 3000, 'positions');
    expect(positions.all.get(ACCT)!.map((p) => [p.contract.symbol, p.pos])).toEqual([['SPY', 2]]);
  });
});

describe('faults', () => {
  it('connectivity lost arrives as info 1100; data stops until 1102 (maintained) and is forgotten on 1101 (lost)', async () => {
    await emulator();
    const raw = await rawApi(11);
    raw.api.reqPnL(1, ACCT);
    await until('pnl updates', () => raw.pnl.length > 2);
    emu!.control.connectivityLost();
    await until('info 1100', () => raw.infos.some(([c]) => c === 1100));
    expect(raw.infos.find(([c]) => c === 1100)![1]).toMatch(/emulator/);
    await sleep(100);
    const during = raw.pnl.length;
    await sleep(200);
    expect(raw.pnl.length).toBe(during);
    emu!.control.connectivityRestored(false);
    await until('info 1102', () => raw.infos.some(([c]) => c === 1102));
    await until('pnl resumes', () => raw.pnl.length > during + 2);
    emu!.control.connectivityLost();
    emu!.control.connectivityRestored(true);
    await until('info 1101', () => raw.infos.some(([c]) => c === 1101));
    await sleep(100);
    const afterLost = raw.pnl.length;
    await sleep(200);
    expect(raw.pnl.length).toBe(afterLost); // subscriptions were lost; the client must ask again
    expect(raw.errors).toEqual([]);
  });

  it('IBApiNext treats 1100 as a lost connection (info with code 1100, then it drops the socket)', async () => {
    await emulator();
    const c = await client(12);
    emu!.control.connectivityLost();
    await until('info 1100', () => c.infos.some((i) => i.code === 1100));
    await firstMatching(c.ib.connectionState, (s) => s === DISCONNECTED, 3000, 'disconnect after 1100');
  });

  it('drop closes every socket; a client with reconnectInterval comes back and resubscribes', async () => {
    await emulator();
    const c = await client(13, { reconnectInterval: 100 });
    await emu!.control.fill({ symbol: 'AAPL', side: 'BUY', quantity: 1, price: 200 });
    const updates: number[] = [];
    const sub = c.ib.getPositions().subscribe((u) => updates.push(u.all.get(ACCT)?.length ?? 0));
    cleanups.push(() => sub.unsubscribe());
    await until('positions', () => updates.length > 0);
    expect(emu!.control.dropConnections()).toEqual({ dropped: 1 });
    await firstMatching(c.ib.connectionState, (s) => s === DISCONNECTED, 3000, 'dropped');
    expect(c.closed).toBeGreaterThan(0);
    await firstMatching(c.ib.connectionState, (s) => s === CONNECTED, 3000, 'reconnected');
    await emu!.control.fill({ symbol: 'MSFT', side: 'BUY', quantity: 1, price: 400 });
    await until('the resubscribed positions see MSFT', () => updates.at(-1) === 2);
  });

  it('hang: getCurrentTime is not answered until unhang', async () => {
    await emulator();
    const c = await client(14);
    emu!.control.hang();
    const pending = c.ib.getCurrentTime();
    expect(await settlesWithin(pending, 500)).toBe(false);
    expect(c.ib.isConnected).toBe(true);
    emu!.control.unhang();
    expect(await withTimeout(pending, 3000, 'time after unhang')).toBeGreaterThan(0);
  });

  it('refuse: a new connection fails while open ones keep working; accept lets it in', async () => {
    await emulator();
    const c = await client(15);
    await emu!.control.refuseConnections();
    const refused = await connectClient(emu!, 16, { wait: false });
    clients.push(refused);
    await until('connect error', () => refused.errors.some((e) => /ECONNREFUSED/.test(e.message)));
    expect(refused.ib.isConnected).toBe(false);
    expect(await withTimeout(c.ib.getCurrentTime(), 3000, 'time on the open connection')).toBeGreaterThan(0);
    await emu!.control.acceptConnections();
    refused.ib.disconnect();
    refused.ib.connect(16);
    await waitConnected(refused.ib);
  });

  it('restart drops clients but keeps accounts, positions and executions', async () => {
    await emulator();
    const c = await client(17);
    await emu!.control.fill({ symbol: 'TSLA', side: 'SELL', quantity: 4, price: 250 });
    const before = emu!.control.state();
    expect(await emu!.control.restart({ downMs: 100 })).toEqual({ dropped: 1 });
    await firstMatching(c.ib.connectionState, (s) => s === DISCONNECTED, 3000, 'dropped by restart');
    c.ib.connect(17);
    await waitConnected(c.ib);
    const after = emu!.control.state();
    expect(after.accounts[0].positions).toEqual(
      before.accounts[0].positions.map((p) => ({
        ...p,
        marketPrice: expect.any(Number),
        marketValue: expect.any(Number),
        unrealizedPnl: expect.any(Number),
      })),
    );
    expect(after.executions.total).toBe(1);
    expect((await c.ib.getExecutionDetails({})).map((d) => d.execution.side)).toEqual(['SLD']);
  });

  it('next trading day: realized P&L today restarts at 0 for a subscribed client', async () => {
    await emulator();
    const c = await client(18);
    await emu!.control.fill({ symbol: 'AAPL', side: 'BUY', quantity: 10, price: 200 });
    await emu!.control.fill({ symbol: 'AAPL', side: 'SELL', quantity: 10, price: 205 });
    const pnls: Array<number | undefined> = [];
    const sub = c.ib.getPnL(ACCT).subscribe((p) => pnls.push(p.realizedPnL));
    cleanups.push(() => sub.unsubscribe());
    await until('realized P&L', () => (pnls.at(-1) ?? 0) > 0);
    const { tradingDay } = emu!.control.nextTradingDay();
    expect(tradingDay).toMatch(/^\d{8}$/);
    await until('realized P&L back to 0', () => pnls.at(-1) === 0);
    expect(await c.ib.getExecutionDetails({})).toEqual([]);
  });

  it('error injects ERR_MSG: reqId -1 as info, another reqId as an error', async () => {
    await emulator();
    const c = await client(19);
    expect(emu!.control.error({ code: 2107, message: 'HMDS data farm connection is inactive (emulator)' })).toEqual({ clients: 1 });
    emu!.control.error({ code: 162, message: 'Historical market data Service error message (emulator)', reqId: 77 });
    await until('both', () => c.infos.some((i) => i.code === 2107) && c.errors.some((e) => e.code === 162));
    expect(c.errors.find((e) => e.code === 162)!.reqId).toBe(77);
  });

  it('reject sends error 201 for the order and an Inactive order state', async () => {
    await emulator();
    const c = await client(20);
    const statuses: string[] = [];
    c.api.on(EventName.orderStatus, (_id: number, status: string) => statuses.push(status));
    const r = emu!.control.reject({ symbol: 'AMZN', side: 'BUY', quantity: 1000, reason: 'margin (emulator)' });
    await until('error 201', () => c.errors.some((e) => e.code === 201));
    expect(c.errors.find((e) => e.code === 201)).toMatchObject({ reqId: r.orderId, message: 'Order rejected - reason:margin (emulator)' });
    expect(statuses).toEqual(['Inactive']);
  });
});

describe('robustness', () => {
  it('logs and ignores unknown requests, and closes a peer that is not a TWS API client', async () => {
    const debug: string[] = [];
    const logger: Logger = {
      debug: (m) => debug.push(m),
      info: () => undefined,
      warn: (m) => debug.push(m),
      error: () => undefined,
      child: () => logger,
    };
    await emulator({ logger });
    const raw = await rawClient(emu!.port);
    raw.send([71, 2, 30, '']);
    raw.send([999, 1, 'what']);
    raw.send([9, 1, 'x', 'y']); // REQ_CONTRACT_DATA, not supported
    raw.send([49, 1]);
    await until('current time', () => raw.messages.some((m) => m[0] === '49'));
    expect(raw.messages[0][0]).toBe('193');
    expect(debug.filter((m) => m === 'unsupported request ignored')).toHaveLength(2);
    raw.close();
    const bad = await rawClient(emu!.port, false);
    bad.sendBytes(Buffer.from('GET / HTTP/1.1\r\n\r\n'));
    await withTimeout(bad.closed, 3000, 'the bad peer closed');
    const c = await client(31);
    expect(await withTimeout(c.ib.getCurrentTime(), 3000, 'time')).toBeGreaterThan(0);
  });

  it('negotiates down to the client maximum and refuses a client too old for it', async () => {
    await emulator();
    const low = await rawClient(emu!.port, false);
    const hello = Buffer.from('v100..150');
    const len = Buffer.alloc(4);
    len.writeUInt32BE(hello.length);
    low.sendBytes(Buffer.concat([Buffer.from('API\0'), len, hello]));
    await until('server version', () => low.messages.length > 0);
    expect(low.messages[0][0]).toBe('150');
    low.close();
  });

  it('closes a pre-v100 client (a bare "62\\0") within a second, saying why', async () => {
    const warnings: Array<{ msg: string; error?: unknown }> = [];
    const logger: Logger = {
      debug: () => undefined,
      info: () => undefined,
      warn: (msg, fields) => warnings.push({ msg, error: fields?.error }),
      error: () => undefined,
      child: () => logger,
    };
    await emulator({ logger });
    const old = await rawClient(emu!.port, false);
    old.sendBytes(Buffer.from('62\0', 'latin1'));
    await withTimeout(old.closed, 1000, 'the pre-v100 client closed');
    expect(old.messages).toEqual([]);
    expect(warnings).toContainEqual({
      msg: 'closing a client that does not speak the TWS API',
      error: expect.stringContaining('pre-v100 handshake (client version 62)'),
    });
  });

  it('refuses a version range entirely below its minimum (135), as the real gateway does', async () => {
    const warnings: string[] = [];
    const logger: Logger = {
      debug: () => undefined,
      info: () => undefined,
      warn: (_m, f) => warnings.push(String(f?.error)),
      error: () => undefined,
      child: () => logger,
    };
    await emulator({ logger });
    const low = await rawClient(emu!.port, false);
    const hello = Buffer.from('v100..120');
    const len = Buffer.alloc(4);
    len.writeUInt32BE(hello.length);
    low.sendBytes(Buffer.concat([Buffer.from('API\0'), len, hello]));
    await withTimeout(low.closed, 1000, 'the too-old client closed');
    expect(low.messages).toEqual([]);
    expect(warnings).toContain('client accepts server versions 100..120; the emulator speaks 135..193');
  });
});

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
    const server = await emu!.startControlServer({ host: '127.0.0.1', port: 0 });
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
    const server = await emu!.startControlServer({ host: '127.0.0.1', port: 0 });
    const res = await rawPost(server.url, '/control/hang', headers, '{}');
    expect(res.status).toBe(status);
    expect(JSON.parse(res.body)).toEqual({ ok: false, error: expect.any(String) });
    expect(emu!.control.state().gateway.hung).toBe(false);
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
    await emu!.control.fill({ symbol: 'AAPL', side: 'BUY', quantity: 1, price: 200 }); // no latencyMs: not an order round trip
    await emu!.control.fill({ symbol: 'AAPL', side: 'BUY', quantity: 1, price: 200, latencyMs: 1500, ackLatencyMs: 40 });
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
    await emu!.control.fill({ symbol: 'AAPL', side: 'BUY', quantity: 1, price: 200, latencyMs: 10 });
    await until('the failure logged', () => lines.some((l) => l.startsWith('events API answered an error')));
    await emu!.close();
    await emulator({ eventsUrl: 'http://127.0.0.1:1/api/v1/events', eventsToken: 's3cret', logger });
    await emu!.control.fill({ symbol: 'AAPL', side: 'BUY', quantity: 1, price: 200, latencyMs: 10 });
    await until('the network failure logged', () => lines.some((l) => l.startsWith('posting an order_latency event failed')));
    expect(lines.filter((l) => l.startsWith('ERROR'))).toEqual([]);
    expect(lines.join('\n')).not.toContain('s3cret');
  });
});
