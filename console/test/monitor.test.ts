/**
 * The console's Monitoring and Alerts answers with an injected network: what each part of the
 * chain answers is scripted, so "Prometheus down" and "unknown account" are exact and fast.
 * The whole chain, in Chromium, is in features/monitoring.feature and features/realtime.feature.
 */
import { describe, expect, it } from 'vitest';
import { loadConfig, type Config } from '@traderadmin/config';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Alerts, readSilenceRequest } from '../src/monitor/alerts.js';
import { Monitoring } from '../src/monitor/monitoring.js';
import { historyQueries, promString, rangeWindow } from '../src/monitor/queries.js';
import { Upstream } from '../src/monitor/upstream.js';

const cfg = config();
const NOW = Date.parse('2026-11-20T15:00:00Z');

function config(): Config {
  const dir = mkdtempSync(path.join(tmpdir(), 'console-monitor-'));
  const file = path.join(dir, 'config.toml');
  writeFileSync(file, '[alerts_config.thresholds]\nmax_order_latency_ms = 250\n');
  return loadConfig(file).config;
}

const snapshot = {
  timestamp: new Date(NOW).toISOString(),
  tradingDayStart: '2026-11-20T05:00:00Z',
  accounts: {
    DU1: {
      portfolio: {
        timestamp: '',
        equity: 100_500,
        realizedPnlToday: 120,
        unrealizedPnl: -20,
        dailyPnl: 100,
        openPositionsCount: 1,
        buyingPower: 300_000,
        currency: 'EUR',
      },
      trades: { executedCount: 3, winCount: 2, lossCount: 1, breakevenCount: 0, winRate: 0.666667, avgWin: 80, avgLoss: -40 },
      system: {
        avgOrderLatencyMs: 120,
        maxOrderLatencyMs: 300,
        apiErrorCount: 0,
        lastDataSync: '2026-11-20T14:59:59Z',
        brokerConnected: true,
      },
      positions: [
        {
          symbol: 'SAP',
          secType: 'STK',
          currency: 'EUR',
          quantity: 10,
          avgCost: 200,
          marketPrice: 198,
          marketValue: 1980,
          unrealizedPnl: -20,
        },
      ],
    },
  },
};

type Route = (url: URL, init?: RequestInit) => Response | undefined;
function network(routes: Record<string, Route | 'down'>) {
  const calls: Array<{ url: URL; init?: RequestInit }> = [];
  const fetch = async (input: string | URL | Request, init?: RequestInit) => {
    const url = new URL(String(input));
    calls.push({ url, init });
    const route = routes[url.host];
    if (route === 'down' || !route) throw new TypeError('fetch failed');
    return route(url, init) ?? new Response('not found', { status: 404 });
  };
  return { fetch: fetch as typeof globalThis.fetch, calls };
}
const json = (body: unknown, status = 200) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
const hosts = { exporterUrl: 'http://exporter', prometheusUrl: 'http://prom', alertmanagerUrl: 'http://am', bridgeUrl: 'http://bridge' };

const exporter: Route = (url) => (url.pathname === '/api/v1/metrics' ? json(snapshot) : undefined);
const healthy: Route = () => new Response('ok');
const prometheus: Route = (url) => {
  const q = url.searchParams.get('query') ?? '';
  if (url.pathname === '/api/v1/query' && q.includes('__name__'))
    return json({
      data: {
        result: [
          { metric: { __name__: 'trader_broker_connected', gateway: 'g' }, value: [NOW / 1000, '1'] },
          { metric: { __name__: 'trader_broker_upstream_connected', gateway: 'g' }, value: [NOW / 1000, '0'] },
          {
            metric: { __name__: 'trader_component_last_heartbeat_timestamp_seconds', component: 'orchestrator' },
            value: [NOW / 1000, String(NOW / 1000 - 5)],
          },
          { metric: { __name__: 'account:trader_drawdown_today:ratio', account: 'DU1' }, value: [NOW / 1000, '0.012'] },
        ],
      },
    });
  if (url.pathname === '/api/v1/query') return json({ data: { result: [{ metric: {}, value: [NOW / 1000, '4'] }] } });
  if (url.pathname === '/api/v1/query_range') {
    const start = Number(url.searchParams.get('start'));
    const step = Number(url.searchParams.get('step'));
    if (q.startsWith('max(trader_equity'))
      return json({
        data: {
          result: [
            {
              metric: {},
              values: [
                [start, '100000'],
                [start + 2 * step, '100500'],
              ],
            },
          ],
        },
      });
    if (q.includes('trader_api_errors_total'))
      return json({ data: { result: [{ metric: { component: 'ibkr' }, values: [[start + step, '2']] }] } });
    return json({ data: { result: [] } });
  }
  return undefined;
};

describe('named queries', () => {
  it('quote an account as a PromQL string, so no id can change the query', () => {
    expect(promString('DU1"} or vector(1) #')).toBe('"DU1\\"} or vector(1) #"');
    expect(historyQueries('a"b', 20).equity).toBe('max(trader_equity{account="a\\"b"})');
  });

  it('cut every range into at most about 720 steps of at least one scrape', () => {
    const now = NOW / 1000;
    expect(rangeWindow('1h', now, now - 3600)).toEqual({ start: now - 3600, end: now, step: 5 });
    const week = rangeWindow('7d', now, 0);
    expect(week.step).toBe(840);
    expect((week.end - week.start) / week.step).toBeLessThanOrEqual(720);
    expect(rangeWindow('today', now, now - 100).step).toBe(5);
  });
});

/** The Monitoring service on the fake network, at NOW, refreshing every 5 s. */
function monitoring(net: ReturnType<typeof network>): Monitoring {
  return new Monitoring({ config: () => cfg, upstream: new Upstream({ ...hosts, fetch: net.fetch }), refreshSeconds: 5, clock: () => NOW });
}

describe('the Monitoring answers', () => {
  it('fill the readouts from the exporter and the status from Prometheus, in five requests', async () => {
    const net = network({ exporter, prom: prometheus, am: healthy, bridge: healthy });
    const m = monitoring(net);
    const live = await m.live(undefined);
    expect(live.account).toBe('DU1');
    expect(live.problems).toEqual({});
    expect(live.live).toMatchObject({ equity: 100_500, currency: 'EUR', apiErrorsLastHour: 4, drawdownToday: 0.012, openPositions: 1 });
    expect(live.live!.positions[0].symbol).toBe('SAP');
    expect(live.thresholds.maxOrderLatencyMs).toBe(250);
    expect(live.status).toMatchObject({ gatewayConnected: true, gatewayUpstream: false });
    expect(live.status.components).toEqual([
      { name: 'orchestrator', lastHeartbeat: new Date(NOW - 5000).toISOString(), stale: false },
      { name: 'scanner', lastHeartbeat: null, stale: true },
    ]);
    expect(net.calls).toHaveLength(5);
  });

  it('say Prometheus is down and still show the live values; say so for an unknown account', async () => {
    const net = network({ exporter, prom: 'down', am: healthy, bridge: healthy });
    const m = monitoring(net);
    const live = await m.live('DU1');
    expect(live.problems.prometheus).toBe('Prometheus is not reachable at prom');
    expect(live.status.services).toEqual({ exporter: true, prometheus: false, alertmanager: true, bridge: true });
    expect(live.live).toMatchObject({ equity: 100_500, apiErrorsLastHour: null, drawdownToday: null });
    expect(live.status.gatewayConnected).toBe(true);
    const unknown = await m.live('DU999');
    expect(unknown.unknownAccount).toBe('DU999');
    expect(unknown.live).toBeNull();
  });

  it('put every history series on one time grid, with gaps as null', async () => {
    const net = network({ exporter, prom: prometheus, am: healthy, bridge: healthy });
    const m = monitoring(net);
    const h = await m.history('DU1', '1h');
    expect(h.step).toBe(5);
    expect(h.times).toHaveLength(721);
    expect(h.equity.slice(0, 3)).toEqual([100_000, null, 100_500]);
    expect(h.errors.ibkr.slice(0, 2)).toEqual([null, 2]);
    expect(h.latency.avg.every((v) => v === null)).toBe(true);
    expect(net.calls.filter((c) => c.url.pathname === '/api/v1/query_range')).toHaveLength(6);
  });
});

describe('the Alerts answers', () => {
  it('check a silence request before it reaches Alertmanager', () => {
    const names = ['OrderLatencyHigh'];
    expect(readSilenceRequest({ alertname: 'OrderLatencyHigh', account: 'DU1', durationMinutes: 60, comment: 'deploy' }, names)).toEqual({
      alertname: 'OrderLatencyHigh',
      account: 'DU1',
      durationMinutes: 60,
      comment: 'deploy',
    });
    expect(readSilenceRequest({ alertname: 'x y', durationMinutes: 60, comment: 'c' }, names)).toBe('choose one of the alerts');
    expect(readSilenceRequest({ alertname: 'OrderLatencyHigh', durationMinutes: 0, comment: 'c' }, names)).toMatch(/duration/);
    expect(readSilenceRequest({ alertname: 'OrderLatencyHigh', durationMinutes: 5, comment: ' ' }, names)).toMatch(/comment/);
    expect(readSilenceRequest({ alertname: 'OrderLatencyHigh', account: 'a"b', durationMinutes: 5, comment: 'c' }, names)).toMatch(
      /account/,
    );
  });

  it('make a silence through the v2 API for the alert and account, and list firing, silenced and resolved alerts', async () => {
    let posted: unknown;
    const am: Route = (url, init) => {
      if (url.pathname === '/api/v2/silences' && init?.method === 'POST') {
        posted = JSON.parse(String(init.body));
        return json({ silenceID: 'abc' });
      }
      if (url.pathname === '/api/v2/silences') return json([]);
      if (url.pathname === '/api/v2/alerts')
        return json([
          {
            fingerprint: 'f1',
            labels: { alertname: 'OrderLatencyHigh', account: 'DU1', severity: 'warning' },
            annotations: { summary: 's', description: 'took 1.2s, above the 250 ms limit', runbook_url: 'http://r#x' },
            startsAt: '2026-11-20T14:58:00Z',
            status: { state: 'suppressed', silencedBy: ['abc'], inhibitedBy: [] },
          },
          {
            fingerprint: 'w',
            labels: { alertname: 'Watchdog' },
            annotations: {},
            startsAt: '',
            status: { state: 'active', silencedBy: [], inhibitedBy: [] },
          },
        ]);
      return undefined;
    };
    const prom: Route = () =>
      json({
        data: {
          result: [
            {
              metric: { alertname: 'ApiErrorsExcessive', severity: 'warning' },
              values: [
                [NOW / 1000 - 3000, '1'],
                [NOW / 1000 - 2000, '1'],
              ],
            },
            {
              metric: { alertname: 'OrderLatencyHigh', account: 'DU1' },
              values: [
                [NOW / 1000 - 100, '1'],
                [NOW / 1000, '1'],
              ],
            },
          ],
        },
      });
    const net = network({ am, prom });
    const alerts = new Alerts({
      upstream: new Upstream({ ...hosts, fetch: net.fetch }),
      alertnames: ['OrderLatencyHigh'],
      clock: () => NOW,
    });
    expect(await alerts.silence({ alertname: 'OrderLatencyHigh', account: 'DU1', durationMinutes: 30, comment: 'why' }, 'ann')).toBe('abc');
    expect(posted).toEqual({
      matchers: [
        { name: 'alertname', value: 'OrderLatencyHigh', isRegex: false, isEqual: true },
        { name: 'account', value: 'DU1', isRegex: false, isEqual: true },
      ],
      startsAt: new Date(NOW).toISOString(),
      endsAt: new Date(NOW + 30 * 60_000).toISOString(),
      createdBy: 'ann',
      comment: 'why',
    });
    const list = await alerts.list(['DU1']);
    expect(list.firing.map((a) => [a.alertname, a.suppressed, a.runbookUrl])).toEqual([['OrderLatencyHigh', true, 'http://r#x']]);
    expect(list.resolved).toEqual([
      {
        alertname: 'ApiErrorsExcessive',
        severity: 'warning',
        account: undefined,
        startsAt: new Date(NOW - 3_000_000).toISOString(),
        endsAt: new Date(NOW - 2_000_000).toISOString(),
      },
    ]);
  });

  it('say Alertmanager is down, and still list what Prometheus knows', async () => {
    const net = network({ am: 'down', prom: () => json({ data: { result: [] } }) });
    const alerts = new Alerts({ upstream: new Upstream({ ...hosts, fetch: net.fetch }), alertnames: [], clock: () => NOW });
    const list = await alerts.list([]);
    expect(list.problems).toEqual({ alertmanager: 'Alertmanager is not reachable at am' });
    expect(list.firing).toEqual([]);
  });
});
