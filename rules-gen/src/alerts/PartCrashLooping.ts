/** PartCrashLooping: "traderadmin up" keeps restarting one part (supervisor.crash_loop_restarts). */
import { JOBS } from '../jobs.js';
import { quietFiresResolves, selector } from '../suite.js';
import { oneRuleAlert, type AlertDefinition } from './alert.js';

export const PartCrashLooping: AlertDefinition<'PartCrashLooping'> = oneRuleAlert({
  name: 'PartCrashLooping',
  alwaysOn: true,
  rule: (c) => ({
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
  }),
  tests: (s, rule) => {
    const looping = (part: string, values: string) => ({
      series: selector('traderadmin_part_crash_looping', { part, instance: 'up:9097', job: JOBS.supervisor }),
      values,
    });
    return [
      {
        name: 'PartCrashLooping: fires at the first evaluation where the supervisor flags a crash loop, for that part only, and resolves',
        interval: s.t(1),
        input_series: [looping('bridge', '0 0 1 1 0'), looping('exporter', '0+0x4')],
        alert_rule_test: quietFiresResolves(s, rule, { part: 'bridge' }, 1),
      },
    ];
  },
  runbook: [
    '**Means:** `traderadmin up` restarted one part (label `part`: emulator, exporter, bridge, page,',
    'prometheus, alertmanager) at least `supervisor.crash_loop_restarts` times within',
    '`supervisor.crash_loop_window_seconds`, and keeps restarting it with a backoff of up to 30 s',
    "(`traderadmin_part_crash_looping` at up's `/metrics`, `supervisor.listen`). While it is down, what it",
    'does is missing: no metrics (exporter), no notifications (bridge), no rules (Prometheus). Severity',
    'critical. If the bridge itself is the one looping, this alert cannot reach you through it: the',
    'external heartbeat (`alert_bridge.heartbeat_url`) stops instead.',
    '',
    '**First checks:**',
    "1. The log of up (`journalctl -u traderadmin -n 200` when it runs as a service): the part's last",
    '   lines are printed with the crash loop message.',
    '2. A port taken by something else, a full disk (`data/`), a config changed by hand and invalid?',
    '3. `curl http://127.0.0.1:9097/metrics`: `traderadmin_part_restarts_total` per part.',
    '',
    'It resolves once the part stays up 60 s.',
    '',
    '**Silence:** avoid; fix the part. `amtool silence add alertname=PartCrashLooping part=<part> --duration=1h`.',
  ],
});
