/**
 * What one alert module (rules-gen/src/alerts/<AlertName>.ts) holds: its rules for a config,
 * its promtool suite, what it mutes, and its runbook section. Everything else (rules.yml,
 * tests/, inhibit_rules, explain, docs/runbooks.md, the console's alert names) reads these.
 */
import type { AlertSeverity, Config, Thresholds } from '@traderadmin/config';
import { decimal } from '../decimal.js';
import type { Text } from '../template.js';
import { missingData, type Suite, type TestGroup } from '../suite.js';
import type { AlertName } from './index.js';

export type RuleSeverity = AlertSeverity | 'none';

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

/** While the alert fires, Alertmanager mutes these alerts (an inhibit rule; explain reads it too). */
export interface Inhibition {
  targets: readonly AlertName[];
  /** Labels source and target must share; none: every target is muted. */
  equal: readonly string[];
  /** Why the rule exists (explain shows it). */
  why: string;
}

export interface AlertDefinition<N extends string = AlertName> {
  /** The contract name (shared/spec/contract.md): never rename. */
  name: N;
  /** Generated whatever alerts_config.enabled says: it watches the monitoring itself. */
  alwaysOn: boolean;
  /** Its condition is time() passing a timestamp: no scrape delay, only evaluation (explain). */
  clockDriven?: boolean;
  /** Its rules, in rules.yml order; none when this config gives it nothing to watch. */
  rules(c: Config): AlertRule[];
  /** Its promtool test groups, written to tests/<name>.yml; none writes no file. */
  tests(s: Suite): TestGroup[];
  /** While it fires, these alerts are muted (alertmanager.yml inhibit_rules). */
  inhibits?: readonly Inhibition[];
  /**
   * When channels hear of it (alertmanager.yml routes; explain says so): only inside market
   * hours and not on exchange holidays, or never inside the gateway's nightly restart window.
   */
  window?: 'market-hours' | 'outside-restart-window';
  /** Its section of docs/runbooks.md under "## <name>", one Markdown line per entry. */
  runbook: readonly string[];
}

/** The account label in annotation text. */
export const ACCOUNT: Text = [{ label: 'account' }];

/** alerts_config.thresholds.<key>: its unit, and how the expression and the annotation text write it. */
export interface ThresholdKey {
  key: keyof Thresholds;
  unit: string;
  /** The number PromQL compares, from the config's: `(v) => shift(v, -3)` for ms → s. */
  exprValue: (v: number) => string;
  /** Human form in the description: "200 ms", "-500.00", "5 %". */
  display: (v: number) => string;
}

/** What the module of a one-rule alert writes: the rule without its name, a suite given that rule. */
export interface OneRuleAlert<N extends AlertName> extends Omit<AlertDefinition<N>, 'rules' | 'tests'> {
  rule(c: Config): Omit<AlertRule, 'alert'>;
  tests(s: Suite, rule: AlertRule): TestGroup[];
}

/** An alert of one rule: the rule carries the alert's name, and the suite is written for it. */
export function oneRuleAlert<N extends AlertName>(spec: OneRuleAlert<N>): AlertDefinition<N> {
  const { rule, tests, ...definition } = spec;
  return { ...definition, rules: (c) => [{ alert: spec.name, ...rule(c) }], tests: (s) => tests(s, s.rule(spec.name)) };
}

/** What a threshold alert module writes; thresholdAlert() adds what every threshold alert shares. */
export interface ThresholdAlert<N extends AlertName> extends Omit<AlertDefinition<N>, 'alwaysOn' | 'rules' | 'tests'> {
  threshold: ThresholdKey;
  /** Its one rule, for the threshold as this config sets it. */
  rule(th: Threshold): Pick<AlertRule, 'variant' | 'expr' | 'severity' | 'summary' | 'description' | 'dashboard'>;
  /** Its promtool groups for that rule and the configured value; the missing-data group follows. */
  tests(s: Suite, rule: AlertRule, limit: number): TestGroup[];
}

/**
 * An alert on one alerts_config.thresholds key: generated only when alerts_config.enabled, one
 * rule with no `for` (it fires at the first evaluation past the limit) that validate maps back
 * to the key, and a suite that ends with the missing-data case (no exporter data fires
 * ExporterDown, not this alert).
 */
export function thresholdAlert<N extends AlertName>(spec: ThresholdAlert<N>): AlertDefinition<N> {
  const { threshold, rule, tests, ...definition } = spec;
  const { key, unit, exprValue, display } = threshold;
  return oneRuleAlert({
    ...definition,
    alwaysOn: false,
    rule: (c) => {
      const v = c.alerts_config.thresholds[key];
      const th = { key: `alerts_config.thresholds.${key}`, configValue: decimal(v), unit, exprValue: exprValue(v), display: display(v) };
      const { variant, expr, severity, summary, description, dashboard } = rule(th);
      return { variant, expr, forSeconds: 0, severity, summary, description, dashboard, source: th.key, threshold: th };
    },
    tests: (s, r) => [...tests(s, r, s.model.config.alerts_config.thresholds[key]), missingData(s, spec.name)],
  });
}
