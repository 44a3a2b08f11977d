/** Watchdog: always firing, by design; the bridge's dead man's switch notices when it stops arriving. */
import { expect } from '../suite.js';
import { oneRuleAlert, type AlertDefinition } from './alert.js';

export const Watchdog: AlertDefinition<'Watchdog'> = oneRuleAlert({
  name: 'Watchdog',
  alwaysOn: true,
  clockDriven: true,
  rule: () => ({
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
  }),
  tests: (s, rule) => [
    {
      name: 'Watchdog: always firing, with no input at all',
      interval: s.t(1),
      input_series: [],
      alert_rule_test: [
        { eval_time: s.t(0), alertname: rule.alert, exp_alerts: [expect(s.model, rule, {}, 1)] },
        { eval_time: s.t(3), alertname: rule.alert, exp_alerts: [expect(s.model, rule, {}, 1)] },
      ],
    },
  ],
  runbook: [
    '**Means:** always firing, by design. It proves the whole path Prometheus → Alertmanager → bridge works;',
    "Alertmanager sends it to the bridge's watchdog endpoint every minute, and the bridge raises its own",
    'alarm when it stops arriving for `alert_bridge.watchdog_timeout_seconds`. Severity none.',
    '',
    '**First checks (when the bridge says the Watchdog stopped):**',
    '1. Is Prometheus up, and is its rule evaluation healthy (`prometheus_rule_evaluation_failures_total`)?',
    '2. Is Alertmanager up, and does Prometheus reach it (`prometheus_notifications_dropped_total`)?',
    '3. Does Alertmanager reach the bridge (`alertmanager_notifications_failed_total{integration="webhook"}`)?',
    '',
    '**Silence:** never.',
  ],
});
