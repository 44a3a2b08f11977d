/**
 * The real chain: the emulator speaks the TWS protocol, the exporter reads it through the
 * real @stoqey/ib, and a real Prometheus scrapes the exporter. Faults are injected through
 * the emulator's control API; nothing is restarted between them.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from '@traderadmin/emulator';
import { freePort, promQuery, startPrometheus, waitFor, type ManagedProcess } from '@traderadmin/test-support';
import { startExporter, type RunningExporter } from '../src/exporter.js';
import { makeConfig, memoryLogger } from './helpers.js';
import { promtoolCheckMetrics } from './promtool.js';

const ACCOUNT = 'DU1234567';
let emu: Emulator;
let exp: RunningExporter;
let prom: ManagedProcess | undefined;
const logger = memoryLogger();

const configFor = (port: number, clientId = 17) =>
  makeConfig(`
[broker]
port = ${port}
client_id = ${clientId}
accounts = ["${ACCOUNT}"]
probe_interval_seconds = 1
probe_timeout_seconds = 1
reconnect_min_seconds = 0.5
reconnect_max_seconds = 1
`);

beforeAll(async () => {
  // The emulator reports order round trips to the exporter's events API, as in `traderadmin up`.
  const exporterPort = await freePort();
  emu = await startEmulator({
    port: 0,
    accounts: [ACCOUNT],
    seed: 1,
    tradeIntervalSeconds: 0,
    tickIntervalMs: 250,
    eventsUrl: `http://127.0.0.1:${exporterPort}/api/v1/events`,
  });
  exp = await startExporter(configFor(emu.port), { listen: `127.0.0.1:${exporterPort}`, logger });
  await waitFor('exporter ready', async () => (await fetch(`${exp.url}/readyz`)).status === 200, { timeoutMs: 15_000 });
});

afterAll(async () => {
  await prom?.stop();
  await exp?.close();
  await emu?.close();
});

// A failing chain test is hard to read without the exporter's own account of events.
afterEach((ctx) => {
  if (ctx.task.result?.state === 'fail') console.error(`--- exporter log ---\n${logger.lines.slice(-80).join('\n')}`);
});

async function scrape(url = exp.url): Promise<string> {
  return (await fetch(`${url}/metrics`)).text();
}

/** The value of one series in an exposition body (labels as written by prom-client). */
function value(body: string, series: string): number | undefined {
  const line = body.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

const CONNECTED = 'trader_broker_connected{gateway="ib-gateway"}';
const UPSTREAM = 'trader_broker_upstream_connected{gateway="ib-gateway"}';
const RECONNECTS = 'trader_broker_reconnects_total{gateway="ib-gateway"}';

/** Watches `series` until it has been `down` and then `up` again. */
async function seesDropAndRecovery(series: string, fault: () => unknown, recover?: () => unknown, timeoutMs = 20_000) {
  expect(value(await scrape(), series)).toBe(1);
  await fault();
  await waitFor(`${series} = 0`, async () => value(await scrape(), series) === 0, { timeoutMs, intervalMs: 25 });
  await recover?.();
  await waitFor(`${series} = 1 again`, async () => value(await scrape(), series) === 1, { timeoutMs, intervalMs: 50 });
}

describe('the exporter on the emulator', () => {
  it('exports the account, and a real Prometheus answers a query for trader_equity', async () => {
    const body = await scrape();
    expect(value(body, `trader_equity{account="${ACCOUNT}",currency="USD"}`)).toBeGreaterThan(0);
    const target = new URL(exp.url).host;
    prom = await startPrometheus({
      config: `global:\n  scrape_interval: 1s\n  evaluation_interval: 1s\nscrape_configs:\n  - job_name: exporter\n    static_configs:\n      - targets: ['${target}']\n`,
    });
    const result = await waitFor(
      'trader_equity in Prometheus',
      async () => {
        const r = await promQuery(prom!.url, `trader_equity{account="${ACCOUNT}"}`);
        return r.length > 0 ? r : undefined;
      },
      { timeoutMs: 20_000, intervalMs: 250 },
    );
    expect(result[0].metric).toMatchObject({ account: ACCOUNT, currency: 'USD', job: 'exporter' });
    expect(Number(result[0].value[1])).toBeGreaterThan(0);
  });

  it('follows injected fills: positions, executions, round trips and realized P&L agree with the gateway', async () => {
    await emu.control.fill({ account: ACCOUNT, symbol: 'AAPL', side: 'BUY', quantity: 10, price: 150 });
    await emu.control.fill({ account: ACCOUNT, symbol: 'AAPL', side: 'SELL', quantity: 10, price: 152, latencyMs: 120 });
    await waitFor('the round trip', async () => value(await scrape(), `trader_trades_today{account="${ACCOUNT}",outcome="win"}`) === 1);
    const body = await scrape();
    const state = emu.control.state().accounts.find((a) => a.account === ACCOUNT)!;
    await waitFor('commissions applied', async () => {
      const realized = value(await scrape(), `trader_realized_pnl_today{account="${ACCOUNT}",currency="USD"}`)!;
      return Math.abs(realized - state.realizedPnlToday) < 1e-6;
    });
    expect(value(body, `trader_executions_total{account="${ACCOUNT}",side="sell"}`)).toBe(1);
    // The emulator posted the 120 ms round trip to POST /api/v1/events.
    await waitFor(
      'the order latency event',
      async () => value(await scrape(), `trader_order_latency_seconds_count{account="${ACCOUNT}",stage="fill"}`) === 1,
    );
    const latest = await scrape();
    expect(value(latest, `trader_order_latency_max_seconds{account="${ACCOUNT}",stage="fill"}`)).toBeCloseTo(0.12, 2);
    expect(value(latest, `trader_order_latency_seconds_bucket{le="0.1",account="${ACCOUNT}",stage="fill"}`)).toBe(0);
    expect(value(latest, `trader_order_latency_seconds_bucket{le="0.25",account="${ACCOUNT}",stage="fill"}`)).toBe(1);
    const check = await promtoolCheckMetrics(body);
    expect(check.output).toBe('');
  });

  it('a dropped connection: trader_broker_connected goes to 0 and back, and a reconnect is counted', async () => {
    const before = value(await scrape(), RECONNECTS)!;
    await seesDropAndRecovery(CONNECTED, () => emu.control.dropConnections());
    expect(value(await scrape(), RECONNECTS)).toBe(before + 1);
  });

  it('a hung gateway (socket open, no answers): the probe notices, the exporter reconnects once it wakes', async () => {
    await seesDropAndRecovery(
      CONNECTED,
      () => emu.control.hang(),
      () => emu.control.unhang(),
    );
    expect(logger.lines.some((l) => l.includes('dropping the gateway session') && l.includes('probe'))).toBe(true);
  });

  it('1100 then 1102: connected and upstream go to 0, then back', async () => {
    const errorsBefore = value(await scrape(), 'trader_api_errors_total{component="ibkr",code="1100",class="connectivity"}')!;
    await seesDropAndRecovery(CONNECTED, () => emu.control.connectivityLost());
    expect(value(await scrape(), UPSTREAM)).toBe(0);
    expect(value(await scrape(), 'trader_api_errors_total{component="ibkr",code="1100",class="connectivity"}')).toBe(errorsBefore + 1);
    emu.control.connectivityRestored(false);
    await waitFor('upstream back', async () => value(await scrape(), UPSTREAM) === 1);
    expect(value(await scrape(), 'trader_api_errors_total{component="ibkr",code="1102",class="connectivity"}')).toBe(1);
  });

  it('1100 then 1101 (data lost): the exporter subscribes again and prices keep coming', async () => {
    const price = `trader_position_market_price{account="${ACCOUNT}",symbol="AAPL",sec_type="STK",currency="USD"}`;
    if (value(await scrape(), price) === undefined) {
      await emu.control.fill({
        account: ACCOUNT,
        symbol: 'AAPL',
        side: 'BUY',
        quantity: 1,
        price: (await emu.control.state()).prices.AAPL,
      });
      await waitFor('an AAPL position', async () => value(await scrape(), price) !== undefined, { timeoutMs: 10_000 });
    }
    emu.control.connectivityLost();
    await waitFor('upstream lost', async () => value(await scrape(), UPSTREAM) === 0);
    // @stoqey/ib reconnects on 1100 by itself; 1101 must reach the new session.
    await waitFor('session back', async () => (await fetch(`${exp.url}/readyz`)).status === 200, { timeoutMs: 15_000 });
    emu.control.connectivityRestored(true);
    await waitFor('upstream back', async () => value(await scrape(), UPSTREAM) === 1);
    // The gateway forgot every subscription at 1101: only fresh ones bring this price.
    emu.control.price({ symbol: 'AAPL', price: 123.45 });
    await waitFor('the new price', async () => Math.abs(value(await scrape(), price)! - 123.45) < 1.5, { timeoutMs: 10_000 });
    expect(logger.lines.some((l) => l.includes('data lost (1101)'))).toBe(true);
  });

  it('a fill made while disconnected shows up after the reconnect (reqExecutions reconciliation)', async () => {
    const sells = () => scrape().then((b) => value(b, `trader_executions_total{account="${ACCOUNT}",side="sell"}`)!);
    const before = await sells();
    await emu.control.refuseConnections();
    emu.control.dropConnections();
    await waitFor('disconnected', async () => value(await scrape(), CONNECTED) === 0, { intervalMs: 25 });
    await emu.control.fill({ account: ACCOUNT, symbol: 'MSFT', side: 'SELL', quantity: 3, price: 400 });
    await emu.control.acceptConnections();
    await waitFor('the missed fill', async () => (await sells()) === before + 1, { timeoutMs: 20_000 });
    expect(value(await scrape(), `trader_position_quantity{account="${ACCOUNT}",symbol="MSFT",sec_type="STK",currency="USD"}`)).toBe(-3);
  });

  it("a second exporter started mid-day rebuilds today's statistics from the day's executions", async () => {
    // A gateway refuses a client id already in use (326), as a real one does.
    const second = await startExporter(configFor(emu.port, 18), { listen: '127.0.0.1:0', logger: memoryLogger() });
    try {
      await waitFor('second exporter ready', async () => (await fetch(`${second.url}/readyz`)).status === 200, { timeoutMs: 15_000 });
      const [a, b] = await Promise.all([scrape(), scrape(second.url)]);
      for (const series of [
        `trader_trades_today{account="${ACCOUNT}",outcome="win"}`,
        `trader_realized_pnl_today{account="${ACCOUNT}",currency="USD"}`,
        `trader_trade_pnl_today{account="${ACCOUNT}",outcome="win",currency="USD"}`,
      ])
        expect(value(b, series), series).toBeCloseTo(value(a, series)!, 6);
      // Counters of the new process start from zero: a rebuild does not count fills twice.
      expect(value(b, `trader_executions_total{account="${ACCOUNT}",side="buy"}`)).toBe(0);
      // Started mid-day, it takes the start-of-day equity from the gateway's daily P&L (reqPnL),
      // not the first equity it saw.
      const day = emu.control.state().accounts.find((x) => x.account === ACCOUNT)!;
      expect(Math.abs(day.dailyPnl)).toBeGreaterThan(0.05);
      await waitFor('start of day from the gateway', async () => {
        const sod = value(await scrape(second.url), `trader_equity_start_of_day{account="${ACCOUNT}",currency="USD"}`);
        return sod !== undefined && Math.abs(sod - day.dayStartEquity) < 0.05;
      });
    } finally {
      await second.close();
    }
  });
});
