/** ExporterDown: Prometheus cannot scrape the exporter (or has no target for it); every trading alert is blind. */
import { JOBS } from '../jobs.js';
import { expect, INSTANCE } from '../suite.js';
import { oneRuleAlert, type AlertDefinition } from './alert.js';

export const ExporterDown: AlertDefinition<'ExporterDown'> = oneRuleAlert({
  name: 'ExporterDown',
  alwaysOn: true,
  rule: (c) => ({
    variant: 'down',
    expr: `up{job="${JOBS.exporter}"} == 0\nor\nabsent(up{job="${JOBS.exporter}"})`,
    // Two missed scrapes: one slow scrape does not page at night.
    forSeconds: 2 * c.prometheus.scrape_interval_seconds,
    severity: 'critical',
    summary: ['Prometheus cannot scrape the trader exporter'],
    description: [
      'Prometheus cannot scrape the trader exporter',
      { optionalLabel: 'instance', before: ' at ', after: '' },
      `: every trading alert is blind until it is back (exporter.listen = ${c.exporter.listen}).`,
    ],
    dashboard: 'overview',
    source: 'exporter.listen',
  }),
  inhibits: [
    {
      targets: ['ComponentDown', 'BrokerDisconnected', 'MarketDataStale'],
      equal: [],
      why: 'without the exporter, heartbeats and broker metrics are absent, not down',
    },
  ],
  tests: (s, rule) => {
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
  },
  runbook: [
    '**Means:** Prometheus cannot scrape the exporter (`up{job="trader-exporter"} == 0`, or no target at all)',
    'for two scrape intervals. Every trading alert is blind meanwhile. Severity critical.',
    '',
    '**First checks:**',
    '1. Is `traderadmin exporter` running? `curl http://<exporter.listen>/metrics`.',
    '2. `exporter.listen` and the generated prometheus.yml agree? (`traderadmin diff --config … --out …`.)',
    "3. Prometheus' Targets page shows the scrape error (connection refused, timeout, 401).",
    '',
    '**Silence:** only for planned downtime: `amtool silence add alertname=ExporterDown --duration=30m`.',
  ],
});
