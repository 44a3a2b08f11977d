/**
 * "Alerts and delivery" (uid alerts-delivery): what is firing, what is silenced, and whether
 * the alert bridge delivers notifications (alert AlertDeliveryFailing links here).
 */
import * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';
import { PanelBuilder as StatPanel } from '@grafana/grafana-foundation-sdk/stat';
import { PanelBuilder as TablePanel } from '@grafana/grafana-foundation-sdk/table';
import { PanelBuilder as TimeseriesPanel } from '@grafana/grafana-foundation-sdk/timeseries';
import { PanelBuilder as TextPanel, TextMode } from '@grafana/grafana-foundation-sdk/text';
import {
  BigValueColorMode,
  BigValueGraphMode,
  BigValueTextMode,
  LegendPlacement,
  ReduceDataOptionsBuilder,
  TableSortByFieldStateBuilder,
} from '@grafana/grafana-foundation-sdk/common';
import { JOBS } from '@traderadmin/rules-gen';
import { dashboardPath } from '@traderadmin/config';
import { ALERTMANAGER, PROMETHEUS } from '../datasources.js';
import {
  alertRulesLink,
  alertsPageLink,
  colour,
  dashboardHeader,
  grid,
  headerLink,
  legendTable,
  placer,
  prom,
  stackedBars,
  statTile,
  thresholds,
  timeseries,
  upDownMapping,
  type DashboardOptions,
} from './common.js';

/** Grafana's silences page for the provisioned Alertmanager data source. */
export const SILENCES_URL = `/alerting/silences?alertmanager=${ALERTMANAGER.uid}`;

function stat(title: string, unit: string, description: string): StatPanel {
  return statTile(title, unit, description)
    .reduceOptions(new ReduceDataOptionsBuilder().calcs(['lastNotNull']).values(false).fields(''))
    .graphMode(BigValueGraphMode.None)
    .colorMode(BigValueColorMode.Value)
    .textMode(BigValueTextMode.Auto)
    .colorScheme(colour(dashboard.FieldColorModeId.Thresholds));
}

/** A time series with its legend on the right: each series' total over the range and last value. */
function series(title: string, description: string): TimeseriesPanel {
  return timeseries(title, description, legendTable(LegendPlacement.Right, ['sum', 'lastNotNull'])).colorScheme(
    colour(dashboard.FieldColorModeId.PaletteClassic),
  );
}

/** Builds the "Alerts and delivery" dashboard model. */
export function alertsDeliveryDashboard(_options: DashboardOptions = {}): dashboard.Dashboard {
  const b = dashboardHeader('delivery', 'Alerts and delivery', {
    description: 'Firing alerts, silences, and the alert bridge: deliveries, failures, queues and latency by channel.',
    tags: ['traderadmin', 'alerting'],
    refresh: '10s',
    from: 'now-24h',
  })
    .link(headerLink('Trading overview', dashboardPath('overview'), 'dashboard').keepTime(true))
    .link(headerLink('Silences', SILENCES_URL, 'bell-slash').tooltip('Silences in Alertmanager'))
    .link(alertRulesLink())
    .link(alertsPageLink());
  const place = placer(b);

  // The top row: one 4-wide count tile each, left to right.
  const tiles: Array<{
    tile: StatPanel;
    query: string;
    legend: string;
    instant?: boolean;
    steps: Parameters<typeof thresholds>;
    /** What the tile adds after its thresholds. */
    then?: (tile: StatPanel) => StatPanel;
  }> = [
    {
      tile: stat('Firing now', 'none', 'Alerts firing now, Watchdog (the dead man’s switch, always firing) excluded.'),
      query: 'count(ALERTS{alertstate="firing", alertname!="Watchdog"}) or vector(0)',
      legend: 'firing',
      steps: [
        [null, 'green'],
        [1, 'red'],
      ],
    },
    {
      tile: stat('Active silences', 'none', 'Silences active in Alertmanager (scraped from Alertmanager itself).'),
      then: (t) => t.links([new dashboard.DashboardLinkBuilder('Manage silences').url(SILENCES_URL)]),
      query: 'sum(alertmanager_silences{state="active"}) or vector(0)',
      legend: 'silences',
      steps: [
        [null, 'text'],
        [1, 'orange'],
      ],
    },
    {
      tile: stat('Sent', 'none', 'Notifications the bridge delivered over the time range.'),
      query: 'sum(increase(alert_bridge_notifications_sent_total[$__range])) or vector(0)',
      legend: 'sent',
      instant: true,
      steps: [[null, 'text']],
    },
    {
      tile: stat('Failed', 'none', 'Delivery attempts that failed over the time range (retried or given up).'),
      query: 'sum(increase(alert_bridge_notifications_failed_total[$__range])) or vector(0)',
      legend: 'failed',
      instant: true,
      steps: [
        [null, 'green'],
        [1, 'orange'],
      ],
    },
    {
      tile: stat('Dead letters', 'none', 'Notifications the bridge gave up on (alert AlertDeliveryFailing).'),
      query: 'sum(alert_bridge_dead_letters) or vector(0)',
      legend: 'dead letters',
      steps: [
        [null, 'green'],
        [1, 'red'],
      ],
    },
    {
      tile: stat('Oldest queued', 's', 'Age of the oldest notification still waiting for delivery (alert AlertDeliveryFailing).'),
      then: (t) => t.noValue('queue empty'),
      query: 'max(alert_bridge_oldest_queued_age_seconds)',
      legend: 'oldest',
      steps: [
        [null, 'green'],
        [60, 'orange'],
        [300, 'red'],
      ],
    },
  ];
  tiles.forEach(({ tile, query, legend, instant, steps, then = (t) => t }, i) =>
    place(
      grid(4 * i, 0, 4, 4),
      then(
        tile
          .decimals(0)
          .withTarget(prom('A', query, instant ? { legend, instant } : { legend }))
          .thresholds(thresholds(...steps)),
      ),
    ),
  );

  place(
    grid(0, 4, 14, 8),
    new TablePanel()
      .title('Firing alerts')
      .description('Every alert firing now, from Prometheus ALERTS.')
      .datasource(PROMETHEUS)
      .withTarget(prom('A', 'ALERTS{alertstate="firing"}', { instant: true, table: true }))
      .withTransformation({
        id: 'organize',
        options: {
          excludeByName: { Time: true, Value: true, __name__: true, alertstate: true },
          indexByName: { alertname: 0, severity: 1, account: 2 },
          renameByName: { alertname: 'Alert', severity: 'Severity', account: 'Account' },
        },
      })
      .sortBy([new TableSortByFieldStateBuilder().displayName('Severity')])
      .noValue('nothing firing'),
  );
  place(
    grid(14, 4, 10, 8),
    new TextPanel()
      .title('Silences')
      .mode(TextMode.Markdown)
      .content(
        [
          'Silences live in Alertmanager. Grafana lists and edits them through the provisioned',
          '**Alertmanager** data source:',
          '',
          `* [Silences](${SILENCES_URL})`,
          `* [New silence](/alerting/silence/new?alertmanager=${ALERTMANAGER.uid})`,
          `* [Alert groups](/alerting/groups?alertmanager=${ALERTMANAGER.uid})`,
        ].join('\n'),
      ),
  );

  place(
    grid(0, 12, 12, 8),
    stackedBars(
      series('Deliveries by channel', 'Notifications delivered per interval, by channel.').withTarget(
        prom('A', 'sum by (channel) (increase(alert_bridge_notifications_sent_total[$__rate_interval]))', { legend: '{{channel}}' }),
      ),
    ),
  );
  place(
    grid(12, 12, 12, 8),
    stackedBars(
      series('Failures by channel', 'Failed delivery attempts per interval, by channel and reason.').withTarget(
        prom('A', 'sum by (channel, reason) (increase(alert_bridge_notifications_failed_total[$__rate_interval]))', {
          legend: '{{channel}}: {{reason}}',
        }),
      ),
    ),
  );
  place(
    grid(0, 20, 12, 8),
    series('Queue depth', 'Notifications waiting for delivery, by channel; dead letters given up on.')
      .withTarget(prom('A', 'sum by (channel) (alert_bridge_queue_depth)', { legend: 'queued {{channel}}' }))
      .withTarget(prom('B', 'sum by (channel) (alert_bridge_dead_letters)', { legend: 'dead letters {{channel}}' }))
      .unit('none')
      .decimals(0),
  );
  place(
    grid(12, 20, 12, 8),
    series('Delivery latency', 'p95 and max time to deliver a notification, by channel and starting point.')
      .withTarget(
        prom(
          'A',
          'histogram_quantile(0.95, sum by (le, channel, since) (rate(alert_bridge_delivery_latency_seconds_bucket[$__rate_interval])))',
          { legend: 'p95 {{channel}} since {{since}}' },
        ),
      )
      .withTarget(prom('B', 'max(alert_bridge_oldest_queued_age_seconds)', { legend: 'oldest queued' }))
      .unit('s')
      .spanNulls(true),
  );
  place(
    grid(0, 28, 24, 4),
    stat('Alert path', 'none', 'Scrape health of the alerting components (job names from the generated prometheus.yml).')
      .withTarget(prom('A', `up{job=~"${Object.values(JOBS).sort().join('|')}"}`, { legend: '{{job}}' }))
      .mappings([upDownMapping('Up', 'Down')])
      .thresholds(thresholds([null, 'red'], [1, 'green']))
      .colorMode(BigValueColorMode.Background)
      .textMode(BigValueTextMode.ValueAndName)
      .noValue('not scraped'),
  );
  return b.build();
}
