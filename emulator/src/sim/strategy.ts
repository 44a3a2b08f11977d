/**
 * The built-in strategy: a toy trader that opens and closes positions at random moments
 * so that every metric moves (wins, losses, commissions, latency). Pure decisions from
 * the seeded PRNG; the engine executes them.
 */
import type { Account, Side } from './account.js';
import type { Market } from './market.js';
import type { Random } from './random.js';

/** An order the strategy wants placed, with the latencies the simulated venue will show. */
export interface StrategyOrder {
  account: string;
  symbol: string;
  side: Side;
  quantity: number;
  price: number;
  /** Submit to acknowledged. */
  ackLatencyMs: number;
  /** Submit to filled (>= ackLatencyMs). */
  fillLatencyMs: number;
  orderRef: string;
}

export interface StrategyOptions {
  /** Mean seconds between orders; 0 disables the strategy. */
  tradeIntervalSeconds: number;
  tickIntervalMs: number;
  startingCash: number;
  /** Most positions held at once per account. @default 3 */
  maxPositions?: number;
  /** Share of orders with a slow fill (over a second). @default 0.03 */
  slowFillShare?: number;
}

export class Strategy {
  private seq = 0;

  constructor(
    private readonly random: Random,
    private readonly options: StrategyOptions,
  ) {}

  get enabled(): boolean {
    return this.options.tradeIntervalSeconds > 0;
  }

  /** Called once per tick; returns an order about once every tradeIntervalSeconds on average. */
  step(accounts: readonly Account[], market: Market): StrategyOrder | undefined {
    if (!this.enabled || accounts.length === 0) return undefined;
    const p = Math.min(1, this.options.tickIntervalMs / (this.options.tradeIntervalSeconds * 1000));
    if (!this.random.chance(p)) return undefined;
    const account = this.random.pick(accounts);
    const held = account.positions();
    const max = this.options.maxPositions ?? 3;
    const ackLatencyMs = this.random.int(15, 120);
    const slow = this.random.chance(this.options.slowFillShare ?? 0.03);
    const fillLatencyMs = ackLatencyMs + (slow ? this.random.int(1100, 2500) : this.random.int(20, 400));
    const orderRef = `emu-strategy-${++this.seq}`;
    if (held.length > 0 && (held.length >= max || this.random.chance(0.5))) {
      const h = this.random.pick(held);
      const inst = market.require(h.symbol);
      const side: Side = h.quantity > 0 ? 'SELL' : 'BUY';
      return {
        account: account.id,
        symbol: h.symbol,
        side,
        quantity: Math.abs(h.quantity),
        price: side === 'SELL' ? inst.bid : inst.ask,
        ackLatencyMs,
        fillLatencyMs,
        orderRef,
      };
    }
    const candidates = market.all().filter((i) => !account.holding(i.contract.symbol)?.quantity);
    if (candidates.length === 0) return undefined;
    const inst = this.random.pick(candidates);
    const side: Side = this.random.chance(0.7) ? 'BUY' : 'SELL';
    const notional = this.options.startingCash * this.random.uniform(0.05, 0.2);
    const quantity = Math.max(1, Math.round(notional / inst.last));
    return {
      account: account.id,
      symbol: inst.contract.symbol,
      side,
      quantity,
      price: side === 'BUY' ? inst.ask : inst.bid,
      ackLatencyMs,
      fillLatencyMs,
      orderRef,
    };
  }
}
