/** Per-position gauges (contract: trader_position_*), labelled by instrument, never by price or id. */
import { Gauge, type Registry } from 'prom-client';
import { viewOf, type Ledger, type PositionView } from '../accounting/ledger.js';
import { money } from './account.js';

export const POSITION_QUANTITY = 'trader_position_quantity';
export const POSITION_AVG_COST = 'trader_position_avg_cost';
export const POSITION_MARKET_PRICE = 'trader_position_market_price';
export const POSITION_MARKET_VALUE = 'trader_position_market_value';
export const POSITION_UNREALIZED_PNL = 'trader_position_unrealized_pnl';

const FIELDS: Array<[string, string, keyof PositionView]> = [
  [POSITION_QUANTITY, 'Signed position size.', 'quantity'],
  [POSITION_AVG_COST, 'Average entry price per unit.', 'avgCost'],
  [POSITION_MARKET_PRICE, 'Current market price per unit.', 'marketPrice'],
  [POSITION_MARKET_VALUE, 'Current market value of the position.', 'marketValue'],
  [POSITION_UNREALIZED_PNL, 'Unrealized P&L of the position.', 'unrealizedPnl'],
];

/** Registers the position gauges; one scrape walks the positions once for all five. */
export function registerPositionMetrics(registry: Registry, ledger: Ledger): void {
  // The first gauge's collect fills all five: prom-client runs each synchronous collect()
  // right before reading that metric, and the first gauge is read first.
  const fill = () => {
    for (const g of gauges) g.reset();
    for (const account of ledger.accounts()) {
      for (const p of ledger.book(account).positions.values()) {
        const v = viewOf(p);
        const labels = { account, symbol: v.symbol, sec_type: v.secType, currency: v.currency };
        FIELDS.forEach(([, , field], i) => gauges[i].set(labels, money(v[field] as number)));
      }
    }
  };
  const gauges: Gauge[] = FIELDS.map(
    ([name, help], i) =>
      new Gauge({
        name,
        help,
        labelNames: ['account', 'symbol', 'sec_type', 'currency'],
        registers: [registry],
        ...(i === 0 ? { collect: fill } : {}),
      }),
  );
}
