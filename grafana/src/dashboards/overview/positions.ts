/**
 * "Trading overview" row 5, right: the open positions as one table, joined from four instant
 * queries on symbol, sec_type and currency.
 */
import * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';
import { PanelBuilder as TablePanel } from '@grafana/grafana-foundation-sdk/table';
import { TableSortByFieldStateBuilder } from '@grafana/grafana-foundation-sdk/common';
import { PROMETHEUS } from '../../datasources.js';
import { grid, prom, thresholds, type DashboardOptions, type Placement } from '../common.js';
import { ACC } from './panels.js';

export function positionsPanel({ moneyUnit }: Required<DashboardOptions>): Placement {
  /** Field options of a money column. */
  const money = [
    { id: 'unit', value: moneyUnit },
    { id: 'decimals', value: 2 },
  ];
  return [
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
      .overrideByName('Entry', money)
      .overrideByName('Current price', money)
      .overrideByName('Unrealized P&L', [
        ...money,
        { id: 'color', value: { mode: dashboard.FieldColorModeId.Thresholds } },
        { id: 'thresholds', value: thresholds([null, 'red'], [0, 'green']).build() },
        { id: 'custom.cellOptions', value: { type: 'color-text' } },
      ])
      .noValue('no open positions'),
  ];
}
