/**
 * "Trading overview" row 3, right: system health, the broker link and how recently the
 * external components and data feeds were heard from (alerts BrokerDisconnected, ComponentDown,
 * MarketDataStale).
 */
import { grid, prom, thresholds, upDownMapping, type Placement } from '../common.js';
import { healthTiles, stat } from './panels.js';

/** Tiles of the seconds since a timestamp each series reports: orange after 30 s, red after `redAfter`. */
const ages: Array<{ title: string; description: string; metric: string; legend: string; redAfter: number; none: string }> = [
  {
    title: 'Component heartbeats',
    description: 'Seconds since each external component last sent a heartbeat (alert ComponentDown).',
    metric: 'trader_component_last_heartbeat_timestamp_seconds',
    legend: '{{component}}',
    redAfter: 120,
    none: 'no heartbeats',
  },
  {
    title: 'Last data sync',
    description: 'Seconds since the last successful market data / scanner sync (alert MarketDataStale, market hours only).',
    metric: 'trader_last_data_sync_timestamp_seconds',
    legend: '{{source}}',
    redAfter: 60,
    none: 'never synced',
  },
];

export function healthColumn(): Placement[] {
  return [
    [
      grid(16, 8, 8, 4),
      healthTiles(
        stat(
          'Gateway',
          'none',
          'Exporter connection to IB Gateway / TWS (alert BrokerDisconnected), and the gateway link to IB servers (IB codes 1100 and 1101/1102).',
        )
          .withTarget(prom('A', 'trader_broker_connected', { legend: 'API {{gateway}}' }))
          .withTarget(prom('B', 'trader_broker_upstream_connected', { legend: 'Upstream {{gateway}}' }))
          .mappings([upDownMapping('Connected', 'Disconnected')]),
      )
        .thresholds(thresholds([null, 'red'], [1, 'green']))
        .noValue('exporter down'),
    ],
    ...ages.map(({ title, description, metric, legend, redAfter, none }, i): Placement => [
      grid(16, 12 + 4 * i, 8, 4),
      healthTiles(
        stat(title, 's', description)
          .decimals(0)
          .withTarget(prom('A', `time() - ${metric}`, { legend, instant: true })),
      )
        .thresholds(thresholds([null, 'green'], [30, 'orange'], [redAfter, 'red']))
        .noValue(none),
    ]),
  ];
}
