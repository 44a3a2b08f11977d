/**
 * The exporter's own book of each account: positions, fills, round trips and P&L.
 *
 * Why our own: IBApiNext's position lists lose entries after a position closes
 * (`accountPositions.splice(idx)` without a delete count, tws-protocol.md §6), and the
 * gateway's realized P&L resets on IB's schedule, not at `trading.day_start`.
 *
 * Two views are kept per position:
 * - the gateway view (quantity, average cost, market price, value, unrealized P&L) from
 *   position and portfolio updates, which is what /metrics shows;
 * - the lot (signed quantity and average price from fills, average-cost method), which
 *   turns fills into realized P&L and closed round trips.
 *
 * One cohesive thing, kept in one file (about 470 lines): every method of Ledger and AccountBook
 * moves the same per-account state (gateway view, lots, day statistics) and keeps them consistent
 * with each other; the trading-day maths it needs is the kit's DayClock.
 */
import { DayClock, type Clock, type TradingDay } from '@traderadmin/kit';

export type Side = 'BUY' | 'SELL';
export type Outcome = 'win' | 'loss' | 'breakeven';
export const OUTCOMES: readonly Outcome[] = ['win', 'loss', 'breakeven'];

/** One execution, as reported by the gateway. */
export interface Fill {
  execId: string;
  account: string;
  /** Stable instrument key: the conId, or symbol/secType/currency when there is none. */
  key: string;
  symbol: string;
  secType: string;
  currency: string;
  side: Side;
  /** Always positive; `side` gives the sign. */
  quantity: number;
  price: number;
  /** Contract multiplier (100 for US equity options); 1 when absent. @default 1 */
  multiplier?: number;
  /** Execution time, epoch ms. */
  time: number;
}

/** What the gateway says about one position. */
export interface PositionUpdate {
  account: string;
  key: string;
  symbol: string;
  secType: string;
  currency: string;
  quantity: number;
  /** Average cost per unit, as IB reports it (price × multiplier for derivatives). */
  avgCost?: number;
  marketPrice?: number;
  marketValue?: number;
  unrealizedPnl?: number;
  multiplier?: number;
}

/** A position as exported. */
export interface PositionView {
  symbol: string;
  secType: string;
  currency: string;
  quantity: number;
  /** Average entry price per unit (IB's avgCost divided by the multiplier). */
  avgCost: number;
  marketPrice: number;
  marketValue: number;
  unrealizedPnl: number;
}

interface Lot {
  qty: number;
  avg: number;
  multiplier: number;
  /** Realized P&L of the round trip that is open on this instrument. */
  tripPnl: number;
}

interface DayStats {
  day: TradingDay;
  realizedGross: number;
  commissions: number;
  executions: Record<'buy' | 'sell', number>;
  trades: Record<Outcome, number>;
  pnl: Record<Outcome, number>;
}

/** The account-level numbers of one account. */
export class AccountBook {
  currency: string | undefined;
  equity: number | undefined;
  cash: number | undefined;
  buyingPower: number | undefined;
  equityStartOfDay: number | undefined;
  /** Where equityStartOfDay comes from: the day boundary seen live, the first value seen after it, or the gateway's daily P&L. */
  startOfDaySource: 'boundary' | 'first-seen' | 'gateway' | undefined;
  equityHighWater: number | undefined;
  readonly positions = new Map<string, PositionUpdate>();
  /** Instruments that were open at the day start (carried over, or seeded by a rebuild). */
  readonly carried = new Set<string>();
  /** Unrealized P&L of carried positions at the day start (or when first priced after a restart). */
  readonly baselines = new Map<string, number>();
  /** Baselines of carried positions closed today: their P&L before today is not today's. */
  closedBaseline = 0;
  readonly lots = new Map<string, Lot>();
  today: DayStats;

  constructor(
    readonly account: string,
    day: TradingDay,
  ) {
    this.today = emptyDay(day);
  }

  /** Sum of the positions' unrealized P&L. */
  unrealizedPnl(): number {
    let sum = 0;
    for (const p of this.positions.values()) sum += viewOf(p).unrealizedPnl;
    return sum;
  }

  /** Realized P&L since day start, net of the commissions IB reported for today's fills. */
  realizedPnlToday(): number {
    return this.today.realizedGross - this.today.commissions;
  }

  /**
   * Realized today plus the change of unrealized P&L since day start: each open position
   * counts from its day-start baseline (0 when opened today), and a carried position closed
   * today gives back its baseline (its realized P&L includes yesterday's part).
   */
  dailyPnl(): number {
    let change = 0;
    for (const [key, p] of this.positions) change += viewOf(p).unrealizedPnl - (this.baselines.get(key) ?? 0);
    return this.realizedPnlToday() + change - this.closedBaseline;
  }

  /** Records the baseline of a carried position the first time it has a price. */
  noteBaseline(key: string, p: PositionUpdate): void {
    if (!this.carried.has(key) || this.baselines.has(key)) return;
    if (p.unrealizedPnl === undefined && p.marketPrice === undefined) return;
    this.baselines.set(key, viewOf(p).unrealizedPnl);
  }

  /** A position left the book: keep its baseline out of today's P&L. */
  dropBaseline(key: string): void {
    const b = this.baselines.get(key);
    if (b !== undefined) this.closedBaseline += b;
    this.baselines.delete(key);
  }

  openPositions(): number {
    let n = 0;
    for (const p of this.positions.values()) if (p.quantity !== 0) n++;
    return n;
  }
}

function emptyDay(day: TradingDay): DayStats {
  return {
    day,
    realizedGross: 0,
    commissions: 0,
    executions: { buy: 0, sell: 0 },
    trades: { win: 0, loss: 0, breakeven: 0 },
    pnl: { win: 0, loss: 0, breakeven: 0 },
  };
}

/** The exported view of a gateway position. */
export function viewOf(p: PositionUpdate): PositionView {
  const mult = p.multiplier && p.multiplier > 0 ? p.multiplier : 1;
  const avgCost = p.avgCost !== undefined ? p.avgCost / mult : 0;
  const marketPrice = p.marketPrice ?? 0;
  const marketValue = p.marketValue ?? (p.marketPrice !== undefined ? p.marketPrice * p.quantity * mult : 0);
  const unrealizedPnl =
    p.unrealizedPnl ?? (p.marketPrice !== undefined && p.avgCost !== undefined ? (p.marketPrice - avgCost) * p.quantity * mult : 0);
  return {
    symbol: p.symbol,
    secType: p.secType,
    currency: p.currency,
    quantity: p.quantity,
    avgCost,
    marketPrice,
    marketValue,
    unrealizedPnl,
  };
}

/** Hooks for counters that only live fills move (a rebuild after a restart must not count twice). */
export interface LedgerHooks {
  onExecution?(account: string, side: 'buy' | 'sell'): void;
  onTradeClosed?(account: string, outcome: Outcome, pnl: number): void;
}

export interface LedgerOptions {
  clock: Clock;
  timeZone: string;
  /** "HH:MM", `trading.day_start`. */
  dayStart: string;
  /** |P&L| at or below this is a breakeven trade (`exporter.breakeven_tolerance`). */
  breakevenTolerance: number;
  hooks?: LedgerHooks;
}

/** What a fill did, so that its commission (reported later, separately) lands where IB puts it. */
interface SeenFill {
  account: string;
  key: string;
  time: number;
  quantity: number;
  /** Part of the quantity that reduced a position (the rest opened one). */
  closedQty: number;
  /** Outcome of the round trip this fill closed, if it closed one. */
  closedOutcome?: Outcome;
  commission?: number;
}

/** How long execution ids are remembered for de-duplication. */
const SEEN_RETENTION_MS = 4 * 86_400_000;

/** All accounts' books, day boundaries and execution de-duplication. */
export class Ledger {
  readonly dayClock: DayClock;
  private readonly books = new Map<string, AccountBook>();
  /** execId → what the fill did; reconciliation after a reconnect replays known fills. */
  private readonly seen = new Map<string, SeenFill>();
  private readonly pendingCommission = new Map<string, number>();
  private currentDay: TradingDay;

  constructor(private readonly options: LedgerOptions) {
    this.dayClock = new DayClock(options.timeZone, options.dayStart);
    this.currentDay = this.dayClock.at(options.clock.now());
  }

  /** The trading day now (rolling the books over first when it changed). */
  day(): TradingDay {
    this.roll();
    return this.currentDay;
  }

  /** Starts a new day when the clock has crossed the day start. Cheap; call it freely. */
  roll(): void {
    const day = this.dayClock.at(this.options.clock.now());
    if (day.start === this.currentDay.start) return;
    this.currentDay = day;
    for (const book of this.books.values()) {
      book.today = emptyDay(day);
      // The values at the boundary are the day's starting values.
      book.equityStartOfDay = book.equity;
      book.startOfDaySource = book.equity === undefined ? undefined : 'boundary';
      book.equityHighWater = book.equity;
      book.carried.clear();
      book.baselines.clear();
      book.closedBaseline = 0;
      for (const [key, p] of book.positions) {
        book.carried.add(key);
        book.baselines.set(key, viewOf(p).unrealizedPnl);
      }
    }
    const horizon = day.start - SEEN_RETENTION_MS;
    for (const [id, s] of this.seen) if (s.time < horizon) this.seen.delete(id);
  }

  accounts(): string[] {
    return [...this.books.keys()].sort();
  }

  has(account: string): boolean {
    return this.books.has(account);
  }

  /** The book of an account, created on first use. */
  book(account: string): AccountBook {
    this.roll();
    let b = this.books.get(account);
    if (!b) {
      b = new AccountBook(account, this.currentDay);
      this.books.set(account, b);
    }
    return b;
  }

  /** An account value (tags NetLiquidation, TotalCashValue, BuyingPower; others ignored). */
  setAccountValue(account: string, tag: string, value: number, currency: string): void {
    if (!Number.isFinite(value) || currency === 'BASE') return;
    const b = this.book(account);
    switch (tag) {
      case 'NetLiquidation':
        b.currency ??= currency;
        b.equity = value;
        // First value of the day (the exporter started after day start): the start, until the
        // gateway's daily P&L says better.
        if (b.equityStartOfDay === undefined) {
          b.equityStartOfDay = value;
          b.startOfDaySource = 'first-seen';
        }
        b.equityHighWater = Math.max(b.equityHighWater ?? value, value);
        break;
      case 'TotalCashValue':
        b.cash = value;
        break;
      case 'BuyingPower':
        b.buyingPower = value;
        break;
    }
  }

  /**
   * IB's daily P&L of an account (reqPnL): equity minus it is the gateway's own start-of-day
   * equity. Used when the exporter did not see the day start itself; a start seen live stays.
   */
  setGatewayDailyPnl(account: string, dailyPnl: number): void {
    if (!Number.isFinite(dailyPnl)) return;
    const b = this.book(account);
    if (b.equity === undefined || b.startOfDaySource === 'boundary') return;
    b.equityStartOfDay = b.equity - dailyPnl;
    b.startOfDaySource = 'gateway';
  }

  /** Sets (or, with quantity 0, removes) a gateway position. Undefined fields keep their value. */
  updatePosition(u: PositionUpdate): void {
    const b = this.book(u.account);
    if (u.quantity === 0) {
      if (b.positions.delete(u.key)) b.dropBaseline(u.key);
      return;
    }
    const prev = b.positions.get(u.key);
    const merged = { ...prev, ...stripUndefined(u) } as PositionUpdate;
    // A size change makes an old unrealized figure stale: recompute until the gateway sends one.
    if (prev && prev.quantity !== u.quantity && u.unrealizedPnl === undefined) delete merged.unrealizedPnl;
    if (prev && prev.quantity !== u.quantity && u.marketValue === undefined) delete merged.marketValue;
    b.positions.set(u.key, merged);
    b.noteBaseline(u.key, merged);
  }

  /** Replaces every gateway position of an account (a fresh snapshot after (re)connecting). */
  replacePositions(account: string, updates: PositionUpdate[]): void {
    const b = this.book(account);
    const old = new Map(b.positions);
    b.positions.clear();
    for (const u of updates) {
      if (u.quantity === 0) continue;
      const merged = { ...old.get(u.key), ...stripUndefined(u) } as PositionUpdate;
      b.positions.set(u.key, merged);
      b.noteBaseline(u.key, merged);
    }
    for (const key of old.keys()) if (!b.positions.has(key)) b.dropBaseline(key);
  }

  /** Seeds the lot of an instrument (its position before the fills that will be replayed). */
  seedLot(account: string, key: string, qty: number, avgPrice: number, multiplier = 1): void {
    const b = this.book(account);
    if (qty === 0) {
      b.lots.delete(key);
      return;
    }
    b.lots.set(key, { qty, avg: avgPrice, multiplier, tripPnl: 0 });
    b.carried.add(key);
    const p = b.positions.get(key);
    if (p) b.noteBaseline(key, p);
  }

  /** True when this execution id was already applied. */
  knows(execId: string): boolean {
    return this.seen.has(execId);
  }

  /**
   * Applies a fill once (de-duplicated by execId). `live: false` is for a rebuild of a day
   * already partly counted by a previous process: the day's statistics are rebuilt, the
   * `_total` counters are not moved. Returns false for a duplicate.
   */
  applyFill(fill: Fill, { live = true }: { live?: boolean } = {}): boolean {
    if (this.seen.has(fill.execId)) return false;
    if (!(fill.quantity > 0) || !Number.isFinite(fill.price)) return false;
    const record: SeenFill = { account: fill.account, key: fill.key, time: fill.time, quantity: fill.quantity, closedQty: 0 };
    this.seen.set(fill.execId, record);
    const b = this.book(fill.account);
    const today = fill.time >= this.currentDay.start;
    const side = fill.side === 'BUY' ? 'buy' : 'sell';
    if (today) b.today.executions[side]++;
    if (live) this.options.hooks?.onExecution?.(fill.account, side);

    const mult = fill.multiplier && fill.multiplier > 0 ? fill.multiplier : 1;
    const signed = fill.side === 'BUY' ? fill.quantity : -fill.quantity;
    const lot = b.lots.get(fill.key) ?? { qty: 0, avg: 0, multiplier: mult, tripPnl: 0 };
    if (lot.qty === 0 || Math.sign(lot.qty) === Math.sign(signed)) {
      // Opening or adding: average the entry price.
      const total = Math.abs(lot.qty) + fill.quantity;
      lot.avg = (lot.avg * Math.abs(lot.qty) + fill.price * fill.quantity) / total;
      if (lot.qty === 0) lot.tripPnl = 0;
      lot.qty = roundQty(lot.qty + signed);
    } else {
      // Reducing, closing or flipping.
      const closing = Math.min(Math.abs(lot.qty), fill.quantity);
      record.closedQty = closing;
      const realized = closing * (fill.price - lot.avg) * Math.sign(lot.qty) * mult;
      lot.tripPnl += realized;
      if (today) b.today.realizedGross += realized;
      const remaining = roundQty(lot.qty + signed);
      if (remaining === 0 || Math.sign(remaining) !== Math.sign(lot.qty)) {
        record.closedOutcome = this.closeTrip(b, lot.tripPnl, today, live);
        lot.tripPnl = 0;
        lot.avg = remaining === 0 ? 0 : fill.price;
      }
      lot.qty = remaining;
    }
    lot.multiplier = mult;
    if (lot.qty === 0) b.lots.delete(fill.key);
    else b.lots.set(fill.key, lot);

    const pending = this.pendingCommission.get(fill.execId);
    if (pending !== undefined) {
      this.pendingCommission.delete(fill.execId);
      this.applyCommission(fill.execId, pending);
    }
    return true;
  }

  /**
   * Adds the commission IB reported for an execution (once per execId), as IB does: the
   * part for quantity that opened a position goes into its cost basis; the part for quantity
   * that closed one is subtracted from realized P&L (and from the closed round trip's P&L).
   */
  applyCommission(execId: string, commission: number): void {
    if (!Number.isFinite(commission)) return;
    const s = this.seen.get(execId);
    if (!s) {
      // The commission report can come before its execution is applied (a rebuild in progress).
      if (this.pendingCommission.size < 10_000) this.pendingCommission.set(execId, commission);
      return;
    }
    if (s.commission !== undefined) return;
    s.commission = commission;
    const b = this.book(s.account);
    const today = s.time >= this.currentDay.start;
    const closing = (commission * s.closedQty) / s.quantity;
    let opening = commission - closing;
    const lot = b.lots.get(s.key);
    if (opening !== 0 && lot && lot.qty !== 0) {
      lot.avg += (opening / (Math.abs(lot.qty) * lot.multiplier)) * Math.sign(lot.qty);
      opening = 0;
    }
    // What is not in a cost basis (a closing fill, or a lot already closed) is realized now.
    const realized = closing + opening;
    if (!today || realized === 0) return;
    b.today.commissions += realized;
    if (s.closedOutcome) b.today.pnl[s.closedOutcome] -= realized;
    else if (lot) lot.tripPnl -= realized;
  }

  private closeTrip(b: AccountBook, pnl: number, today: boolean, live: boolean): Outcome {
    const outcome: Outcome = Math.abs(pnl) <= this.options.breakevenTolerance ? 'breakeven' : pnl > 0 ? 'win' : 'loss';
    if (today) {
      b.today.trades[outcome]++;
      b.today.pnl[outcome] += pnl;
    }
    if (live) this.options.hooks?.onTradeClosed?.(b.account, outcome, pnl);
    return outcome;
  }
}

/** Fractional positions (e.g. -5.5) are allowed; this removes float dust after arithmetic. */
function roundQty(q: number): number {
  return Math.round(q * 1e8) / 1e8;
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  const out: Partial<T> = {};
  for (const [k, v] of Object.entries(o)) if (v !== undefined) (out as Record<string, unknown>)[k] = v;
  return out;
}
