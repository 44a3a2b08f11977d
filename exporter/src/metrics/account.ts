/** Account-level money gauges (contract: trader_equity … trader_open_positions). */
import { Gauge, type Registry } from 'prom-client';
import type { AccountBook, Ledger } from '../accounting/ledger.js';

export const EQUITY = 'trader_equity';
export const EQUITY_START_OF_DAY = 'trader_equity_start_of_day';
export const EQUITY_HIGH_WATER_TODAY = 'trader_equity_high_water_today';
export const CASH = 'trader_cash';
export const BUYING_POWER = 'trader_buying_power';
export const REALIZED_PNL_TODAY = 'trader_realized_pnl_today';
export const UNREALIZED_PNL = 'trader_unrealized_pnl';
export const DAILY_PNL = 'trader_daily_pnl';
export const OPEN_POSITIONS = 'trader_open_positions';

type Money = (b: AccountBook) => number | undefined;

/** Sums of many fills carry float dust (3.5000000000000284); a hundred-millionth is plenty. */
export function money(v: number): number {
  return Math.round(v * 1e8) / 1e8;
}

const MONEY: Array<[string, string, Money]> = [
  [EQUITY, 'Net liquidation value of the account.', (b) => b.equity],
  [
    EQUITY_START_OF_DAY,
    "Equity at the trading day start (started later: equity minus the gateway's daily P&L, else the first value seen).",
    (b) => b.equityStartOfDay,
  ],
  [EQUITY_HIGH_WATER_TODAY, 'Highest equity since the trading day start.', (b) => b.equityHighWater],
  [CASH, 'Total cash value of the account.', (b) => b.cash],
  [BUYING_POWER, 'Buying power (available capital) of the account.', (b) => b.buyingPower],
  [REALIZED_PNL_TODAY, 'Realized P&L since the trading day start, net of reported commissions.', (b) => b.realizedPnlToday()],
  [UNREALIZED_PNL, 'Unrealized P&L of the open positions.', (b) => b.unrealizedPnl()],
  [DAILY_PNL, 'Realized P&L today plus the change of unrealized P&L since the trading day start.', (b) => b.dailyPnl()],
];

/** Registers the account gauges; their values are read from the ledger at scrape time. */
export function registerAccountMetrics(registry: Registry, ledger: Ledger): void {
  for (const [name, help, read] of MONEY) {
    new Gauge({
      name,
      help,
      labelNames: ['account', 'currency'],
      registers: [registry],
      collect() {
        this.reset();
        for (const account of ledger.accounts()) {
          const b = ledger.book(account);
          const v = read(b);
          // Money without its currency would be ambiguous: wait for the account's base currency.
          if (v !== undefined && b.currency !== undefined) this.set({ account, currency: b.currency }, money(v));
        }
      },
    });
  }
  new Gauge({
    name: OPEN_POSITIONS,
    help: 'Number of open positions.',
    labelNames: ['account'],
    registers: [registry],
    collect() {
      this.reset();
      for (const account of ledger.accounts()) this.set({ account }, ledger.book(account).openPositions());
    },
  });
}
