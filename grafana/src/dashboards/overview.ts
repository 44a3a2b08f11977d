/**
 * "Trading overview" (uid trader-overview): one account at a time, chosen by the `account`
 * variable. Alert annotations link here with `?var-account=<account>` (rules-gen dashboardUrl).
 * This file is the header (variable, annotations, links); each row is its own module in
 * overview/, placed here in reading order (panel ids 1, 2, … follow it).
 */
import * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';
import { dashboardPath } from '@traderadmin/config';
import { PROMETHEUS } from '../datasources.js';
import { alertRulesLink, alertsPageLink, dashboardHeader, defaults, headerLink, placer, type DashboardOptions } from './common.js';
import { activityRow } from './overview/activity.js';
import { equityPanel } from './overview/equity.js';
import { healthColumn } from './overview/health.js';
import { moneyRow } from './overview/money.js';
import { positionsPanel } from './overview/positions.js';
import { trendRows } from './overview/trends.js';

export { EQUITY_PANEL_REFS, EQUITY_PANEL_TITLE } from './overview/equity.js';

/** Builds the "Trading overview" dashboard model. */
export function overviewDashboard(options: DashboardOptions = {}): dashboard.Dashboard {
  // The limits drawn and coloured are config.toml's (dashboardOptions(config)); money follows each series' currency.
  const o = defaults(options);
  const b = dashboardHeader('overview', 'Trading overview', {
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
    .link(headerLink('Alerts and delivery', dashboardPath('delivery'), 'bolt').keepTime(true).includeVars(false))
    .link(alertRulesLink().keepTime(false));

  const place = placer(b);
  for (const [pos, panel] of [...moneyRow(o), ...activityRow(o), equityPanel(o), ...healthColumn(), ...trendRows(o), positionsPanel(o)])
    place(pos, panel);
  return b.build();
}
