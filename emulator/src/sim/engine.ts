/**
 * The simulation core: market, accounts, the built-in strategy and the order life cycle
 * (ack, then fill after the latency). Deterministic for a seed and a clock; the gateway
 * server only listens to its events and reads its state.
 */
import type { ContractFields, ExecutionFields, OrderFields } from '../protocol/encode.js';
import { Account, commissionFor } from './account.js';
import type { TimerClock, TimerHandle } from '@traderadmin/kit';
import { Market, universeOf } from './market.js';
import { Random } from './random.js';
import { Strategy, type StrategyOrder } from './strategy.js';
import { dayKey, executionTimeText, msToNextTradingDay } from './time.js';

/** Client id the emulator's own orders carry (the built-in strategy and the control API). */
export const EMULATOR_CLIENT_ID = 900;
/** Longest latency accepted for an injected or simulated order. */
export const MAX_LATENCY_MS = 600_000;

export type OrderSource = 'strategy' | 'control';

/** An order of the emulator's own, with its contract and timing. */
export interface SimOrder extends OrderFields {
  symbol: string;
  contract: ContractFields;
  source: OrderSource;
  submittedAtMs: number;
  ackLatencyMs: number;
  fillLatencyMs: number;
}

/** A fill with its commission report. */
export interface ExecutionRecord {
  fields: ExecutionFields;
  contract: ContractFields;
  symbol: string;
  commission: number;
  currency: string;
  /** Realized P&L of the fill net of commission; undefined for an opening fill. */
  realizedPnl: number | undefined;
  /** Emulated time of the fill. */
  timeMs: number;
  /** Trading day (yyyymmdd in the gateway's zone). */
  day: string;
}

export type SimEvent =
  | { type: 'tick' }
  | { type: 'order'; order: SimOrder }
  | { type: 'execution'; order: SimOrder; execution: ExecutionRecord }
  | { type: 'reject'; order: SimOrder; code: number; message: string }
  | { type: 'latency'; account: string; stage: 'ack' | 'fill'; latencyMs: number; source: OrderSource; report: boolean }
  | { type: 'day' };

/** What an order needs (the strategy's order plus who placed it); ids and timing are added by the engine. */
export interface OrderRequest extends StrategyOrder {
  source: OrderSource;
  /** Whether the round trip is reported to the events API (an orchestrator would). */
  reportLatency: boolean;
}

export interface SimulationOptions {
  accounts: string[];
  seed: number;
  startingCash: number;
  tickIntervalMs: number;
  tradeIntervalSeconds: number;
  timeZone: string;
  clock: TimerClock;
  /** Standard deviation of one tick's log return. @default 0.0008 */
  volatility?: number;
  /** Open positions each account holds at start, from before today (load tests). @default 0 */
  positions?: number;
}

/** Thrown for a bad control request (bad account, symbol, side, quantity, ...). */
export class InputError extends Error {
  override name = 'InputError';
}

export class Simulation {
  readonly market: Market;
  readonly accounts: Account[];
  readonly strategy: Strategy;
  private readonly random: Random;
  private readonly listeners = new Set<(e: SimEvent) => void>();
  private readonly timers = new Set<TimerHandle>();
  private readonly orders = new Map<number, SimOrder>();
  private readonly executions: ExecutionRecord[] = [];
  private offsetMs = 0;
  // Emulator order ids start high: an ERR_MSG carrying one must not hit a client's request id.
  private nextOrderId = 1_000_001;
  private nextPermId = 1_700_000_000;
  private execSeq = 0;
  private closed = false;

  constructor(private readonly options: SimulationOptions) {
    if (options.accounts.length === 0) throw new InputError('at least one account is required');
    this.random = new Random(options.seed);
    const positions = options.positions ?? 0;
    this.market = new Market(this.random, options.volatility, universeOf(positions));
    this.accounts = options.accounts.map((id) => new Account(id, options.startingCash));
    for (const account of this.accounts)
      for (const inst of this.market.all().slice(0, positions)) account.seedHolding(inst.contract.symbol, 10, inst.last);
    this.strategy = new Strategy(this.random, {
      tradeIntervalSeconds: options.tradeIntervalSeconds,
      tickIntervalMs: options.tickIntervalMs,
      startingCash: options.startingCash,
    });
  }

  /** Emulated time: the clock plus any day jumps. */
  now(): number {
    return this.options.clock.now() + this.offsetMs;
  }

  get timeZone(): string {
    return this.options.timeZone;
  }

  today(): string {
    return dayKey(this.now(), this.options.timeZone);
  }

  on(listener: (e: SimEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  account(id: string): Account {
    const a = this.accounts.find((x) => x.id === id);
    if (!a)
      throw new InputError(`unknown account ${JSON.stringify(id)}; the emulator manages ${this.accounts.map((x) => x.id).join(', ')}`);
    return a;
  }

  /** One simulation step: prices move, then the strategy may place an order. */
  tick(): void {
    if (this.closed) return;
    this.market.step();
    const order = this.strategy.step(this.accounts, this.market);
    if (order) void this.submit({ ...order, source: 'strategy', reportLatency: true }).catch(() => undefined);
    this.emit({ type: 'tick' });
  }

  /** Orders still working (acknowledged, not filled). */
  openOrders(): SimOrder[] {
    return [...this.orders.values()].filter((o) => o.status === 'PreSubmitted' || o.status === 'Submitted');
  }

  /** Today's executions, oldest first. */
  executionsToday(): ExecutionRecord[] {
    const today = this.today();
    return this.executions.filter((e) => e.day === today);
  }

  executionCount(): number {
    return this.executions.length;
  }

  /**
   * Places one of the emulator's own orders: acknowledged after ackLatencyMs, filled at
   * the given price after fillLatencyMs. Resolves with the fill.
   */
  submit(req: OrderRequest): Promise<ExecutionRecord> {
    const order = this.newOrder(req);
    return new Promise((resolve, reject) => {
      this.later(req.ackLatencyMs, () => {
        order.status = 'Submitted';
        this.emit({ type: 'order', order });
        this.emit({
          type: 'latency',
          account: order.account,
          stage: 'ack',
          latencyMs: req.ackLatencyMs,
          source: req.source,
          report: req.reportLatency,
        });
      });
      this.later(req.fillLatencyMs, () => {
        try {
          const execution = this.fill(order);
          this.emit({
            type: 'latency',
            account: order.account,
            stage: 'fill',
            latencyMs: req.fillLatencyMs,
            source: req.source,
            report: req.reportLatency,
          });
          resolve(execution);
        } catch (error) {
          reject(error);
        }
      });
      if (this.closed) reject(new Error('emulator closed'));
    });
  }

  /** An order the venue rejects at once (TWS error 201). */
  reject(req: Omit<OrderRequest, 'ackLatencyMs' | 'fillLatencyMs' | 'reportLatency'>, reason: string): SimOrder {
    const order = this.newOrder({ ...req, ackLatencyMs: 0, fillLatencyMs: 0, reportLatency: false });
    order.status = 'Inactive';
    this.orders.delete(order.orderId);
    this.emit({ type: 'reject', order, code: 201, message: `Order rejected - reason:${reason}` });
    return order;
  }

  /** Moves a symbol's price (tests use it to create gains, losses and drawdowns). */
  setPrice(symbol: string, price: number): void {
    if (!(Number.isFinite(price) && price > 0)) throw new InputError(`price must be a positive number, got ${price}`);
    this.market.setLast(this.requireSymbol(symbol), price);
    this.emit({ type: 'tick' });
  }

  /** Jumps to the same wall time on the next weekday: daily P&L and realized today restart at 0. */
  nextTradingDay(): string {
    this.offsetMs += msToNextTradingDay(this.now(), this.options.timeZone);
    this.market.rollDay();
    for (const a of this.accounts) a.rollDay(this.market);
    this.emit({ type: 'day' });
    return this.today();
  }

  /** Stops every pending timer; pending orders never fill. */
  close(): void {
    this.closed = true;
    for (const t of this.timers) this.options.clock.clearTimeout(t);
    this.timers.clear();
  }

  private requireSymbol(symbol: string): string {
    try {
      return this.market.require(symbol).contract.symbol;
    } catch (error) {
      throw new InputError((error as Error).message);
    }
  }

  private newOrder(req: OrderRequest): SimOrder {
    this.account(req.account);
    const symbol = this.requireSymbol(req.symbol);
    if (req.side !== 'BUY' && req.side !== 'SELL') throw new InputError(`side must be "BUY" or "SELL", got ${JSON.stringify(req.side)}`);
    if (!(Number.isFinite(req.quantity) && req.quantity > 0))
      throw new InputError(`quantity must be a positive number, got ${req.quantity}`);
    if (!(Number.isFinite(req.price) && req.price > 0)) throw new InputError(`price must be a positive number, got ${req.price}`);
    for (const [k, v] of [
      ['ackLatencyMs', req.ackLatencyMs],
      ['fillLatencyMs', req.fillLatencyMs],
    ] as const) {
      if (!(Number.isFinite(v) && v >= 0 && v <= MAX_LATENCY_MS))
        throw new InputError(`${k} must be between 0 and ${MAX_LATENCY_MS}, got ${v}`);
    }
    if (req.fillLatencyMs < req.ackLatencyMs) throw new InputError('fillLatencyMs must not be below ackLatencyMs');
    const inst = this.market.require(symbol);
    const order: SimOrder = {
      orderId: this.nextOrderId++,
      clientId: EMULATOR_CLIENT_ID,
      permId: this.nextPermId++,
      account: req.account,
      action: req.side,
      totalQuantity: req.quantity,
      orderType: 'LMT',
      lmtPrice: req.price,
      tif: 'DAY',
      orderRef: req.orderRef,
      status: 'PreSubmitted',
      filled: 0,
      remaining: req.quantity,
      avgFillPrice: 0,
      lastFillPrice: 0,
      symbol,
      contract: inst.contract,
      source: req.source,
      submittedAtMs: this.now(),
      ackLatencyMs: req.ackLatencyMs,
      fillLatencyMs: req.fillLatencyMs,
    };
    this.orders.set(order.orderId, order);
    return order;
  }

  private fill(order: SimOrder): ExecutionRecord {
    const account = this.account(order.account);
    const price = order.lmtPrice ?? this.market.require(order.symbol).last;
    const commission = commissionFor(order.totalQuantity, price);
    const outcome = account.applyFill(order.symbol, order.action, order.totalQuantity, price, commission);
    const timeMs = this.now();
    const day = dayKey(timeMs, this.options.timeZone);
    const seq = ++this.execSeq;
    const execution: ExecutionRecord = {
      fields: {
        orderId: order.orderId,
        execId: `${(0xe000 + seq).toString(16).padStart(8, '0')}.${Number(day).toString(16).padStart(8, '0')}.01.01`,
        time: executionTimeText(timeMs, this.options.timeZone),
        account: order.account,
        exchange: order.contract.primaryExch === 'ARCA' ? 'ARCA' : 'ISLAND',
        side: order.action === 'BUY' ? 'BOT' : 'SLD',
        shares: order.totalQuantity,
        price,
        permId: order.permId,
        clientId: order.clientId,
        cumQty: order.totalQuantity,
        avgPrice: price,
        orderRef: order.orderRef,
      },
      contract: order.contract,
      symbol: order.symbol,
      commission,
      currency: account.currency,
      realizedPnl: outcome.realizedPnl,
      timeMs,
      day,
    };
    this.executions.push(execution);
    order.status = 'Filled';
    order.filled = order.totalQuantity;
    order.remaining = 0;
    order.avgFillPrice = price;
    order.lastFillPrice = price;
    this.orders.delete(order.orderId);
    this.emit({ type: 'execution', order, execution });
    return execution;
  }

  private later(ms: number, fn: () => void): void {
    if (this.closed) return;
    const handle = this.options.clock.setTimeout(() => {
      this.timers.delete(handle);
      if (!this.closed) fn();
    }, ms);
    this.timers.add(handle);
  }

  private emit(e: SimEvent): void {
    for (const l of this.listeners) l(e);
  }
}
