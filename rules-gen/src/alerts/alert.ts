/**
 * What one alert module (rules-gen/src/alerts/<AlertName>.ts) holds: its rules for a config,
 * its promtool suite, what it mutes, and its runbook section. Everything else (rules.yml,
 * tests/, inhibit_rules, explain, docs/runbooks.md, the console's alert names) reads these.
 */
import type { AlertSeverity, Config, Thresholds } from '@traderadmin/config';
import { decimal } from '../decimal.js';
import type { Text } from '../template.js';
import type { Suite, TestGroup } from '../suite.js';
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

/** The one rule of a threshold alert: no `for`, it fires at the first evaluation past the limit. */
export function thresholdRule(
  alert: AlertName,
  threshold: Threshold,
  rule: Pick<AlertRule, 'variant' | 'expr' | 'severity' | 'summary' | 'description' | 'dashboard'>,
): AlertRule[] {
  const { variant, expr, severity, summary, description, dashboard } = rule;
  return [{ alert, variant, expr, forSeconds: 0, severity, summary, description, dashboard, source: threshold.key, threshold }];
}

/** The account label in annotation text. */
export const ACCOUNT: Text = [{ label: 'account' }];

/** alerts_config.thresholds.<key>, exactly as written and as the expression compares it. */
export function configThreshold(
  c: Config,
  key: keyof Thresholds,
  unit: string,
  exprValue: (v: number) => string,
  display: (v: number) => string,
): Threshold {
  const v = c.alerts_config.thresholds[key];
  return { key: `alerts_config.thresholds.${key}`, configValue: decimal(v), unit, exprValue: exprValue(v), display: display(v) };
}
