/**
 * "Trading overview" (uid trader-overview): one account at a time, chosen by the `account`
 * variable. Alert annotations link here with `?var-account=<account>` (rules-gen dashboardUrl).
 */
import * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';
import { PanelBuilder as StatPanel } from '@grafana/grafana-foundation-sdk/stat';
import { PanelBuilder as TablePanel } from '@grafana/grafana-foundation-sdk/table';
import { PanelBuilder as TimeseriesPanel } from '@grafana/grafana-foundation-sdk/timeseries';
import {
  TableSortByFieldStateBuilder,
  GraphDrawStyle,
  StackingMode,
  StackingConfigBuilder,
  VizLegendOptionsBuilder,
  LegendDisplayMode,
  LegendPlacement,
  VizTooltipOptionsBuilder,
  TooltipDisplayMode,
  SortOrder,
  BigValueGraphMode,
  BigValueColorMode,
  BigValueTextMode,
  ReduceDataOptionsBuilder,
  GraphGradientMode,
  GraphThresholdsStyleConfigBuilder,
  GraphThresholdsStyleMode,
} from '@grafana/grafana-foundation-sdk/common';
import { dashboardPath } from '@traderadmin/config';
import { DASHBOARD_UIDS, EQUITY_PANEL_ID, PROMETHEUS } from '../datasources.js';
import {
  alertsPageLink,
  builtInAnnotations,
  colour,
  currencyOverrides,
  dashboardHeader,
  defaults,
  grid,
  placer,
  prom,
  statTile,
  thresholds,
  upDownMapping,
  type DashboardOptions,
} from './common.js';

/** Label matcher of the selected account, used by every account-scoped query. */
const ACC = 'account="$account"';

/** refIds the equity panel looks for (grafana/panel/src/types.ts defaults). */
export const EQUITY_PANEL_REFS = Object.freeze({ equity: 'equity', executions: 'executions' });

/** Title of the equity curve panel (panelQuery finds it by this title). */
export const EQUITY_PANEL_TITLE = 'Equity curve';

function lastValue(): ReduceDataOptionsBuilder {
  return new ReduceDataOptionsBuilder().calcs(['lastNotNull']).values(false).fields('');
}

function stat(title: string, unit: string, description: string): StatPanel {
  return statTile(title, unit, description)
    .reduceOptions(lastValue())
    .graphMode(BigValueGraphMode.Area)
    .colorMode(BigValueColorMode.Value)
    .textMode(BigValueTextMode.Auto);
}

/** Names each value of a stat beside it (several series in one tile), coloured by its thresholds. */
function namedValues(p: StatPanel): StatPanel {
  return p
    .textMode(BigValueTextMode.ValueAndName)
    .graphMode(BigValueGraphMode.None)
    .colorScheme(colour(dashboard.FieldColorModeId.Thresholds));
}

/** Health tiles: named values on a background of their threshold colour. */
function healthTiles(p: StatPanel): StatPanel {
  return namedValues(p.colorMode(BigValueColorMode.Background));
}

function legendTable(): VizLegendOptionsBuilder {
  return new VizLegendOptionsBuilder()
    .displayMode(LegendDisplayMode.Table)
    .placement(LegendPlacement.Bottom)
    .showLegend(true)
    .calcs(['lastNotNull', 'max']);
}

function tooltipAll(): VizTooltipOptionsBuilder {
  return new VizTooltipOptionsBuilder().mode(TooltipDisplayMode.Multi).sort(SortOrder.Descending);
}

/** Builds the "Trading overview" dashboard model. */
export function overviewDashboard(options: DashboardOptions = {}): dashboard.Dashboard {
  // The limits drawn and coloured are config.toml's (dashboardOptions(config)); money follows each series' currency.
  const { moneyUnit, drawdownLimitPercent, latencyThresholdSeconds, maxApiErrorsPerHour } = defaults(options);
  const drawdownLimit = drawdownLimitPercent / 100;
  const money = (title: string, expr: string, description: string, signed = false) =>
    stat(title, moneyUnit, description)
      .overrides(currencyOverrides())
      .decimals(2)
      .withTarget(prom('A', expr, { legend: '{{currency}}' }))
      .colorScheme(colour(dashboard.FieldColorModeId.Thresholds))
      .thresholds(signed ? thresholds([null, 'red'], [0, 'green']) : thresholds([null, 'text']));

  const b = dashboardHeader('Trading overview', {
    uid: DASHBOARD_UIDS.overview,
    description: 'Equity, P&L, positions, order latency, errors and connectivity of one trading account.',
    tags: ['traderadmin', 'trading'],
    refresh: '5s',
    from: 'now-6h',
  })
    .link(alertsPageLink())
    .withVariable(
      new dashboard.QueryVariableBuilder('account')
        .label('Account')
        .description('Interactive Brokers account')
        .datasource(PROMETHEUS)
        .query({ qryType: 1, query: 'label_values(trader_equity, account)', refId: 'PrometheusVariableQueryEditor-VariableQuery' })
        .definition('label_values(trader_equity, account)')
        .refresh(dashboard.VariableRefresh.OnTimeRangeChanged)
        .sort(dashboard.VariableSort.AlphabeticalAsc)
        .multi(false)
        .includeAll(false),
    )
    .annotation(builtInAnnotations())
    .annotation(
      new dashboard.AnnotationQueryBuilder()
        .name('Firing alerts')
        .datasource(PROMETHEUS)
        .enable(true)
        .iconColor('red')
        // ALERTS has one sample per evaluation while firing; each run of samples is one region.
        .expr('ALERTS{alertstate="firing", alertname!="Watchdog"}')
        .step('15s')
        .titleFormat('{{alertname}}')
        .textFormat('{{severity}} {{account}} {{component}}')
        .tagKeys('alertname,severity')
        .useValueForTime(false),
    )
    .annotation(
      new dashboard.AnnotationQueryBuilder()
        .name('Broker reconnects')
        .datasource(PROMETHEUS)
        .enable(true)
        .iconColor('orange')
        .expr('changes(trader_broker_reconnects_total[1m]) > 0')
        .step('1m')
        .titleFormat('Broker reconnect')
        .textFormat('gateway {{gateway}}')
        .tagKeys('gateway')
        .useValueForTime(false),
    )
    .link(
      new dashboard.DashboardLinkBuilder('Alerts and delivery')
        .type(dashboard.DashboardLinkType.Link)
        .url(dashboardPath('delivery'))
        .icon('bolt')
        .keepTime(true)
        .includeVars(false),
    )
    .link(
      new dashboard.DashboardLinkBuilder('Alert rules')
        .type(dashboard.DashboardLinkType.Link)
        .url('/alerting/list?search=datasource:Prometheus')
        .icon('bell')
        .keepTime(false),
    );
  const place = placer(b);

  // Row 1: money.
  place(grid(0, 0, 4, 4), money('Equity', `trader_equity{${ACC}}`, 'Net liquidation value.'));
  place(
    grid(4, 0, 4, 4),
    money('Daily P&L', `trader_daily_pnl{${ACC}}`, 'Realized + unrealized change since the configured day start.', true),
  );
  place(
    grid(8, 0, 4, 4),
    money(
      'Realized P&L today',
      `trader_realized_pnl_today{${ACC}}`,
      'Realized P&L since day start (alert DailyRealizedPnlBelowLimit).',
      true,
    ),
  );
  place(grid(12, 0, 4, 4), money('Unrealized P&L', `trader_unrealized_pnl{${ACC}}`, 'Unrealized P&L of the open positions.', true));
  place(grid(16, 0, 4, 4), money('Buying power', `trader_buying_power{${ACC}}`, 'Buying power / available capital.'));
  place(
    grid(20, 0, 4, 4),
    stat('Open positions', 'none', 'Number of open positions.')
      .decimals(0)
      .withTarget(prom('A', `trader_open_positions{${ACC}}`))
      .colorScheme(colour(dashboard.FieldColorModeId.Thresholds))
      .thresholds(thresholds([null, 'text'])),
  );

  // Row 2: trading activity and health.
  place(
    grid(0, 4, 8, 4),
    namedValues(
      stat(
        'Trades today',
        'none',
        'Closed round trips since day start: all, wins and losses, and the win rate (recording rule account:trader_win_rate_today:ratio).',
      )
        .withTarget(prom('A', `sum(trader_trades_today{${ACC}})`, { legend: 'Trades' }))
        .withTarget(prom('B', `sum(trader_trades_today{${ACC}, outcome="win"})`, { legend: 'Wins' }))
        .withTarget(prom('C', `sum(trader_trades_today{${ACC}, outcome="loss"})`, { legend: 'Losses' }))
        .withTarget(prom('D', `account:trader_win_rate_today:ratio{${ACC}}`, { legend: 'Win rate' })),
    )
      .thresholds(thresholds([null, 'text']))
      .overrideByName('Win rate', [
        { id: 'unit', value: 'percentunit' },
        { id: 'decimals', value: 0 },
      ])
      .decimals(0)
      .noValue('no trades yet'),
  );
  place(
    grid(8, 4, 4, 4),
    namedValues(
      stat(
        'Average win / loss',
        moneyUnit,
        'Average P&L of today’s winning and losing trades (recording rules account:trader_avg_win_today:currency and account:trader_avg_loss_today:currency).',
      )
        .decimals(2)
        .withTarget(prom('A', `account:trader_avg_win_today:currency{${ACC}}`, { legend: 'Avg win {{currency}}' }))
        .withTarget(prom('B', `account:trader_avg_loss_today:currency{${ACC}}`, { legend: 'Avg loss {{currency}}' }))
        .overrides(currencyOverrides()),
    )
      .thresholds(thresholds([null, 'red'], [0, 'green']))
      .noValue('no closed trades'),
  );
  place(
    grid(12, 4, 4, 4),
    namedValues(
      stat(
        'Average order latency',
        's',
        'Mean order round trip over the dashboard time range, by stage (ack: submit to acknowledged; fill: submit to filled).',
      ).withTarget(
        prom(
          'A',
          `sum by (stage) (increase(trader_order_latency_seconds_sum{${ACC}}[$__range]))\n/\n(sum by (stage) (increase(trader_order_latency_seconds_count{${ACC}}[$__range])) > 0)`,
          { legend: '{{stage}}', instant: true },
        ),
      ),
    )
      .thresholds(thresholds([null, 'green'], [latencyThresholdSeconds / 2, 'orange'], [latencyThresholdSeconds, 'red']))
      .noValue('no orders'),
  );
  place(
    grid(16, 4, 4, 4),
    stat(
      'API errors (last hour)',
      'none',
      'API errors of every component in the last hour, counted exactly (recording rule component:trader_api_errors:increase1h; alert ApiErrorsExcessive).',
    )
      .decimals(0)
      .withTarget(prom('A', 'sum(component:trader_api_errors:increase1h) or vector(0)', { legend: 'errors' }))
      .colorScheme(colour(dashboard.FieldColorModeId.Thresholds))
      .thresholds(thresholds([null, 'green'], [1, 'orange'], [maxApiErrorsPerHour, 'red'])),
  );
  place(
    grid(20, 4, 4, 4),
    stat(
      'Drawdown today',
      'percentunit',
      'How far equity is below start-of-day equity (recording rule account:trader_drawdown_today:ratio; alert DrawdownTodayExceeded).',
    )
      .decimals(2)
      .withTarget(prom('A', `account:trader_drawdown_today:ratio{${ACC}}`, { legend: '{{currency}}' }))
      .colorScheme(colour(dashboard.FieldColorModeId.Thresholds))
      .thresholds(thresholds([null, 'green'], [drawdownLimit / 2, 'orange'], [drawdownLimit, 'red'])),
  );

  // Row 3: equity curve (our panel) and system status.
  place(
    grid(0, 8, 16, 12),
    new dashboard.PanelBuilder()
      .type(EQUITY_PANEL_ID)
      .title(EQUITY_PANEL_TITLE)
      .description(
        'Equity with its high-water mark over the time range, the drawdown from it as an underwater area, fills as markers and the drawdown limit as a line.',
      )
      .datasource(PROMETHEUS)
      .withTarget(prom(EQUITY_PANEL_REFS.equity, `trader_equity{${ACC}}`, { legend: 'Equity {{currency}}' }))
      .withTarget(prom(EQUITY_PANEL_REFS.executions, `sum by (side) (trader_executions_total{${ACC}})`, { legend: '{{side}}' }))
      .options({
        equityRefId: EQUITY_PANEL_REFS.equity,
        executionsRefId: EQUITY_PANEL_REFS.executions,
        limitRefId: 'limit',
        showHighWater: true,
        showMarkers: true,
        drawdownLimitPercent,
        drawdownHeightPercent: 30,
      })
      .fieldConfig({ defaults: { unit: moneyUnit, decimals: 2 }, overrides: currencyOverrides() }),
  );
  place(
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
  );
  place(
    grid(16, 12, 8, 4),
    healthTiles(
      stat('Component heartbeats', 's', 'Seconds since each external component last sent a heartbeat (alert ComponentDown).')
        .decimals(0)
        .withTarget(prom('A', 'time() - trader_component_last_heartbeat_timestamp_seconds', { legend: '{{component}}', instant: true })),
    )
      .thresholds(thresholds([null, 'green'], [30, 'orange'], [120, 'red']))
      .noValue('no heartbeats'),
  );
  place(
    grid(16, 16, 8, 4),
    healthTiles(
      stat(
        'Last data sync',
        's',
        'Seconds since the last successful market data / scanner sync (alert MarketDataStale, market hours only).',
      )
        .decimals(0)
        .withTarget(prom('A', 'time() - trader_last_data_sync_timestamp_seconds', { legend: '{{source}}', instant: true })),
    )
      .thresholds(thresholds([null, 'green'], [30, 'orange'], [60, 'red']))
      .noValue('never synced'),
  );

  // Row 4: P&L trend and order latency.
  place(
    grid(0, 20, 12, 8),
    new TimeseriesPanel()
      .title('Daily P&L trend')
      .description('Realized + unrealized P&L since day start, and the realized part.')
      .datasource(PROMETHEUS)
      .withTarget(prom('A', `trader_daily_pnl{${ACC}}`, { legend: 'Daily P&L {{currency}}' }))
      .withTarget(prom('B', `trader_realized_pnl_today{${ACC}}`, { legend: 'Realized {{currency}}' }))
      .unit(moneyUnit)
      .overrides(currencyOverrides())
      .decimals(2)
      .colorScheme(colour(dashboard.FieldColorModeId.PaletteClassic))
      .fillOpacity(15)
      .gradientMode(GraphGradientMode.Opacity)
      .axisCenteredZero(true)
      .legend(legendTable())
      .tooltip(tooltipAll()),
  );
  place(
    grid(12, 20, 12, 8),
    new TimeseriesPanel()
      .title('Order latency')
      .description(
        'Order round trip quantiles from the histogram, and the largest round trip in the trailing window (alert OrderLatencyHigh).',
      )
      .datasource(PROMETHEUS)
      .withTarget(
        prom('A', `histogram_quantile(0.5, sum by (le, stage) (rate(trader_order_latency_seconds_bucket{${ACC}}[$__rate_interval])))`, {
          legend: 'p50 {{stage}}',
        }),
      )
      .withTarget(
        prom('B', `histogram_quantile(0.95, sum by (le, stage) (rate(trader_order_latency_seconds_bucket{${ACC}}[$__rate_interval])))`, {
          legend: 'p95 {{stage}}',
        }),
      )
      .withTarget(
        prom('C', `histogram_quantile(0.99, sum by (le, stage) (rate(trader_order_latency_seconds_bucket{${ACC}}[$__rate_interval])))`, {
          legend: 'p99 {{stage}}',
        }),
      )
      .withTarget(prom('D', `max by (stage) (trader_order_latency_max_seconds{${ACC}})`, { legend: 'max {{stage}}' }))
      .unit('s')
      // max_order_latency_ms drawn as a line: the limit OrderLatencyHigh fires above.
      .thresholds(thresholds([null, 'transparent'], [latencyThresholdSeconds, 'red']))
      .thresholdsStyle(new GraphThresholdsStyleConfigBuilder().mode(GraphThresholdsStyleMode.Dashed))
      .colorScheme(colour(dashboard.FieldColorModeId.PaletteClassic))
      .spanNulls(true)
      .legend(legendTable())
      .tooltip(tooltipAll()),
  );

  // Row 5: errors and positions.
  place(
    grid(0, 28, 12, 9),
    new TimeseriesPanel()
      .title('Errors by component')
      .description('API errors per component (ibkr, orchestrator, scanner, exporter, ...) per interval.')
      .datasource(PROMETHEUS)
      .withTarget(prom('A', 'sum by (component) (increase(trader_api_errors_total[$__rate_interval]))', { legend: '{{component}}' }))
      .unit('none')
      .decimals(0)
      .drawStyle(GraphDrawStyle.Bars)
      .fillOpacity(70)
      .stacking(new StackingConfigBuilder().mode(StackingMode.Normal).group('A'))
      .colorScheme(colour(dashboard.FieldColorModeId.PaletteClassic))
      .legend(legendTable())
      .tooltip(tooltipAll()),
  );
  place(
    grid(12, 28, 12, 9),
    new TablePanel()
      .title('Positions')
      .description('Open positions now; click a column header to sort.')
      .datasource(PROMETHEUS)
      .withTarget(prom('A', `sum by (symbol, sec_type, currency) (trader_position_quantity{${ACC}}) != 0`, { instant: true, table: true }))
      .withTarget(prom('B', `max by (symbol, sec_type, currency) (trader_position_avg_cost{${ACC}})`, { instant: true, table: true }))
      .withTarget(prom('C', `max by (symbol, sec_type, currency) (trader_position_market_price{${ACC}})`, { instant: true, table: true }))
      .withTarget(prom('D', `sum by (symbol, sec_type, currency) (trader_position_unrealized_pnl{${ACC}})`, { instant: true, table: true }))
      // One row per position: the aggregations leave only symbol, sec_type and currency as
      // labels (no __name__, job or instance), so merge joins the four tables on them.
      .withTransformation({ id: 'merge', options: {} })
      .withTransformation({
        id: 'filterByValue',
        options: { type: 'include', match: 'any', filters: [{ fieldName: 'Value #A', config: { id: 'isNotNull', options: {} } }] },
      })
      .withTransformation({
        id: 'organize',
        options: {
          excludeByName: { Time: true, __name__: true, account: true, job: true, instance: true },
          indexByName: { symbol: 0, sec_type: 1, 'Value #A': 2, 'Value #B': 3, 'Value #C': 4, 'Value #D': 5, currency: 6 },
          renameByName: {
            symbol: 'Symbol',
            sec_type: 'Type',
            'Value #A': 'Quantity',
            'Value #B': 'Entry',
            'Value #C': 'Current price',
            'Value #D': 'Unrealized P&L',
            currency: 'Currency',
          },
        },
      })
      .sortBy([new TableSortByFieldStateBuilder().displayName('Unrealized P&L').desc(false)])
      .overrideByName('Quantity', [{ id: 'decimals', value: 0 }])
      .overrideByName('Entry', [
        { id: 'unit', value: moneyUnit },
        { id: 'decimals', value: 2 },
      ])
      .overrideByName('Current price', [
        { id: 'unit', value: moneyUnit },
        { id: 'decimals', value: 2 },
      ])
      .overrideByName('Unrealized P&L', [
        { id: 'unit', value: moneyUnit },
        { id: 'decimals', value: 2 },
        { id: 'color', value: { mode: dashboard.FieldColorModeId.Thresholds } },
        { id: 'thresholds', value: thresholds([null, 'red'], [0, 'green']).build() },
        { id: 'custom.cellOptions', value: { type: 'color-text' } },
      ])
      .noValue('no open positions'),
  );

  return b.build();
}
