/**
 * The kit the alert modules write their promtool suites with: series and expected alerts in
 * promtool's shape, a Suite bound to one model and evaluation interval, and the scenarios
 * several alerts share (a threshold crossed and cleared, a timestamp going stale, no data).
 * Expected annotations are rendered from the same text as the rules (template.ts), so a wrong
 * description fails the test too.
 */
import { JOBS, duration } from './jobs.js';
import type { AlertName, AlertRule } from './alerts/index.js';
import type { Model } from './model.js';
import { ruleAnnotations, ruleLabels } from './rules.js';
import { render, unliteral } from './template.js';

/** Example label values the tests use. */
export const TEST_ACCOUNT = 'DU1234567';
/** The exporter's instance label in the tests' series. */
export const INSTANCE = 'exporter:9464';

export interface Series {
  series: string;
  values: string;
}
export interface ExpAlert {
  exp_labels: Record<string, string>;
  exp_annotations: Record<string, string>;
}
export interface AlertTest {
  eval_time: string;
  alertname: string;
  exp_alerts: ExpAlert[];
}
export interface ExprTest {
  expr: string;
  eval_time: string;
  exp_samples: Array<{ labels: string; value: number }>;
}
export interface TestGroup {
  name: string;
  interval: string;
  input_series: Series[];
  alert_rule_test?: AlertTest[];
  promql_expr_test?: ExprTest[];
}

export function selector(name: string, labels: Record<string, string>): string {
  const inner = Object.entries(labels)
    .map(([k, v]) => `${k}="${v}"`)
    .join(', ');
  return `${name}{${inner}}`;
}

/** The alerts a rule produces for these labels and value, as promtool expects them. */
export function expect(model: Model, rule: AlertRule, labels: Record<string, string>, value: number): ExpAlert {
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

export class Suite {
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

/** Quiet at step `quiet`, firing with these labels and value at `fire`, resolved again at `resolved`. */
export function quietFiresResolves(
  s: Suite,
  rule: AlertRule,
  labels: Record<string, string>,
  value: number,
  [quiet, fire, resolved]: [number, number, number] = [1, 2, 4],
): AlertTest[] {
  return [
    { eval_time: s.t(quiet), alertname: rule.alert, exp_alerts: [] },
    { eval_time: s.t(fire), alertname: rule.alert, exp_alerts: [expect(s.model, rule, labels, value)] },
    { eval_time: s.t(resolved), alertname: rule.alert, exp_alerts: [] },
  ];
}

const ones = (n: number) => Array.from({ length: n }, () => '1').join(' ');

/** Every threshold suite ends with: no exporter target at all fires ExporterDown (reason absent), not the threshold alert. */
export function missingData(s: Suite, alert: AlertName, extra: Series[] = []): TestGroup {
  const missing = s.rule('ExporterDown', 'absent');
  const fireStep = Math.ceil(missing.forSeconds / s.E);
  return {
    name: `${alert}: no data from the exporter fires ExporterDown, not ${alert}`,
    interval: s.t(1),
    input_series: extra,
    alert_rule_test: [
      { eval_time: s.t(fireStep), alertname: alert, exp_alerts: [] },
      { eval_time: s.t(fireStep), alertname: 'ExporterDown', exp_alerts: [expect(s.model, missing, { job: JOBS.exporter }, 1)] },
    ],
  };
}

/** A threshold scenario over steps: [safe, atLimit, atLimit, breach, breach, safe]. */
export function thresholdGroup(
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

/** A timestamp gauge that is fresh, stops at step 1, and resumes: staleness alerts. */
export function staleScenario(E: number, limit: number) {
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

export function freshValues(E: number, steps: number): string {
  return `0+${E}x${steps}`;
}
