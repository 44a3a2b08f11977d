/** [exporter]: IBKR and events in, Prometheus metrics out. */
import { int, list, num, secret, str, table } from '../schema.js';
import { listen, tokenWhenExposed } from './common.js';

export const exporter = table(
  'The exporter: IBKR and events in, Prometheus metrics out.',
  {
    listen: listen('Where /metrics and the events API listen.', '127.0.0.1:9464'),
    events_token: secret('When set, POST /api/v1/events needs "Authorization: Bearer <token>". Required when listen is not loopback.'),
    max_event_body_bytes: int('Largest accepted events request body.', { default: 1_048_576, min: 1024, max: 67_108_864, unit: 'bytes' }),
    latency_window_seconds: int('Window of trader_order_latency_max_seconds.', { default: 60, min: 5, max: 3600, unit: 's' }),
    breakeven_tolerance: num('A closed trade whose P&L is within ± this amount counts as breakeven.', {
      default: 0.01,
      min: 0,
      unit: 'currency',
    }),
    heartbeat_components: list(
      'External components expected to send heartbeats; each gets ComponentDown when it stops.',
      str('A component name.', { pattern: /^[a-z][a-z0-9_-]*$/, format: 'a lower-case name' }),
      {
        default: ['orchestrator', 'scanner'],
        unique: true,
      },
    ),
    heartbeat_timeout_seconds: int('A component is down after this long without a heartbeat.', {
      default: 60,
      min: 5,
      max: 86_400,
      unit: 's',
    }),
  },
  tokenWhenExposed('events_token', 'the events API', 'EXPORTER_EVENTS_TOKEN'),
);
