/**
 * ExporterDown: Prometheus cannot scrape the exporter (reason "down"), or has no target for it
 * at all (reason "absent"); every trading alert is blind.
 */
import type { Config } from '@traderadmin/config';
import { JOBS } from '../jobs.js';
import { expect, INSTANCE } from '../suite.js';
import type { AlertDefinition, AlertRule } from './alert.js';

/**
 * How long "no exporter target at all" must last before it pages. Prometheus evaluates rules
 * from its first second but hands its first targets to the scrape loop up to 5 s later (its
 * target discovery batches updates every 5 s), so a 2-scrape `for` paged ExporterDown, critical,
 * on every start. A missing target is a broken prometheus.yml, not an outage: a minute is soon.
 */
export const ABSENT_TARGET_SECONDS = 60;

const down = (c: Config): AlertRule => ({
  alert: 'ExporterDown',
  variant: 'down',
  labels: { reason: 'down' },
  expr: `up{job="${JOBS.exporter}"} == 0`,
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
});

const absent = (c: Config): AlertRule => ({
  alert: 'ExporterDown',
  variant: 'absent',
  labels: { reason: 'absent' },
  expr: `absent(up{job="${JOBS.exporter}"})`,
  forSeconds: Math.max(ABSENT_TARGET_SECONDS, 2 * c.prometheus.scrape_interval_seconds),
  severity: 'critical',
  summary: ['Prometheus has no scrape target for the trader exporter'],
  description: [
    `Prometheus has no ${JOBS.exporter} target: every trading alert is blind. Is prometheus.yml the generated one (exporter.listen = ${c.exporter.listen})?`,
  ],
  dashboard: 'overview',
  source: 'exporter.listen',
});

export const ExporterDown: AlertDefinition<'ExporterDown'> = {
  name: 'ExporterDown',
  alwaysOn: true,
  rules: (c) => [down(c), absent(c)],
  inhibits: [
    {
      targets: ['ComponentDown', 'BrokerDisconnected', 'MarketDataStale'],
      equal: [],
      why: 'without the exporter, heartbeats and broker metrics are absent, not down',
    },
  ],
  tests: (s) => {
    const rule = s.rule('ExporterDown', 'down');
    const forSteps = Math.ceil(rule.forSeconds / s.E);
    const downAt = 2;
    const steps = downAt + forSteps + 1;
    const up = `1 1 ${Array.from({ length: steps - 1 }, () => '0').join(' ')}`;
    const missing = s.rule('ExporterDown', 'absent');
    const absentSteps = Math.ceil(missing.forSeconds / s.E);
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
        name: `ExporterDown: no exporter target fires after ${missing.forSeconds} s, not while Prometheus is starting`,
        interval: s.t(1),
        input_series: [],
        alert_rule_test: [
          // Prometheus' first seconds: rules run, no scrape yet.
          { eval_time: s.t(Math.ceil(6 / s.E)), alertname: missing.alert, exp_alerts: [] },
          { eval_time: s.t(absentSteps - 1), alertname: missing.alert, exp_alerts: [] },
          { eval_time: s.t(absentSteps), alertname: missing.alert, exp_alerts: [expect(s.model, missing, { job: JOBS.exporter }, 1)] },
        ],
      },
    ];
  },
  runbook: [
    '**Means:** Prometheus cannot scrape the exporter (`up{job="trader-exporter"} == 0`, label `reason="down"`) for two',
    'scrape intervals, or has had no target for it at all for a minute (`reason="absent"`: a prometheus.yml that is not',
    "the generated one; the minute keeps Prometheus' own start, when its first scrape comes about 5 s late, from paging).",
    'Every trading alert is blind meanwhile. Severity critical.',
    '',
    '**First checks:**',
    '1. Is `traderadmin exporter` running? `curl http://<exporter.listen>/metrics`.',
    '2. `exporter.listen` and the generated prometheus.yml agree? (`traderadmin diff --config … --out …`.)',
    "3. Prometheus' Targets page shows the scrape error (connection refused, timeout, 401).",
    '',
    '**Silence:** only for planned downtime: `amtool silence add alertname=ExporterDown --duration=30m`.',
  ],
};
