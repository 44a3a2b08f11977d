import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '@traderadmin/kit';
import { startExporter, type RunningExporter } from '../src/exporter.js';
import { makeConfig, memoryLogger, utc } from './helpers.js';
import { promtoolCheckMetrics } from './promtool.js';
import { assertContainsEach, rawGet, rawPost } from '@traderadmin/test-support';

const TOKEN = 'test-events-token-3f9a';
const clock = new ManualClock(utc('2026-01-15T15:00:00Z'));
const logger = memoryLogger();
let exp: RunningExporter;
let tokenExp: RunningExporter;
/** A position as the gateway reports it (less account and contract id) and as the API answers it. */
const AAPL = {
  symbol: 'AAPL',
  secType: 'STK',
  currency: 'USD',
  quantity: 100,
  avgCost: 150,
  marketPrice: 155,
  marketValue: 15_500,
  unrealizedPnl: 500,
};
const TSLA = { symbol: 'TSLA', secType: 'STK', currency: 'USD', quantity: -10, avgCost: 200, marketPrice: 190 };

beforeAll(async () => {
  const config = makeConfig(`
[alerts_config.thresholds]
max_order_latency_ms = 350
[broker]
accounts = ["DU1234567"]
[exporter]
max_event_body_bytes = 2048
`);
  exp = await startExporter(config, { clock, logger, listen: '127.0.0.1:0', connect: false });
  const withToken = makeConfig('[exporter]\nevents_token = "env:TEST_EVENTS_TOKEN"\n', { TEST_EVENTS_TOKEN: TOKEN });
  tokenExp = await startExporter(withToken, { clock, logger, listen: '127.0.0.1:0', connect: false, env: { TEST_EVENTS_TOKEN: TOKEN } });

  // An account as the gateway would report it.
  const s = exp.sink;
  s.accountValue('DU1234567', 'NetLiquidation', 100_000, 'USD');
  s.accountValue('DU1234567', 'BuyingPower', 400_000, 'USD');
  s.accountValue('DU1234567', 'TotalCashValue', 60_000, 'USD');
  s.position({ account: 'DU1234567', key: '265598', ...AAPL });
  s.position({ account: 'DU1234567', key: '76792991', ...TSLA });
  const f = (execId: string, side: 'BUY' | 'SELL', price: number) => ({
    execId,
    account: 'DU1234567',
    key: '1',
    symbol: 'MSFT',
    secType: 'STK',
    currency: 'USD',
    side,
    quantity: 10,
    price,
    time: clock.now(),
  });
  s.fills([f('a', 'BUY', 100), f('b', 'SELL', 110), f('c', 'BUY', 100), f('d', 'SELL', 95)], true);
  s.ibMessage(1100, 'Connectivity between IB and Trader Workstation has been lost.', -1);
  s.status({ socket: true, loggedIn: true, answering: true, dataFlowing: false, reason: 'logged in, no account data received yet' });
});

afterAll(async () => {
  await exp?.close();
  await tokenExp?.close();
});

const post = (base: string, body: unknown, headers: Record<string, string> = {}) =>
  fetch(`${base}/api/v1/events`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });

describe('GET /metrics', () => {
  it('renders every contract family that has data, and promtool finds nothing to complain about', async () => {
    await post(exp.url, {
      events: [
        { type: 'heartbeat', component: 'scanner' },
        { type: 'data_sync', source: 'scanner' },
        { type: 'order_latency', account: 'DU1234567', stage: 'fill', latency_ms: 420 },
      ],
    });
    const res = await fetch(`${exp.url}/metrics`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    const body = await res.text();
    assertContainsEach(body, [
      'trader_equity{account="DU1234567",currency="USD"} 100000',
      'trader_equity_start_of_day{account="DU1234567",currency="USD"} 100000',
      'trader_buying_power{account="DU1234567",currency="USD"} 400000',
      'trader_cash{account="DU1234567",currency="USD"} 60000',
      'trader_realized_pnl_today{account="DU1234567",currency="USD"} 50',
      'trader_unrealized_pnl{account="DU1234567",currency="USD"} 600',
      'trader_open_positions{account="DU1234567"} 2',
      'trader_position_quantity{account="DU1234567",symbol="TSLA",sec_type="STK",currency="USD"} -10',
      'trader_position_unrealized_pnl{account="DU1234567",symbol="TSLA",sec_type="STK",currency="USD"} 100',
      'trader_executions_total{account="DU1234567",side="buy"} 2',
      'trader_trades_closed_total{account="DU1234567",outcome="win"} 1',
      'trader_trades_closed_total{account="DU1234567",outcome="breakeven"} 0',
      'trader_trades_today{account="DU1234567",outcome="loss"} 1',
      'trader_trade_pnl_today{account="DU1234567",outcome="loss",currency="USD"} -50',
      'trader_order_latency_seconds_bucket{le="0.35",account="DU1234567",stage="fill"} 0',
      'trader_order_latency_seconds_bucket{le="0.5",account="DU1234567",stage="fill"} 1',
      'trader_order_latency_max_seconds{account="DU1234567",stage="fill"} 0.42',
      'trader_api_errors_total{component="ibkr",code="1100",class="connectivity"} 1',
      'trader_api_errors_total{component="ibkr",code="201",class="order_reject"} 0',
      'trader_api_errors_total{component="ibkr",code="505",class="other"} 0',
      'trader_broker_connected{gateway="ib-gateway"} 1',
      'trader_broker_upstream_connected{gateway="ib-gateway"} 0',
      'trader_broker_reconnects_total{gateway="ib-gateway"} 0',
      `trader_last_data_sync_timestamp_seconds{source="scanner"} ${clock.now() / 1000}`,
      `trader_component_last_heartbeat_timestamp_seconds{component="scanner"} ${clock.now() / 1000}`,
      'trader_exporter_build_info{version="0.1.0"} 1',
    ]);
    // No heartbeat yet from the orchestrator: absent, so absent() in ComponentDown sees it.
    expect(body).not.toContain('component="orchestrator"');
    const check = await promtoolCheckMetrics(body);
    expect(check.output).toBe('');
    expect(check.code).toBe(0);
  });
});

describe('health and readiness', () => {
  it('/healthz answers while the process runs', async () => {
    const res = await fetch(`${exp.url}/healthz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ok' });
  });

  it('/readyz is 503 with the reason until data flows, then 200', async () => {
    let res = await fetch(`${exp.url}/readyz`);
    expect(res.status).toBe(503);
    expect(await res.json()).toEqual({ ready: false, reason: 'logged in, no account data received yet' });
    exp.sink.status({ socket: true, loggedIn: true, answering: true, dataFlowing: true, reason: '' });
    res = await fetch(`${exp.url}/readyz`);
    expect(res.status).toBe(200);
  });
});

describe('GET /api/v1/metrics', () => {
  it("returns the design's AllMetrics per account", async () => {
    const body = (await (await fetch(`${exp.url}/api/v1/metrics`)).json()) as { accounts: Record<string, Record<string, unknown>> };
    const a = body.accounts.DU1234567;
    expect(a.portfolio).toEqual({
      timestamp: '2026-01-15T15:00:00.000Z',
      equity: 100_000,
      realizedPnlToday: 50,
      unrealizedPnl: 600,
      dailyPnl: 650, // both positions count from zero: they were not open at the day start
      openPositionsCount: 2,
      buyingPower: 400_000,
      currency: 'USD',
    });
    // Four fills made two round trips: both counts, under honest names (executedCount is the old name of closedTradesCount).
    expect(a.trades).toEqual({
      executionsCount: 4,
      closedTradesCount: 2,
      executedCount: 2,
      winCount: 1,
      lossCount: 1,
      breakevenCount: 0,
      winRate: 0.5,
      avgWin: 100,
      avgLoss: -50,
    });
    expect(a.system).toMatchObject({
      avgOrderLatencyMs: 420,
      maxOrderLatencyMs: 420,
      apiErrorCount: 1,
      lastDataSync: '2026-01-15T15:00:00.000Z',
      brokerConnected: true,
    });
    expect(a.positions).toEqual([
      // The gateway reported its value and P&L: the API passes them on as they are.
      AAPL,
      // Reported without value and P&L: the exporter works them out (short 10 at 200, now 190).
      { ...TSLA, marketValue: -1900, unrealizedPnl: 100 },
    ]);
  });
});

describe('accounts known only from events', () => {
  it('appear in the snapshot with their latency, without creating account series', async () => {
    expect((await post(exp.url, { type: 'order_latency', account: 'U7654321', stage: 'ack', latency_ms: 80 })).status).toBe(200);
    const snap = (await (await fetch(`${exp.url}/api/v1/metrics`)).json()) as {
      accounts: Record<string, { system: { maxOrderLatencyMs: number } }>;
    };
    expect(snap.accounts.U7654321.system.maxOrderLatencyMs).toBe(80);
    const body = await (await fetch(`${exp.url}/metrics`)).text();
    expect(body).toContain('trader_order_latency_max_seconds{account="U7654321",stage="ack"} 0.08');
    expect(body).not.toContain('trader_open_positions{account="U7654321"}');
  });
});

describe('POST /api/v1/events', () => {
  it('accepts one event, a batch object and a bare array', async () => {
    for (const body of [
      { type: 'heartbeat', component: 'orchestrator' },
      { events: [{ type: 'heartbeat', component: 'orchestrator' }] },
      [{ type: 'data_sync', source: 'scanner' }],
    ]) {
      const res = await post(exp.url, body);
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual({ accepted: 1 });
    }
  });

  it.each([
    ['a text/plain body (what any web page can send without a preflight)', { 'content-type': 'text/plain' }, 415],
    ['a form body (curl -d without -H, or an HTML form)', { 'content-type': 'application/x-www-form-urlencoded' }, 415],
    ['a foreign Origin', { 'content-type': 'application/json', origin: 'http://evil.example' }, 403],
    ['a rebinding Host', { 'content-type': 'application/json', host: 'evil.example:9464' }, 421],
  ])('refuses a forged heartbeat with %s, and records nothing', async (_name, headers, status) => {
    const before = await (await fetch(`${exp.url}/metrics`)).text();
    const res = await rawPost(exp.url, '/api/v1/events', headers, '{"type":"heartbeat","component":"forgedcomponent"}');
    expect(res.status).toBe(status);
    expect(JSON.parse(res.body)).toEqual({ error: expect.any(String) });
    const after = await (await fetch(`${exp.url}/metrics`)).text();
    expect(after).not.toContain('forgedcomponent');
    expect(after.match(/^trader_component_last_heartbeat_timestamp_seconds.*$/gm)).toEqual(
      before.match(/^trader_component_last_heartbeat_timestamp_seconds.*$/gm),
    );
  });

  it('does not show the account snapshot to a rebinding Host', async () => {
    const res = await rawGet(exp.url, '/api/v1/metrics', { host: 'evil.example' });
    expect(res.status).toBe(421);
    expect(res.body).not.toContain('equity');
  });

  it('a batch with one bad event is refused whole, naming the event and field', async () => {
    const res = await post(exp.url, {
      events: [
        { type: 'error', component: 'batchtest', code: 'E1', class: 'other' },
        { type: 'error', component: 'batchtest', code: 'E1', class: 'bogus' },
      ],
    });
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({
      error: 'events[1].class: "bogus" is not one of connectivity, order_reject, market_data, warning, other',
    });
    const metrics = await (await fetch(`${exp.url}/metrics`)).text();
    expect(metrics).not.toContain('batchtest');
  });

  it.each([
    ['not JSON', '{"type":', 400, /^body: not valid JSON/],
    [
      'too large',
      JSON.stringify({ events: Array.from({ length: 100 }, () => ({ type: 'heartbeat', component: 'scanner' })) }),
      413,
      /larger than 2048 bytes/,
    ],
    ['empty', '', 400, /^body: empty/],
  ])('%s → %i', async (_name, body, status, message) => {
    const res = await post(exp.url, body);
    expect(res.status).toBe(status);
    expect(((await res.json()) as { error: string }).error).toMatch(message);
  });

  it('with events_token set, refuses a missing or wrong token (401) and accepts the right one', async () => {
    expect((await post(tokenExp.url, { type: 'heartbeat', component: 'a' })).status).toBe(401);
    expect((await post(tokenExp.url, { type: 'heartbeat', component: 'a' }, { authorization: 'Bearer wrong' })).status).toBe(401);
    expect((await post(tokenExp.url, { type: 'heartbeat', component: 'a' }, { authorization: `Basic ${TOKEN}` })).status).toBe(401);
    const ok = await post(tokenExp.url, { type: 'heartbeat', component: 'a' }, { authorization: `Bearer ${TOKEN}` });
    expect(ok.status).toBe(200);
    // The token never shows up anywhere.
    expect(logger.lines.join('\n')).not.toContain(TOKEN);
  });

  it('answers its root with a short index of its endpoints', async () => {
    const r = await fetch(`${exp.url}/`);
    expect(r.status).toBe(200);
    const body = (await r.json()) as { service: string; endpoints: Record<string, string> };
    expect(body.service).toBe('trader-exporter');
    expect(Object.keys(body.endpoints)).toEqual(expect.arrayContaining(['GET /metrics', 'GET /api/v1/metrics', 'POST /api/v1/events']));
  });

  it('answers 405 to other methods and 404 elsewhere', async () => {
    expect((await fetch(`${exp.url}/api/v1/events`)).status).toBe(405);
    expect((await fetch(`${exp.url}/nope`)).status).toBe(404);
  });
});

describe('day rollover through the exporter', () => {
  it("resets today's gauges at the configured day start and keeps the counters", async () => {
    clock.set(utc('2026-01-16T05:00:00Z')); // midnight in New York
    const body = await (await fetch(`${exp.url}/metrics`)).text();
    expect(body).toContain('trader_trades_today{account="DU1234567",outcome="win"} 0');
    expect(body).toContain('trader_realized_pnl_today{account="DU1234567",currency="USD"} 0');
    expect(body).toContain('trader_trades_closed_total{account="DU1234567",outcome="win"} 1');
    expect(body).toContain('trader_equity_start_of_day{account="DU1234567",currency="USD"} 100000');
  });
});
