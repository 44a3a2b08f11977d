/**
 * The alerting model: config.toml mapped once to the recording rules, alert rules and
 * routing facts that rules.yml, alertmanager.yml, the promtool tests, `explain` and `diff`
 * are all written from. Names and semantics follow shared/spec/contract.md.
 */
import type { AlertSeverity, ChannelName, Config, LoadedConfig } from '@traderadmin/config';
import { CHANNELS, consoleUrl, dashboardPath, parseListen } from '@traderadmin/config';
import { decimal, money, shift } from './decimal.js';
import { literal, type Text } from './template.js';

/** Every alert the generator can emit (contract names: never rename). */
export const ALERT_NAMES = [
  'OrderLatencyHigh',
  'DailyRealizedPnlBelowLimit',
  'DrawdownTodayExceeded',
  'ApiErrorsExcessive',
  'BrokerDisconnected',
  'MarketDataStale',
  'ComponentDown',
  'ExporterDown',
  'AlertDeliveryFailing',
  'PartCrashLooping',
  'Watchdog',
] as const;
export type AlertName = (typeof ALERT_NAMES)[number];

/** Alerts that exist whatever alerts_config.enabled says: they watch the monitoring itself. */
export const ALWAYS_ON: readonly AlertName[] = ['Watchdog', 'ExporterDown', 'AlertDeliveryFailing', 'PartCrashLooping'];

export type RuleSeverity = AlertSeverity | 'none';

/** Scrape job names in prometheus.yml (also used by the rules). */
/** How far back ComponentDown looks for a component's last report, when its series is gone. */
export const HEARTBEAT_MEMORY = '1d';

export const JOBS = {
  exporter: 'trader-exporter',
  bridge: 'alert-bridge',
  prometheus: 'prometheus',
  alertmanager: 'alertmanager',
  supervisor: 'traderadmin-up',
} as const;

/**
 * The exporter's per-position series, scraped on a slower job of their own: no rule reads them,
 * and at fund size (10 accounts × 1,000 positions) they are 50,000 of the exporter's series,
 * which a 1 s scrape of everything could not ingest in half its interval on a small machine.
 */
export const POSITIONS_JOB = 'trader-exporter-positions';
/** `/metrics?scope=…`: what each exporter job asks for (exporter/src/http/server.ts). */
export const EXPORTER_SCOPES = { account: 'account', positions: 'positions' } as const;

export interface RecordingRule {
  record: string;
  expr: string;
  /** What dashboards read it for. */
  help: string;
}

export interface AlertRule {
  alert: AlertName;
  /** Distinguishes several rules of one alert (ComponentDown stale / absent). */
  variant: string;
  expr: string;
  /** Seconds the condition must hold; 0 = fires at the first evaluation where it holds. */
  forSeconds: number;
  severity: RuleSeverity;
  summary: Text;
  description: Text;
  /** Which Grafana dashboard the dashboard_url opens. */
  dashboard: 'account' | 'overview' | 'delivery';
  /** The config key that produced the rule (validate maps tool errors back to it). */
  source: string;
  /** The threshold, in the config's own unit and in the unit of the expression. */
  threshold?: Threshold;
  /** Constant labels besides severity (keeps two rules of one alert apart). */
  labels?: Record<string, string>;
}

export interface Threshold {
  key: string;
  /** As written in config.toml, exact. */
  configValue: string;
  unit: string;
  /** The number compared in PromQL, exact decimal string. */
  exprValue: string;
  /** Human form: "200 ms", "-500.00", "5 %". */
  display: string;
}

export interface ChannelRoute {
  channel: ChannelName;
  receiver: string;
  minSeverity: AlertSeverity;
  /** Severities this channel receives, lowest first. */
  severities: AlertSeverity[];
}

export interface Model {
  config: Config;
  sha256: string;
  sourceName: string;
  recording: RecordingRule[];
  alerts: AlertRule[];
  channels: ChannelRoute[];
  /** host:port that other local processes use to reach each part. */
  targets: { exporter: string; bridge: string; prometheus: string; alertmanager: string; supervisor: string };
  bridgeUrl: string;
}

const SEVERITY_ORDER: readonly AlertSeverity[] = ['info', 'warning', 'critical'];

/** host:port to connect to for a listen address: a wildcard host becomes loopback. */
export function connectAddress(listen: string): string {
  const parsed = parseListen(listen);
  if (!parsed) return listen;
  const host = ['0.0.0.0', '::', '[::]', ''].includes(parsed.host) ? '127.0.0.1' : parsed.host;
  return `${host.includes(':') && !host.startsWith('[') ? `[${host}]` : host}:${parsed.port}`;
}

/** A duration in Prometheus/Alertmanager syntax: 90 → "90s", 900 → "15m", 3600 → "1h". */
export function duration(seconds: number): string {
  if (seconds === 0) return '0s';
  if (seconds % 3600 === 0) return `${seconds / 3600}h`;
  if (seconds % 60 === 0) return `${seconds / 60}m`;
  return `${seconds}s`;
}

const ACCOUNT: Text = [{ label: 'account' }];

function thresholdsOf(c: Config): Record<string, Threshold> {
  const t = c.alerts_config.thresholds;
  const k = (name: string) => `alerts_config.thresholds.${name}`;
  return {
    latency: {
      key: k('max_order_latency_ms'),
      configValue: decimal(t.max_order_latency_ms),
      unit: 'ms',
      exprValue: shift(t.max_order_latency_ms, -3),
      display: `${decimal(t.max_order_latency_ms)} ms`,
    },
    pnl: {
      key: k('min_daily_realized_pnl'),
      configValue: decimal(t.min_daily_realized_pnl),
      unit: 'currency',
      exprValue: decimal(t.min_daily_realized_pnl),
      display: money(t.min_daily_realized_pnl),
    },
    drawdown: {
      key: k('max_portfolio_drawdown_percentage_today'),
      configValue: decimal(t.max_portfolio_drawdown_percentage_today),
      unit: '%',
      exprValue: shift(t.max_portfolio_drawdown_percentage_today, -2),
      display: `${decimal(t.max_portfolio_drawdown_percentage_today)} %`,
    },
    apiErrors: {
      key: k('max_api_errors_per_hour'),
      configValue: decimal(t.max_api_errors_per_hour),
      unit: 'errors/h',
      exprValue: decimal(t.max_api_errors_per_hour),
      display: decimal(t.max_api_errors_per_hour),
    },
    staleness: {
      key: k('max_data_staleness_seconds'),
      configValue: decimal(t.max_data_staleness_seconds),
      unit: 's',
      exprValue: decimal(t.max_data_staleness_seconds),
      display: `${decimal(t.max_data_staleness_seconds)} s`,
    },
  };
}

function recordingRules(): RecordingRule[] {
  return [
    {
      record: 'account:trader_win_rate_today:ratio',
      help: 'share of today’s closed trades that were wins (0..1); absent before the first trade',
      expr: 'sum by (account) (trader_trades_today{outcome="win"})\n/\n(sum by (account) (trader_trades_today) > 0)',
    },
    {
      record: 'account:trader_drawdown_today:ratio',
      help: 'how far equity is below start-of-day equity (0..1; 0 when above it)',
      expr: 'clamp_min(\n  1 - max by (account, currency) (trader_equity) / (max by (account, currency) (trader_equity_start_of_day) > 0),\n  0\n)',
    },
    {
      record: 'component:trader_api_errors:rate5m',
      // IB's informational notices (2104, 2106, 2158, ...: class "warning") arrive on every
      // connect; they are not errors, and counting them would page after a few reconnects.
      help: 'API errors per second by component, over 5 minutes (warnings excluded)',
      expr: 'sum by (component) (rate(trader_api_errors_total{class!="warning"}[5m]))',
    },
    {
      // Not increase(): it extrapolates (10 real errors can read 10.4) and would page at the
      // limit. This counts exactly; after a counter reset it counts the errors since the reset.
      record: 'component:trader_api_errors:increase1h',
      help: 'API errors by component in the last hour, counted exactly (no extrapolation; warnings excluded)',
      expr: 'sum by (component) (\n  ((trader_api_errors_total{class!="warning"} - trader_api_errors_total{class!="warning"} offset 1h) >= 0)\n  or\n  trader_api_errors_total{class!="warning"}\n)',
    },
    {
      record: 'account:trader_avg_win_today:currency',
      help: 'average P&L of today’s winning trades',
      expr: 'sum by (account, currency) (trader_trade_pnl_today{outcome="win"})\n/ on (account) group_left ()\n(sum by (account) (trader_trades_today{outcome="win"}) > 0)',
    },
    {
      record: 'account:trader_avg_loss_today:currency',
      help: 'average P&L of today’s losing trades (negative)',
      expr: 'sum by (account, currency) (trader_trade_pnl_today{outcome="loss"})\n/ on (account) group_left ()\n(sum by (account) (trader_trades_today{outcome="loss"}) > 0)',
    },
  ];
}

function alertRules(c: Config): AlertRule[] {
  const th = thresholdsOf(c);
  const scrape = c.prometheus.scrape_interval_seconds;
  const rules: AlertRule[] = [];
  const thresholdAlerts = c.alerts_config.enabled;

  if (thresholdAlerts) {
    rules.push({
      alert: 'OrderLatencyHigh',
      variant: 'max',
      expr: `max by (account, stage) (trader_order_latency_max_seconds) > ${th.latency.exprValue}`,
      forSeconds: 0,
      severity: 'warning',
      summary: ['Slow order round trip on ', ...ACCOUNT],
      description: [
        'An order round trip (',
        { label: 'stage' },
        ') on account ',
        ...ACCOUNT,
        ' took ',
        { value: 'duration' },
        `, above the ${th.latency.display} limit (max_order_latency_ms).`,
      ],
      dashboard: 'account',
      source: th.latency.key,
      threshold: th.latency,
    });
    rules.push({
      alert: 'DailyRealizedPnlBelowLimit',
      variant: 'limit',
      expr: `min by (account, currency) (trader_realized_pnl_today) < ${th.pnl.exprValue}`,
      forSeconds: 0,
      severity: 'critical',
      summary: ['Daily realized loss limit hit on ', ...ACCOUNT],
      description: [
        'Realized P&L today on account ',
        ...ACCOUNT,
        ' is ',
        { value: 'money' },
        ' ',
        { label: 'currency' },
        `, below the limit of ${th.pnl.display} `,
        { label: 'currency' },
        ' (min_daily_realized_pnl).',
      ],
      dashboard: 'account',
      source: th.pnl.key,
      threshold: th.pnl,
    });
    rules.push({
      alert: 'DrawdownTodayExceeded',
      variant: 'limit',
      expr: `account:trader_drawdown_today:ratio > ${th.drawdown.exprValue}`,
      forSeconds: 0,
      severity: 'critical',
      summary: ['Drawdown limit exceeded on ', ...ACCOUNT],
      description: [
        'Equity on account ',
        ...ACCOUNT,
        ' is ',
        { value: 'percent' },
        ` below start-of-day equity, more than the ${th.drawdown.display} limit (max_portfolio_drawdown_percentage_today).`,
      ],
      dashboard: 'account',
      source: th.drawdown.key,
      threshold: th.drawdown,
    });
    rules.push({
      alert: 'ApiErrorsExcessive',
      variant: 'limit',
      expr: `sum(component:trader_api_errors:increase1h) > ${th.apiErrors.exprValue}`,
      forSeconds: 0,
      severity: 'warning',
      summary: ['Excessive API errors in the last hour'],
      description: [
        { value: 'count' },
        ` API errors in the last hour, more than the limit of ${th.apiErrors.display} (max_api_errors_per_hour).`,
      ],
      dashboard: 'overview',
      source: th.apiErrors.key,
      threshold: th.apiErrors,
    });
    // One alert per account the gateway serves (so inhibition can mute that account's P&L
    // alerts), and a bare one when no account has been seen yet.
    const down = 'max by (instance, gateway) (trader_broker_connected) == 0';
    rules.push({
      alert: 'BrokerDisconnected',
      variant: 'down',
      expr: `(\n  ${down}\n)\n+ on (instance) group_right (gateway)\n  (0 * group by (instance, account) (last_over_time(trader_equity[1h])))\nor on (instance)\n(\n  ${down}\n)`,
      forSeconds: 0,
      severity: 'critical',
      summary: ['Broker connection down: ', { label: 'gateway' }],
      description: [
        'The exporter is not connected and logged in to gateway ',
        { label: 'gateway' },
        { optionalLabel: 'account', before: ' (account ', after: ')' },
        ': no orders, fills or market data are seen.',
      ],
      dashboard: 'account',
      source: 'broker',
    });
    rules.push({
      alert: 'MarketDataStale',
      variant: 'limit',
      expr: `time() - max by (source) (trader_last_data_sync_timestamp_seconds) > ${th.staleness.exprValue}`,
      forSeconds: 0,
      severity: 'warning',
      summary: ['Market data is stale: ', { label: 'source' }],
      description: [
        'No ',
        { label: 'source' },
        ' sync for ',
        { value: 'duration' },
        `, longer than the ${th.staleness.display} limit (max_data_staleness_seconds).`,
      ],
      dashboard: 'overview',
      source: th.staleness.key,
      threshold: th.staleness,
    });
    const components = c.exporter.heartbeat_components;
    if (components.length > 0) {
      const timeout = c.exporter.heartbeat_timeout_seconds;
      const matcher = components.length === 1 ? `component="${components[0]}"` : `component=~"${components.join('|')}"`;
      rules.push({
        alert: 'ComponentDown',
        variant: 'stale',
        labels: { reason: 'stale' },
        expr: `time() - max by (component) (trader_component_last_heartbeat_timestamp_seconds{${matcher}}) > ${timeout}`,
        forSeconds: 0,
        severity: 'critical',
        summary: ['Component down: ', { label: 'component' }],
        description: [
          'No heartbeat from ',
          { label: 'component' },
          ' for ',
          { value: 'duration' },
          `, longer than ${timeout} s (exporter.heartbeat_timeout_seconds).`,
        ],
        dashboard: 'overview',
        source: 'exporter.heartbeat_timeout_seconds',
      });
      rules.push({
        alert: 'ComponentDown',
        variant: 'absent',
        labels: { reason: 'absent' },
        // Only a component that reported at least once in the last day: a fresh start with nothing
        // sending heartbeats yet never pages; a series that vanished (the exporter restarted, and
        // the component did not come back) does, after one timeout.
        expr: components
          .map(
            (name) =>
              `(absent(trader_component_last_heartbeat_timestamp_seconds{component="${name}"}) and on () present_over_time(trader_component_last_heartbeat_timestamp_seconds{component="${name}"}[${HEARTBEAT_MEMORY}]))`,
          )
          .join('\nor\n'),
        forSeconds: timeout,
        severity: 'critical',
        summary: ['Component down: ', { label: 'component' }],
        description: [
          'No heartbeat from ',
          { label: 'component' },
          ` has been recorded for ${timeout} s, though it reported within the last ${HEARTBEAT_MEMORY} (exporter.heartbeat_components lists it).`,
        ],
        dashboard: 'overview',
        source: 'exporter.heartbeat_components',
      });
    }
  }

  rules.push({
    alert: 'ExporterDown',
    variant: 'down',
    expr: `up{job="${JOBS.exporter}"} == 0\nor\nabsent(up{job="${JOBS.exporter}"})`,
    // Two missed scrapes: one slow scrape does not page at night.
    forSeconds: 2 * scrape,
    severity: 'critical',
    summary: ['Prometheus cannot scrape the trader exporter'],
    description: [
      'Prometheus cannot scrape the trader exporter',
      { optionalLabel: 'instance', before: ' at ', after: '' },
      `: every trading alert is blind until it is back (exporter.listen = ${c.exporter.listen}).`,
    ],
    dashboard: 'overview',
    source: 'exporter.listen',
  });
  rules.push({
    alert: 'AlertDeliveryFailing',
    variant: 'bridge',
    expr:
      'label_replace(sum(alert_bridge_dead_letters) > 0, "reason", "dead_letters", "", "")\nor\n' +
      'label_replace(max(alert_bridge_oldest_queued_age_seconds) > 300, "reason", "queue_stuck", "", "")',
    forSeconds: 0,
    severity: 'critical',
    summary: ['Alert notifications are failing (', { label: 'reason' }, ')'],
    description: [
      'The alert bridge reports ',
      { label: 'reason' },
      ' = ',
      { value: 'count' },
      ': notifications it gave up on (dead letters > 0) or queued longer than 300 s. Check the channel credentials and the bridge log.',
    ],
    dashboard: 'delivery',
    source: 'alert_bridge',
  });
  rules.push({
    alert: 'PartCrashLooping',
    variant: 'supervisor',
    expr: 'max by (part) (traderadmin_part_crash_looping) == 1',
    forSeconds: 0,
    severity: 'critical',
    summary: ['A part of the stack keeps crashing: ', { label: 'part' }],
    description: [
      '"traderadmin up" restarted ',
      { label: 'part' },
      ` at least ${c.supervisor.crash_loop_restarts} times within ${c.supervisor.crash_loop_window_seconds} s (supervisor.crash_loop_restarts) and keeps restarting it with backoff. Its output is in the log of up (journalctl -u traderadmin when it runs as a service).`,
    ],
    dashboard: 'delivery',
    source: 'supervisor.crash_loop_restarts',
  });
  rules.push({
    alert: 'Watchdog',
    variant: 'always',
    expr: 'vector(1)',
    forSeconds: 0,
    severity: 'none',
    summary: ['Watchdog: the alerting pipeline works'],
    description: [
      'Always firing, by design: the alert bridge expects it every minute and notifies that monitoring is down when it stops arriving.',
    ],
    dashboard: 'delivery',
    source: 'alert_bridge.watchdog_timeout_seconds',
  });
  return rules;
}

function channelRoutes(c: Config): ChannelRoute[] {
  const out: ChannelRoute[] = [];
  for (const channel of CHANNELS) {
    const n = c.alerts_config.notifications[channel];
    if (!n.enabled) continue;
    const min = SEVERITY_ORDER.indexOf(n.min_severity);
    out.push({ channel, receiver: `bridge-${channel}`, minSeverity: n.min_severity, severities: SEVERITY_ORDER.slice(min) });
  }
  return out;
}

/** Maps a loaded config to the model every output is written from. Pure. */
export function buildModel(loaded: Pick<LoadedConfig, 'config' | 'sha256' | 'file'>): Model {
  const c = loaded.config;
  const bridge = connectAddress(c.alert_bridge.listen);
  return {
    config: c,
    sha256: loaded.sha256,
    sourceName: loaded.file.split(/[\\/]/).at(-1) ?? loaded.file,
    recording: recordingRules(),
    alerts: alertRules(c),
    channels: channelRoutes(c),
    targets: {
      exporter: connectAddress(c.exporter.listen),
      bridge,
      prometheus: connectAddress(c.prometheus.listen),
      alertmanager: connectAddress(c.alertmanager.listen),
      supervisor: connectAddress(c.supervisor.listen),
    },
    bridgeUrl: `http://${bridge}`,
  };
}

/** The runbook link of an alert, as a template (the configured base is literal text). */
export function runbookUrl(c: Config, alert: AlertName): string {
  return `${literal(c.alerts_config.runbook_base_url)}#${alert.toLowerCase()}`;
}

/**
 * The dashboard link of a rule, a template when it names the account: Grafana's dashboards
 * when [grafana] url is set, else the console's views (on every install).
 */
export function dashboardUrl(c: Config, kind: AlertRule['dashboard']): string {
  if (!c.grafana.url) {
    const base = literal(consoleUrl(c));
    switch (kind) {
      case 'account':
        return `${base}/monitoring?account={{ $labels.account }}`;
      case 'overview':
        return `${base}/monitoring`;
      case 'delivery':
        return `${base}/alerts`;
    }
  }
  const base = literal(c.grafana.url.replace(/\/+$/, ''));
  switch (kind) {
    case 'account':
      return `${base}${dashboardPath('overview')}?var-account={{ $labels.account }}`;
    case 'overview':
      return `${base}${dashboardPath('overview')}`;
    case 'delivery':
      return `${base}${dashboardPath('delivery')}`;
  }
}
