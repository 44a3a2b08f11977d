/**
 * Generated `promtool test rules` suites, one file per alert, for the thresholds of THIS
 * config: at (or just below) the limit never fires, just past it fires at the first
 * evaluation, it resolves, and missing data fires ExporterDown instead. Expected
 * annotations are rendered from the same text as the rules (template.ts), so a wrong
 * description fails the test too.
 */
import { add, mul, shift } from './decimal.js';
import { JOBS, duration, type AlertName, type AlertRule, type Model } from './model.js';
import { ruleAnnotations, ruleLabels } from './rules.js';
import { render, unliteral } from './template.js';
import { header, toYaml } from './yaml.js';

/** Example label values the tests use. */
export const TEST_ACCOUNT = 'DU1234567';
const INSTANCE = 'exporter:9464';

interface Series {
  series: string;
  values: string;
}
interface ExpAlert {
  exp_labels: Record<string, string>;
  exp_annotations: Record<string, string>;
}
interface AlertTest {
  eval_time: string;
  alertname: string;
  exp_alerts: ExpAlert[];
}
interface ExprTest {
  expr: string;
  eval_time: string;
  exp_samples: Array<{ labels: string; value: number }>;
}
interface TestGroup {
  name: string;
  interval: string;
  input_series: Series[];
  alert_rule_test?: AlertTest[];
  promql_expr_test?: ExprTest[];
}

function selector(name: string, labels: Record<string, string>): string {
  const inner = Object.entries(labels)
    .map(([k, v]) => `${k}="${v}"`)
    .join(', ');
  return `${name}{${inner}}`;
}

/** The alerts a rule produces for these labels and value, as promtool expects them. */
function expect(model: Model, rule: AlertRule, labels: Record<string, string>, value: number): ExpAlert {
  const annotations = ruleAnnotations(model, rule);
  return {
    exp_labels: { ...labels, ...ruleLabels(rule) },
    exp_annotations: {
      summary: render(rule.summary, labels, value),
      description: render(rule.description, labels, value),
      runbook_url: unliteral(annotations.runbook_url),
      dashboard_url: unliteral(annotations.dashboard_url.replace('{{ $labels.account }}', labels.account ?? '')),
    },
  };
}

class Suite {
  readonly groups: TestGroup[] = [];
  constructor(
    readonly model: Model,
    readonly E: number,
  ) {}
  t(step: number): string {
    return duration(step * this.E);
  }
  rule(alert: AlertName, variant?: string): AlertRule {
    const r = this.model.alerts.find((a) => a.alert === alert && (variant === undefined || a.variant === variant));
    if (!r) throw new Error(`no ${alert} rule`);
    return r;
  }
  upSeries(values: string): Series {
    return { series: selector('up', { job: JOBS.exporter, instance: INSTANCE }), values };
  }
}

const ones = (n: number) => Array.from({ length: n }, () => '1').join(' ');

/** Every threshold suite ends with: no data from the exporter fires ExporterDown, not the threshold alert. */
function missingData(s: Suite, alert: AlertName, extra: Series[] = []): TestGroup {
  const down = s.rule('ExporterDown');
  const fireStep = Math.ceil(down.forSeconds / s.E);
  return {
    name: `${alert}: no data from the exporter fires ExporterDown, not ${alert}`,
    interval: s.t(1),
    input_series: extra,
    alert_rule_test: [
      { eval_time: s.t(fireStep), alertname: alert, exp_alerts: [] },
      { eval_time: s.t(fireStep), alertname: 'ExporterDown', exp_alerts: [expect(s.model, down, { job: JOBS.exporter }, 1)] },
    ],
  };
}

/** A threshold scenario over steps: [safe, atLimit, atLimit, breach, breach, safe]. */
function thresholdGroup(
  s: Suite,
  rule: AlertRule,
  what: string,
  series: (kind: 'safe' | 'limit' | 'breach') => Series[],
  alertLabels: Record<string, string>,
  breachValue: number,
  limitFires = false,
): TestGroup {
  const kinds = ['safe', 'limit', 'limit', 'breach', 'breach', 'safe'] as const;
  const columns = kinds.map((k) => series(k));
  const input: Series[] = columns[0].map((first, i) => ({ series: first.series, values: columns.map((c) => c[i].values).join(' ') }));
  input.push(s.upSeries(ones(kinds.length)));
  const fired = [expect(s.model, rule, alertLabels, breachValue)];
  return {
    name: `${rule.alert}: ${what}`,
    interval: s.t(1),
    input_series: input,
    alert_rule_test: [
      { eval_time: s.t(0), alertname: rule.alert, exp_alerts: [] },
      { eval_time: s.t(1), alertname: rule.alert, exp_alerts: limitFires ? fired : [] },
      { eval_time: s.t(2), alertname: rule.alert, exp_alerts: limitFires ? fired : [] },
      // The first evaluation that sees the breach fires: no `for`.
      { eval_time: s.t(3), alertname: rule.alert, exp_alerts: fired },
      { eval_time: s.t(4), alertname: rule.alert, exp_alerts: fired },
      { eval_time: s.t(5), alertname: rule.alert, exp_alerts: [] },
    ],
  };
}

function orderLatency(s: Suite): TestGroup[] {
  const rule = s.rule('OrderLatencyHigh');
  const L = s.model.config.alerts_config.thresholds.max_order_latency_ms;
  const labels = { account: TEST_ACCOUNT, stage: 'fill' };
  const value = { safe: shift(Math.max(0, L - 1), -3), limit: shift(L, -3), breach: shift(L + 1, -3) };
  return [
    thresholdGroup(
      s,
      rule,
      `${L} ms does not fire, ${L + 1} ms fires at the first evaluation, and it resolves`,
      (k) => [{ series: selector('trader_order_latency_max_seconds', labels), values: value[k] }],
      labels,
      Number(value.breach),
    ),
    missingData(s, 'OrderLatencyHigh'),
  ];
}

function dailyPnl(s: Suite): TestGroup[] {
  const rule = s.rule('DailyRealizedPnlBelowLimit');
  const P = s.model.config.alerts_config.thresholds.min_daily_realized_pnl;
  const labels = { account: TEST_ACCOUNT, currency: 'USD' };
  const value = { safe: add(P, '0.01'), limit: add(P, 0), breach: add(P, '-0.01') };
  return [
    thresholdGroup(
      s,
      rule,
      `${value.limit} does not fire, ${value.breach} fires at the first evaluation, and it resolves`,
      (k) => [{ series: selector('trader_realized_pnl_today', labels), values: value[k] }],
      labels,
      Number(value.breach),
    ),
    missingData(s, 'DailyRealizedPnlBelowLimit'),
  ];
}

function drawdown(s: Suite): TestGroup[] {
  const rule = s.rule('DrawdownTodayExceeded');
  const X = s.model.config.alerts_config.thresholds.max_portfolio_drawdown_percentage_today;
  const labels = { account: TEST_ACCOUNT, currency: 'USD' };
  const start = '100000';
  // Equity exactly at the limit is not testable: 1 - e/s has float noise. One unit either
  // side (a 0.001 % move) is.
  const atLimit = add(start, mul(X, -1000));
  const equity = { safe: add(atLimit, 1), limit: add(atLimit, 1), breach: add(atLimit, -1) };
  const breachRatio = Math.max(0, 1 - Number(equity.breach) / Number(start));
  return [
    thresholdGroup(
      s,
      rule,
      `equity ${equity.safe} of ${start} does not fire, ${equity.breach} fires at the first evaluation, and it resolves`,
      (k) => [
        { series: selector('trader_equity', labels), values: equity[k] },
        { series: selector('trader_equity_start_of_day', labels), values: start },
      ],
      labels,
      breachRatio,
    ),
    missingData(s, 'DrawdownTodayExceeded'),
  ];
}

function apiErrors(s: Suite): TestGroup[] {
  const rule = s.rule('ApiErrorsExcessive');
  const N = s.model.config.alerts_config.thresholds.max_api_errors_per_hour;
  const E = s.E;
  const labels = { component: 'ibkr', code: '1100', class: 'connectivity' };
  const resolveStep = Math.ceil(3600 / E) + 3;
  const fired = [expect(s.model, rule, {}, N + 1)];
  return [
    {
      name: `ApiErrorsExcessive: ${N} errors in an hour do not fire, ${N + 1} fire at the first evaluation, and it resolves when they age out`,
      interval: s.t(1),
      input_series: [
        { series: selector('trader_api_errors_total', labels), values: `0 ${N} ${N} ${N + 1}+0x${resolveStep}` },
        // IB's connect notices are class "warning": far more than N of them must not fire it.
        {
          series: selector('trader_api_errors_total', { component: 'ibkr', code: '2104', class: 'warning' }),
          values: `0 ${10 * N + 10}+0x${resolveStep + 3}`,
        },
        s.upSeries(`1+0x${resolveStep + 3}`),
      ],
      alert_rule_test: [
        { eval_time: s.t(0), alertname: rule.alert, exp_alerts: [] },
        { eval_time: s.t(1), alertname: rule.alert, exp_alerts: [] },
        { eval_time: s.t(2), alertname: rule.alert, exp_alerts: [] },
        { eval_time: s.t(3), alertname: rule.alert, exp_alerts: fired },
        { eval_time: s.t(resolveStep), alertname: rule.alert, exp_alerts: [] },
      ],
    },
    missingData(s, 'ApiErrorsExcessive'),
  ];
}

/** A timestamp gauge that is fresh, stops at step 1, and resumes: staleness alerts. */
function staleScenario(E: number, limit: number) {
  const lastSync = E;
  const fireStep = Math.floor((lastSync + limit) / E) + 1;
  const quietStep = fireStep - 1;
  const resumeStep = fireStep + 2;
  const values: string[] = [];
  for (let i = 0; i <= resumeStep + 1; i++) values.push(String(i <= 1 || i >= resumeStep ? i * E : lastSync));
  return {
    values: values.join(' '),
    fireStep,
    quietStep,
    resumeStep,
    staleness: fireStep * E - lastSync,
    limitReached: quietStep * E - lastSync,
  };
}

function freshValues(E: number, steps: number): string {
  return `0+${E}x${steps}`;
}

function marketData(s: Suite): TestGroup[] {
  const rule = s.rule('MarketDataStale');
  const S = s.model.config.alerts_config.thresholds.max_data_staleness_seconds;
  const sc = staleScenario(s.E, S);
  const labels = { source: 'market_data' };
  return [
    {
      name: `MarketDataStale: ${sc.limitReached} s without a sync does not fire, ${sc.staleness} s fires at the first evaluation, and it resolves`,
      interval: s.t(1),
      input_series: [
        { series: selector('trader_last_data_sync_timestamp_seconds', labels), values: sc.values },
        s.upSeries(`1+0x${sc.resumeStep + 1}`),
      ],
      alert_rule_test: [
        { eval_time: s.t(sc.quietStep), alertname: rule.alert, exp_alerts: [] },
        { eval_time: s.t(sc.fireStep), alertname: rule.alert, exp_alerts: [expect(s.model, rule, labels, sc.staleness)] },
        { eval_time: s.t(sc.resumeStep), alertname: rule.alert, exp_alerts: [] },
      ],
    },
    missingData(s, 'MarketDataStale'),
  ];
}

function componentDown(s: Suite): TestGroup[] {
  const components = s.model.config.exporter.heartbeat_components;
  if (components.length === 0) return [];
  const T = s.model.config.exporter.heartbeat_timeout_seconds;
  const stale = s.rule('ComponentDown', 'stale');
  const absent = s.rule('ComponentDown', 'absent');
  const sc = staleScenario(s.E, T);
  const [first, ...others] = components;
  const hb = (component: string, values: string) => ({
    series: selector('trader_component_last_heartbeat_timestamp_seconds', { component }),
    values,
  });
  const absentStep = Math.ceil(T / s.E);
  const groups: TestGroup[] = [
    {
      name: `ComponentDown: ${first} silent ${sc.limitReached} s does not fire, ${sc.staleness} s fires at the first evaluation, and it resolves`,
      interval: s.t(1),
      input_series: [
        hb(first, sc.values),
        ...others.map((c) => hb(c, freshValues(s.E, sc.resumeStep + 1))),
        s.upSeries(`1+0x${sc.resumeStep + 1}`),
      ],
      alert_rule_test: [
        { eval_time: s.t(sc.quietStep), alertname: 'ComponentDown', exp_alerts: [] },
        {
          eval_time: s.t(sc.fireStep),
          alertname: 'ComponentDown',
          exp_alerts: [expect(s.model, stale, { component: first }, sc.staleness)],
        },
        { eval_time: s.t(sc.resumeStep), alertname: 'ComponentDown', exp_alerts: [] },
      ],
    },
  ];
  // A fresh start: nothing has reported yet, and nothing pages, for five minutes or two timeouts.
  const quietSteps = Math.ceil(Math.max(300, 2 * T) / s.E);
  groups.push({
    name: `ComponentDown: a first start where no component has reported yet never pages (${quietSteps * s.E} s)`,
    interval: s.t(1),
    input_series: [s.upSeries(`1+0x${quietSteps + 1}`)],
    alert_rule_test: [absentStep, quietSteps].map((step) => ({ eval_time: s.t(step), alertname: 'ComponentDown', exp_alerts: [] })),
  });
  // A component that reported, then whose series vanished (the exporter restarted without it), fires after one timeout.
  const missing = others.length > 0 ? others : [first];
  const present = others.length > 0 ? [first] : [];
  const vanishStep = 2;
  const fireStep = vanishStep + absentStep;
  groups.push({
    name: `ComponentDown: a component that reported, then vanished, fires after ${T} s`,
    interval: s.t(1),
    input_series: [
      ...missing.map((c) => hb(c, `0 ${s.E} stale`)),
      ...present.map((c) => hb(c, freshValues(s.E, fireStep + 1))),
      s.upSeries(`1+0x${fireStep + 1}`),
    ],
    alert_rule_test: [
      { eval_time: s.t(fireStep - 1), alertname: 'ComponentDown', exp_alerts: [] },
      {
        eval_time: s.t(fireStep),
        alertname: 'ComponentDown',
        exp_alerts: missing.map((c) => expect(s.model, absent, { component: c }, 1)),
      },
    ],
  });
  return groups;
}

function broker(s: Suite): TestGroup[] {
  const rule = s.rule('BrokerDisconnected');
  const gateway = s.model.config.broker.name;
  const conn = { series: selector('trader_broker_connected', { gateway, instance: INSTANCE, job: JOBS.exporter }), values: '1 1 0 0 1' };
  const equity = {
    series: selector('trader_equity', { account: TEST_ACCOUNT, currency: 'USD', instance: INSTANCE, job: JOBS.exporter }),
    values: '100000+0x4',
  };
  const test = (labels: Record<string, string>) => [
    { eval_time: s.t(1), alertname: rule.alert, exp_alerts: [] },
    { eval_time: s.t(2), alertname: rule.alert, exp_alerts: [expect(s.model, rule, labels, 0)] },
    { eval_time: s.t(4), alertname: rule.alert, exp_alerts: [] },
  ];
  return [
    {
      name: 'BrokerDisconnected: fires at the first evaluation, once per account the gateway serves, and resolves',
      interval: s.t(1),
      input_series: [conn, equity, s.upSeries('1+0x4')],
      alert_rule_test: test({ account: TEST_ACCOUNT, gateway, instance: INSTANCE }),
    },
    {
      name: 'BrokerDisconnected: fires without an account when no account was ever seen',
      interval: s.t(1),
      input_series: [conn, s.upSeries('1+0x4')],
      alert_rule_test: test({ gateway, instance: INSTANCE }),
    },
    missingData(s, 'BrokerDisconnected'),
  ];
}

function exporterDown(s: Suite): TestGroup[] {
  const rule = s.rule('ExporterDown');
  const forSteps = Math.ceil(rule.forSeconds / s.E);
  const downAt = 2;
  const steps = downAt + forSteps + 1;
  const up = `1 1 ${Array.from({ length: steps - 1 }, () => '0').join(' ')}`;
  return [
    {
      name: `ExporterDown: failed scrapes fire after ${rule.forSeconds} s`,
      interval: s.t(1),
      input_series: [s.upSeries(up)],
      alert_rule_test: [
        { eval_time: s.t(1), alertname: rule.alert, exp_alerts: [] },
        ...(forSteps > 0 ? [{ eval_time: s.t(downAt + forSteps - 1), alertname: rule.alert, exp_alerts: [] }] : []),
        {
          eval_time: s.t(downAt + forSteps),
          alertname: rule.alert,
          exp_alerts: [expect(s.model, rule, { job: JOBS.exporter, instance: INSTANCE }, 0)],
        },
      ],
    },
    {
      name: 'ExporterDown: no exporter target at all fires too',
      interval: s.t(1),
      input_series: [],
      alert_rule_test: [
        { eval_time: s.t(forSteps), alertname: rule.alert, exp_alerts: [expect(s.model, rule, { job: JOBS.exporter }, 1)] },
      ],
    },
  ];
}

function delivery(s: Suite): TestGroup[] {
  const rule = s.rule('AlertDeliveryFailing');
  return [
    {
      name: 'AlertDeliveryFailing: a dead letter fires at the first evaluation, and it resolves when acknowledged',
      interval: s.t(1),
      input_series: [{ series: selector('alert_bridge_dead_letters', { channel: 'email' }), values: '0 0 1 1 0' }],
      alert_rule_test: [
        { eval_time: s.t(1), alertname: rule.alert, exp_alerts: [] },
        { eval_time: s.t(2), alertname: rule.alert, exp_alerts: [expect(s.model, rule, { reason: 'dead_letters' }, 1)] },
        { eval_time: s.t(4), alertname: rule.alert, exp_alerts: [] },
      ],
    },
    {
      name: 'AlertDeliveryFailing: a notification queued 300 s does not fire, 301 s fires',
      interval: s.t(1),
      input_series: [{ series: 'alert_bridge_oldest_queued_age_seconds', values: '299 300 301 0' }],
      alert_rule_test: [
        { eval_time: s.t(1), alertname: rule.alert, exp_alerts: [] },
        { eval_time: s.t(2), alertname: rule.alert, exp_alerts: [expect(s.model, rule, { reason: 'queue_stuck' }, 301)] },
        { eval_time: s.t(3), alertname: rule.alert, exp_alerts: [] },
      ],
    },
  ];
}

function partCrashLooping(s: Suite): TestGroup[] {
  const rule = s.rule('PartCrashLooping');
  const looping = (part: string, values: string) => ({
    series: selector('traderadmin_part_crash_looping', { part, instance: 'up:9097', job: JOBS.supervisor }),
    values,
  });
  return [
    {
      name: 'PartCrashLooping: fires at the first evaluation where the supervisor flags a crash loop, for that part only, and resolves',
      interval: s.t(1),
      input_series: [looping('bridge', '0 0 1 1 0'), looping('exporter', '0+0x4')],
      alert_rule_test: [
        { eval_time: s.t(1), alertname: rule.alert, exp_alerts: [] },
        { eval_time: s.t(2), alertname: rule.alert, exp_alerts: [expect(s.model, rule, { part: 'bridge' }, 1)] },
        { eval_time: s.t(4), alertname: rule.alert, exp_alerts: [] },
      ],
    },
  ];
}

function watchdog(s: Suite): TestGroup[] {
  const rule = s.rule('Watchdog');
  return [
    {
      name: 'Watchdog: always firing, with no input at all',
      interval: s.t(1),
      input_series: [],
      alert_rule_test: [
        { eval_time: s.t(0), alertname: rule.alert, exp_alerts: [expect(s.model, rule, {}, 1)] },
        { eval_time: s.t(3), alertname: rule.alert, exp_alerts: [expect(s.model, rule, {}, 1)] },
      ],
    },
  ];
}

function recording(s: Suite): TestGroup[] {
  const acct = (extra: Record<string, string>) => ({ account: TEST_ACCOUNT, ...extra });
  const t = s.t(2);
  const groups: TestGroup[] = [
    {
      name: 'recording rules: win rate, drawdown, average win and loss, API errors in the last hour',
      interval: s.t(1),
      input_series: [
        { series: selector('trader_trades_today', acct({ outcome: 'win' })), values: '3+0x3' },
        { series: selector('trader_trades_today', acct({ outcome: 'loss' })), values: '1+0x3' },
        { series: selector('trader_trades_today', acct({ outcome: 'breakeven' })), values: '0+0x3' },
        { series: selector('trader_trade_pnl_today', acct({ outcome: 'win', currency: 'USD' })), values: '300+0x3' },
        { series: selector('trader_trade_pnl_today', acct({ outcome: 'loss', currency: 'USD' })), values: '-120+0x3' },
        { series: selector('trader_equity', acct({ currency: 'USD' })), values: '75000+0x3' },
        { series: selector('trader_equity_start_of_day', acct({ currency: 'USD' })), values: '100000+0x3' },
        { series: selector('trader_api_errors_total', { component: 'ibkr', code: '504', class: 'connectivity' }), values: '0 4 7 7' },
        { series: selector('trader_api_errors_total', { component: 'scanner', code: '162', class: 'market_data' }), values: '0 0 2 2' },
      ],
      promql_expr_test: [
        {
          expr: 'account:trader_win_rate_today:ratio',
          eval_time: t,
          exp_samples: [{ labels: selector('account:trader_win_rate_today:ratio', acct({})), value: 0.75 }],
        },
        {
          expr: 'account:trader_drawdown_today:ratio',
          eval_time: t,
          exp_samples: [{ labels: selector('account:trader_drawdown_today:ratio', acct({ currency: 'USD' })), value: 0.25 }],
        },
        {
          expr: 'account:trader_avg_win_today:currency',
          eval_time: t,
          exp_samples: [{ labels: selector('account:trader_avg_win_today:currency', acct({ currency: 'USD' })), value: 100 }],
        },
        {
          expr: 'account:trader_avg_loss_today:currency',
          eval_time: t,
          exp_samples: [{ labels: selector('account:trader_avg_loss_today:currency', acct({ currency: 'USD' })), value: -120 }],
        },
        {
          expr: 'component:trader_api_errors:increase1h',
          eval_time: t,
          exp_samples: [
            { labels: selector('component:trader_api_errors:increase1h', { component: 'ibkr' }), value: 7 },
            { labels: selector('component:trader_api_errors:increase1h', { component: 'scanner' }), value: 2 },
          ],
        },
      ],
    },
  ];
  return groups;
}

/** With alerts_config.enabled = false, a breach of every threshold stays silent. */
function disabled(s: Suite): TestGroup[] {
  const c = s.model.config.alerts_config.thresholds;
  return [
    {
      name: 'alerts_config.enabled = false: threshold breaches do not fire',
      interval: s.t(1),
      input_series: [
        {
          series: selector('trader_order_latency_max_seconds', { account: TEST_ACCOUNT, stage: 'fill' }),
          values: shift(c.max_order_latency_ms * 10, -3),
        },
        {
          series: selector('trader_realized_pnl_today', { account: TEST_ACCOUNT, currency: 'USD' }),
          values: add(c.min_daily_realized_pnl, -1000),
        },
        s.upSeries('1'),
      ],
      alert_rule_test: (['OrderLatencyHigh', 'DailyRealizedPnlBelowLimit', 'ComponentDown', 'MarketDataStale'] as const).map(
        (alertname) => ({
          eval_time: s.t(0),
          alertname,
          exp_alerts: [],
        }),
      ),
    },
  ];
}

/** path (relative to the output folder) → promtool test file text. */
export function testFiles(model: Model): Map<string, string> {
  const s = new Suite(model, model.config.prometheus.evaluation_interval_seconds);
  const suites: Array<[string, TestGroup[]]> = [
    ['recording-rules', recording(s)],
    ['Watchdog', watchdog(s)],
    ['ExporterDown', exporterDown(s)],
    ['AlertDeliveryFailing', delivery(s)],
    ['PartCrashLooping', partCrashLooping(s)],
  ];
  if (model.config.alerts_config.enabled) {
    suites.push(
      ['OrderLatencyHigh', orderLatency(s)],
      ['DailyRealizedPnlBelowLimit', dailyPnl(s)],
      ['DrawdownTodayExceeded', drawdown(s)],
      ['ApiErrorsExcessive', apiErrors(s)],
      ['BrokerDisconnected', broker(s)],
      ['MarketDataStale', marketData(s)],
    );
    const cd = componentDown(s);
    if (cd.length > 0) suites.push(['ComponentDown', cd]);
  } else {
    suites.push(['thresholds-disabled', disabled(s)]);
  }
  const out = new Map<string, string>();
  for (const [name, groups] of suites) {
    const doc = { rule_files: ['../rules.yml'], evaluation_interval: duration(s.E), tests: groups };
    out.set(
      `tests/${name}.yml`,
      header(model.sourceName, model.sha256, `promtool test rules suite: ${name}. Run: promtool test rules tests/*.yml`) + toYaml(doc),
    );
  }
  return out;
}
