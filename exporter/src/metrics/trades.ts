/** Fills and round trips (contract: trader_executions_total, trader_trades_*, trader_trade_pnl_today). */
import { Counter, Gauge, type Registry } from 'prom-client';
import { OUTCOMES, type Ledger, type Outcome } from '../accounting/ledger.js';
import { money } from './account.js';

export const EXECUTIONS_TOTAL = 'trader_executions_total';
export const TRADES_CLOSED_TOTAL = 'trader_trades_closed_total';
export const TRADES_TODAY = 'trader_trades_today';
export const TRADE_PNL_TODAY = 'trader_trade_pnl_today';

export interface TradeCounters {
  execution(account: string, side: 'buy' | 'sell'): void;
  tradeClosed(account: string, outcome: Outcome): void;
  /** Creates the zero series of an account so the first fill is seen by increase(). */
  initAccount(account: string): void;
}

export function registerTradeMetrics(registry: Registry, ledger: Ledger): TradeCounters {
  const executions = new Counter({
    name: EXECUTIONS_TOTAL,
    help: 'Fills seen by this exporter process (side = buy, sell).',
    labelNames: ['account', 'side'],
    registers: [registry],
  });
  const closed = new Counter({
    name: TRADES_CLOSED_TOTAL,
    help: 'Closed round trips seen by this exporter process (outcome = win, loss, breakeven).',
    labelNames: ['account', 'outcome'],
    registers: [registry],
  });
  new Gauge({
    name: TRADES_TODAY,
    help: 'Round trips closed since the trading day start.',
    labelNames: ['account', 'outcome'],
    registers: [registry],
    collect() {
      this.reset();
      for (const account of ledger.accounts()) {
        const t = ledger.book(account).today.trades;
        for (const outcome of OUTCOMES) this.set({ account, outcome }, t[outcome]);
      }
    },
  });
  new Gauge({
    name: TRADE_PNL_TODAY,
    help: "Summed realized P&L of today's round trips of that outcome (losses negative).",
    labelNames: ['account', 'outcome', 'currency'],
    registers: [registry],
    collect() {
      this.reset();
      for (const account of ledger.accounts()) {
        const b = ledger.book(account);
        if (b.currency === undefined) continue;
        for (const outcome of OUTCOMES) this.set({ account, outcome, currency: b.currency }, money(b.today.pnl[outcome]));
      }
    },
  });
  const initialised = new Set<string>();
  return {
    execution: (account, side) => executions.inc({ account, side }),
    tradeClosed: (account, outcome) => closed.inc({ account, outcome }),
    initAccount(account) {
      if (initialised.has(account)) return;
      initialised.add(account);
      for (const side of ['buy', 'sell']) executions.inc({ account, side }, 0);
      for (const outcome of OUTCOMES) closed.inc({ account, outcome }, 0);
    },
  };
}
