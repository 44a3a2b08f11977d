/** The benches' trading book: accounts × open positions fed through an exporter's gateway sink, as the IB reader does. */
import type { createExporterCore } from '@traderadmin/exporter';

type Sink = ReturnType<typeof createExporterCore>['sink'];

/** DU1000000, DU1000001, …: the benches' account ids. */
export const benchAccounts = (count: number): string[] => Array.from({ length: count }, (_, a) => `DU${1_000_000 + a}`);

/** Position p's contract and size, the same in every bench. */
const contract = (account: string, p: number) => ({
  account,
  key: String(100_000 + p),
  symbol: `SYM${p}`,
  secType: 'STK',
  currency: 'USD',
  quantity: 100,
});
const entryPrice = (p: number) => 10 + (p % 500);

function position(sink: Sink, account: string, p: number, drift: number): void {
  const price = entryPrice(p);
  const market = price * drift;
  sink.position({
    ...contract(account, p),
    avgCost: price,
    marketPrice: market,
    marketValue: market * 100,
    unrealizedPnl: (market - price) * 100,
  });
}

export interface BookOptions {
  /** Also one BUY fill per position, so the ledger holds the trades behind them (not only the gateway's positions). */
  fills?: boolean;
}

/**
 * Gives every account its account values and `positions` positions 1 % above their entry price;
 * returns one tick of the market: 10 % of the positions get a new price (call it every second).
 */
export function feedBook(sink: Sink, accounts: readonly string[], positions: number, options: BookOptions = {}): () => void {
  const now = Date.now();
  for (const account of accounts) {
    sink.accountValue(account, 'NetLiquidation', 1_000_000, 'USD');
    sink.accountValue(account, 'BuyingPower', 4_000_000, 'USD');
    sink.accountValue(account, 'TotalCashValue', 500_000, 'USD');
    for (let p = 0; p < positions; p++) {
      if (options.fills)
        sink.fills([{ ...contract(account, p), price: entryPrice(p), time: now, execId: `${account}.${p}`, side: 'BUY' }], true);
      position(sink, account, p, 1.01);
    }
  }
  let tick = 0;
  return () => {
    tick++;
    for (const account of accounts)
      for (let p = tick % 10; p < positions; p += 10) position(sink, account, p, 1 + ((tick * 7 + p) % 40) / 1000 - 0.02);
  };
}
