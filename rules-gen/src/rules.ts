/** rules.yml: the recording rules dashboards and alerts share, then every alert rule. */
import { dashboardUrl, duration, runbookUrl, type AlertRule, type Model } from './model.js';
import { toTemplate } from './template.js';
import { header, toYaml } from './yaml.js';

/** The rule group name (also what `apply` looks for in the rules API). */
export const RULE_GROUP = 'traderadmin';

/** Labels of an alert rule (severity plus constant labels). */
export function ruleLabels(rule: AlertRule): Record<string, string> {
  return { severity: rule.severity, ...rule.labels };
}

/** Annotations of an alert rule, as written in rules.yml (templates). */
export function ruleAnnotations(model: Model, rule: AlertRule): Record<string, string> {
  return {
    summary: toTemplate(rule.summary),
    description: toTemplate(rule.description),
    runbook_url: runbookUrl(model.config, rule.alert),
    dashboard_url: dashboardUrl(model.config, rule.dashboard),
  };
}

export function rulesYaml(model: Model): string {
  // One group: Prometheus evaluates a group's rules in order, so an alert reading a
  // recording rule sees the value recorded in the same evaluation, not the previous one.
  const rules: unknown[] = model.recording.map((r) => ({ record: r.record, expr: r.expr }));
  for (const rule of model.alerts) {
    const entry: Record<string, unknown> = { alert: rule.alert, expr: rule.expr };
    if (rule.forSeconds > 0) entry.for = duration(rule.forSeconds);
    entry.labels = ruleLabels(rule);
    entry.annotations = ruleAnnotations(model, rule);
    rules.push(entry);
  }
  const intro = model.config.alerts_config.enabled
    ? ''
    : '# alerts_config.enabled = false: threshold alerts are off; the recording rules and the\n# alerts that watch the monitoring itself (Watchdog, ExporterDown, AlertDeliveryFailing, PartCrashLooping) stay.\n';
  return (
    header(model.sourceName, model.sha256, 'Prometheus rules for TraderAdmin Monitoring.') +
    intro +
    toYaml({ groups: [{ name: RULE_GROUP, rules }] })
  );
}
