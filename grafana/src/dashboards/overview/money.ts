/** "Trading overview" row 1: the account's money (equity, P&L, buying power) and its open positions. */
import * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';
import { colour, currencyOverrides, grid, prom, thresholds, type DashboardOptions, type Placement } from '../common.js';
import { ACC, stat } from './panels.js';

/** One money tile in each series' currency; a signed one is red below zero. */
function money(moneyUnit: string, title: string, expr: string, description: string, signed = false) {
  return stat(title, moneyUnit, description)
    .overrides(currencyOverrides())
    .decimals(2)
    .withTarget(prom('A', expr, { legend: '{{currency}}' }))
    .colorScheme(colour(dashboard.FieldColorModeId.Thresholds))
    .thresholds(signed ? thresholds([null, 'red'], [0, 'green']) : thresholds([null, 'text']));
}

export function moneyRow({ moneyUnit }: Required<DashboardOptions>): Placement[] {
  const tiles: Array<[title: string, metric: string, description: string, signed?: boolean]> = [
    ['Equity', 'trader_equity', 'Net liquidation value.'],
    ['Daily P&L', 'trader_daily_pnl', 'Realized + unrealized change since the configured day start.', true],
    ['Realized P&L today', 'trader_realized_pnl_today', 'Realized P&L since day start (alert DailyRealizedPnlBelowLimit).', true],
    ['Unrealized P&L', 'trader_unrealized_pnl', 'Unrealized P&L of the open positions.', true],
    ['Buying power', 'trader_buying_power', 'Buying power / available capital.'],
  ];
  return [
    ...tiles.map(([title, metric, description, signed], i): Placement => [
      grid(4 * i, 0, 4, 4),
      money(moneyUnit, title, `${metric}{${ACC}}`, description, signed),
    ]),
    [
      grid(20, 0, 4, 4),
      stat('Open positions', 'none', 'Number of open positions.')
        .decimals(0)
        .withTarget(prom('A', `trader_open_positions{${ACC}}`))
        .colorScheme(colour(dashboard.FieldColorModeId.Thresholds))
        .thresholds(thresholds([null, 'text'])),
    ],
  ];
}
