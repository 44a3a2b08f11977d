/**
 * The Monitoring view's two answers: live values (the exporter's snapshot, plus the status a
 * snapshot does not carry, from Prometheus) and history (Prometheus range queries on one time
 * grid). Each part of the chain that does not answer is named in `problems`; the rest is filled.
 */
import type { Config } from '@traderadmin/config';
import type { AllMetrics } from '@traderadmin/exporter';
import type { AccountLive, Column, HistoryResponse, LiveResponse, Problems, Range, SystemStatus } from '../shared/monitor.js';
import { ERRORS_LAST_HOUR_QUERY, STATUS_QUERY, historyQueries, rangeWindow } from './queries.js';
import { attempt, type PromSeries, type Upstream } from './upstream.js';

export interface MonitoringOptions {
  /** The config as it is now (thresholds change when the Configuration view applies). */
  config: () => Config;
  upstream: Upstream;
  refreshSeconds: number;
  clock?: () => number;
}

const num = (s: string | undefined): number | null => {
  if (s === undefined) return null;
  const n = Number(s);
  return Number.isFinite(n) ? n : null;
};

export class Monitoring {
  private readonly clock: () => number;
  /** The trading day start from the last snapshot, for the "today" range. */
  private dayStart: number | undefined;

  constructor(private readonly options: MonitoringOptions) {
    this.clock = options.clock ?? Date.now;
  }

  /** The accounts the exporter knows (for the Alerts view's form); empty when it is down. */
  async accounts(): Promise<string[]> {
    const snapshot = await attempt<AllMetrics | undefined>({}, () => this.options.upstream.snapshot(), undefined);
    return Object.keys(snapshot?.accounts ?? {});
  }

  async live(asked: string | undefined): Promise<LiveResponse> {
    const { upstream } = this.options;
    const config = this.options.config();
    const problems: Problems = {};
    const [snapshot, status, errorsHour, amUp, bridgeUp] = await Promise.all([
      attempt<AllMetrics | undefined>(problems, () => upstream.snapshot(), undefined),
      attempt<PromSeries[] | undefined>(problems, () => upstream.query(STATUS_QUERY), undefined),
      attempt<PromSeries[] | undefined>(problems, () => upstream.query(ERRORS_LAST_HOUR_QUERY), undefined),
      upstream.healthy('alertmanager'),
      upstream.healthy('bridge'),
    ]);
    if (!amUp) problems.alertmanager ??= 'Alertmanager is not answering';
    if (!bridgeUp) problems.bridge ??= 'the alert bridge is not answering';
    if (snapshot) this.dayStart = Date.parse(snapshot.tradingDayStart) / 1000;
    const accounts = Object.entries(snapshot?.accounts ?? {}).map(([id, a]) => ({ id, currency: a.portfolio.currency }));
    const known = asked === undefined || accounts.some((a) => a.id === asked);
    const account = asked !== undefined && known ? asked : (accounts[0]?.id ?? null);
    const series = status ?? [];
    const pick = (name: string, label?: [string, string]) =>
      series.find((s) => s.metric.__name__ === name && (!label || s.metric[label[0]] === label[1]));
    const m = account && known ? snapshot?.accounts[account] : undefined;
    let live: AccountLive | null = null;
    if (m) {
      live = {
        equity: m.portfolio.equity,
        dailyPnl: m.portfolio.dailyPnl,
        realizedPnlToday: m.portfolio.realizedPnlToday,
        unrealizedPnl: m.portfolio.unrealizedPnl,
        buyingPower: m.portfolio.buyingPower,
        currency: m.portfolio.currency,
        openPositions: m.portfolio.openPositionsCount,
        trades: {
          executed: m.trades.executedCount,
          wins: m.trades.winCount,
          losses: m.trades.lossCount,
          winRate: m.trades.winRate,
          avgWin: m.trades.avgWin,
          avgLoss: m.trades.avgLoss,
        },
        latency: { avgMs: m.system.avgOrderLatencyMs, maxMs: m.system.maxOrderLatencyMs },
        apiErrorsLastHour: errorsHour ? (num(errorsHour[0]?.value?.[1]) ?? 0) : null,
        drawdownToday: status ? num(pick('account:trader_drawdown_today:ratio', ['account', account!])?.value?.[1]) : null,
        positions: m.positions,
      };
    }
    const now = this.clock();
    const timeout = config.exporter.heartbeat_timeout_seconds * 1000;
    const components = config.exporter.heartbeat_components.map((name) => {
      const seconds = num(pick('trader_component_last_heartbeat_timestamp_seconds', ['component', name])?.value?.[1]);
      const at = seconds && seconds > 0 ? seconds * 1000 : null;
      return { name, lastHeartbeat: at ? new Date(at).toISOString() : null, stale: at === null || now - at > timeout };
    });
    const first = snapshot ? Object.values(snapshot.accounts)[0] : undefined;
    const flag = (name: string) => {
      const v = num(pick(name)?.value?.[1]);
      return v === null ? null : v === 1;
    };
    const systemStatus: SystemStatus = {
      services: { exporter: snapshot !== undefined, prometheus: status !== undefined, alertmanager: amUp, bridge: bridgeUp },
      gatewayConnected: flag('trader_broker_connected') ?? (first ? first.system.brokerConnected : null),
      gatewayUpstream: flag('trader_broker_upstream_connected'),
      lastDataSync: first?.system.lastDataSync ?? null,
      components,
    };
    const t = config.alerts_config.thresholds;
    return {
      timestamp: new Date(now).toISOString(),
      refreshSeconds: this.options.refreshSeconds,
      accounts,
      account,
      ...(known ? {} : { unknownAccount: asked }),
      live,
      thresholds: {
        maxOrderLatencyMs: t.max_order_latency_ms,
        minDailyRealizedPnl: t.min_daily_realized_pnl,
        maxDrawdownPercentToday: t.max_portfolio_drawdown_percentage_today,
        maxApiErrorsPerHour: t.max_api_errors_per_hour,
      },
      status: systemStatus,
      problems,
    };
  }

  /** The charts' series for one account over a range, on one grid of `step` seconds. */
  async history(account: string, range: Range): Promise<HistoryResponse> {
    const { upstream } = this.options;
    const config = this.options.config();
    const problems: Problems = {};
    if (range === 'today' && this.dayStart === undefined) {
      const snapshot = await attempt(problems, () => upstream.snapshot(), undefined);
      if (snapshot) this.dayStart = Date.parse(snapshot.tradingDayStart) / 1000;
    }
    const dayStartSeconds = this.dayStart ?? this.clock() / 1000 - 86_400;
    const { start, end, step } = rangeWindow(range, this.clock() / 1000, dayStartSeconds);
    const scrape = config.prometheus.scrape_interval_seconds;
    // Like Grafana's $__rate_interval: a window that always holds at least four scrapes.
    const window = Math.max(step + scrape, 4 * scrape);
    const q = historyQueries(account, window);
    const times: number[] = [];
    for (let t = start; t <= end; t += step) times.push(t);
    const index = new Map(times.map((t, i) => [t, i]));
    const column = (s: PromSeries | undefined): Column => {
      const out: Column = times.map(() => null);
      for (const [t, v] of s?.values ?? []) {
        const i = index.get(Math.round(t));
        if (i !== undefined) out[i] = num(v);
      }
      return out;
    };
    const run = (expr: string) => attempt<PromSeries[]>(problems, () => upstream.queryRange(expr, start, end, step), []);
    const [equity, dailyPnl, avg, p95, max, errors] = await Promise.all([
      run(q.equity),
      run(q.dailyPnl),
      run(q.latencyAvg),
      run(q.latencyP95),
      run(q.latencyMax),
      run(q.errors),
    ]);
    return {
      range,
      times,
      step,
      equity: column(equity[0]),
      dailyPnl: column(dailyPnl[0]),
      latency: { avg: column(avg[0]), p95: column(p95[0]), max: column(max[0]) },
      errors: Object.fromEntries(errors.map((s) => [s.metric.component ?? 'unknown', column(s)])),
      problems,
    };
  }
}
