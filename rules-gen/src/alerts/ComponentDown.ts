/**
 * ComponentDown: a component of exporter.heartbeat_components stopped sending heartbeats
 * (reason "stale"), or its series vanished after it had reported (reason "absent"). Not
 * generated when the list is empty.
 */
import { expect, freshValues, quietFiresResolves, selector, staleScenario, type TestGroup } from '../suite.js';
import type { AlertDefinition } from './alert.js';

/** How far back ComponentDown looks for a component's last report, when its series is gone. */
export const HEARTBEAT_MEMORY = '1d';

export const ComponentDown: AlertDefinition<'ComponentDown'> = {
  name: 'ComponentDown',
  alwaysOn: false,
  clockDriven: true,
  rules: (c) => {
    const components = c.exporter.heartbeat_components;
    if (components.length === 0) return [];
    const timeout = c.exporter.heartbeat_timeout_seconds;
    const matcher = components.length === 1 ? `component="${components[0]}"` : `component=~"${components.join('|')}"`;
    return [
      {
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
      },
      {
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
      },
    ];
  },
  tests: (s) => {
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
        alert_rule_test: quietFiresResolves(s, stale, { component: first }, sc.staleness, [sc.quietStep, sc.fireStep, sc.resumeStep]),
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
  },
  runbook: [
    '**Means:** a component listed in `exporter.heartbeat_components` stopped sending heartbeats for longer',
    'than `exporter.heartbeat_timeout_seconds` (label `reason="stale"`), or its series vanished for that',
    'long after it had reported within the last day, e.g. the exporter restarted and the component never',
    'came back (`reason="absent"`). A component that has never reported does not alert: a first start',
    'with nothing sending heartbeats yet never pages. Severity critical.',
    '',
    '**First checks:**',
    '1. Is the process running? (systemd / container status, its log.)',
    "2. Can it reach the exporter's events API (`POST /api/v1/events`, token if configured)?",
    '3. ExporterDown firing? Then heartbeats are absent because the exporter is down (it mutes this alert).',
    '',
    '**Silence:** `amtool silence add alertname=ComponentDown component=<name> --duration=1h`; to stop',
    'watching a component for good, remove it from `exporter.heartbeat_components` and apply.',
  ],
};
