/**
 * The PromQL the console runs, by name: the browser asks for a view and a range, never for a
 * query. Accounts go in as escaped label values, so no account id can change a query.
 */
import type { Range } from '../shared/monitor.js';

/** A PromQL string literal. */
export function promString(value: string): string {
  return `"${value.replace(/[\\"]/g, '\\$&').replace(/\n/g, '\\n')}"`;
}

/** Start, end and step (seconds) of a range ending now; "today" starts at the trading day start. */
export function rangeWindow(range: Range, nowSeconds: number, dayStartSeconds: number): { start: number; end: number; step: number } {
  const span = range === '1h' ? 3600 : range === '7d' ? 7 * 86_400 : Math.max(300, nowSeconds - dayStartSeconds);
  // At most about 720 points whatever the span (a chart is a few hundred pixels wide), at least
  // 5 s apart (a default scrape): the last hour moves on every 5 s refresh.
  const step = Math.max(5, Math.ceil(span / 720 / 5) * 5);
  const end = Math.floor(nowSeconds / step) * step;
  return { start: end - Math.ceil(span / step) * step, end, step };
}

/** The history charts' queries for one account; `window` is the rate window in seconds. */
export function historyQueries(account: string, window: number): Record<string, string> {
  const a = `account=${promString(account)}`;
  const w = `[${window}s]`;
  const latency = (suffix: string) => `trader_order_latency_seconds_${suffix}{${a},stage="fill"}`;
  return {
    equity: `max(trader_equity{${a}})`,
    dailyPnl: `max(trader_daily_pnl{${a}})`,
    latencyAvg: `sum(rate(${latency('sum')}${w})) / sum(rate(${latency('count')}${w}))`,
    latencyP95: `histogram_quantile(0.95, sum by (le) (rate(${latency('bucket')}${w})))`,
    latencyMax: `max(max_over_time(trader_order_latency_max_seconds{${a}}${w}))`,
    // Component-scoped (no account): the errors of the whole chain, IB notices left out.
    errors: `sum by (component) (increase(trader_api_errors_total{class!="warning"}${w}))`,
  };
}

/** The instant queries behind the Monitoring view's status panel and drawdown readout. */
export const STATUS_QUERY =
  '{__name__=~"trader_broker_connected|trader_broker_upstream_connected|trader_component_last_heartbeat_timestamp_seconds|account:trader_drawdown_today:ratio"}';
export const ERRORS_LAST_HOUR_QUERY = 'sum(component:trader_api_errors:increase1h) or vector(0)';

/** Alerts that fired in the window (Prometheus keeps ALERTS as a series). */
export const ALERTS_HISTORY_QUERY = 'ALERTS{alertstate="firing",alertname!="Watchdog"}';
