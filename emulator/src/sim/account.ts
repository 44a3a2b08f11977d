/**
 * A simulated paper account: cash, positions with IB-style average cost (commissions
 * included), realized P&L net of commissions, and day-start marks for daily P&L.
 */
import type { Market } from './market.js';

export type Side = 'BUY' | 'SELL';

/** One symbol's book in an account; kept after it goes flat so today's P&L stays visible. */
export interface Holding {
  symbol: string;
  /** Signed quantity (negative = short). */
  quantity: number;
  /** Average cost per share including commissions, as TWS reports it. */
  avgCost: number;
  /** Realized P&L today on this symbol, net of commissions. */
  realizedToday: number;
  /** Market value at the start of the day. */
  dayStartValue: number;
  /** Cash in (sells) minus cash out (buys and commissions) today on this symbol. */
  cashFlowToday: number;
}

/** The result of applying one fill. */
export interface FillOutcome {
  /** Realized P&L of the closing part, net of commission; undefined for a pure opening fill. */
  realizedPnl: number | undefined;
  holding: Holding;
}

/** Every figure the gateway reports about an account. */
export interface AccountValuation {
  netLiquidation: number;
  totalCashValue: number;
  grossPositionValue: number;
  unrealizedPnl: number;
  realizedPnlToday: number;
  dailyPnl: number;
  initMarginReq: number;
  maintMarginReq: number;
  availableFunds: number;
  excessLiquidity: number;
  buyingPower: number;
  equityWithLoanValue: number;
  dayStartEquity: number;
  commissionsToday: number;
}

/** Reg T style margin: 25 % initial and maintenance on stock; 4x intraday buying power. */
const MARGIN_RATE = 0.25;
const BUYING_POWER_MULTIPLIER = 4;

const cents = (x: number) => Math.round(x * 100) / 100;

/** IBKR Pro fixed pricing for US stocks: $0.005/share, at least $1, at most 1 % of trade value. */
export function commissionFor(quantity: number, price: number): number {
  const raw = Math.max(1, 0.005 * quantity);
  return cents(Math.min(raw, 0.01 * quantity * price));
}

export class Account {
  readonly currency = 'USD';
  cash: number;
  dayStartEquity: number;
  realizedToday = 0;
  commissionsToday = 0;
  private readonly holdings = new Map<string, Holding>();

  constructor(
    readonly id: string,
    startingCash: number,
  ) {
    this.cash = startingCash;
    this.dayStartEquity = startingCash;
  }

  /** A position held since before today (no execution today), bought at `price`. */
  seedHolding(symbol: string, quantity: number, price: number): void {
    this.holdings.set(symbol, { symbol, quantity, avgCost: price, realizedToday: 0, dayStartValue: quantity * price, cashFlowToday: 0 });
  }

  /** Holdings with a non-zero quantity, in the order they were opened. */
  positions(): Holding[] {
    return [...this.holdings.values()].filter((h) => h.quantity !== 0);
  }

  /** Every holding touched today or held (including flat ones). */
  books(): Holding[] {
    return [...this.holdings.values()];
  }

  holding(symbol: string): Holding | undefined {
    return this.holdings.get(symbol);
  }

  /** Applies a fill at price with commission; returns realized P&L of any closing part. */
  applyFill(symbol: string, side: Side, quantity: number, price: number, commission: number): FillOutcome {
    if (!(quantity > 0)) throw new RangeError(`quantity must be > 0, got ${quantity}`);
    let h = this.holdings.get(symbol);
    if (!h) {
      h = { symbol, quantity: 0, avgCost: 0, realizedToday: 0, dayStartValue: 0, cashFlowToday: 0 };
      this.holdings.set(symbol, h);
    }
    const signed = side === 'BUY' ? quantity : -quantity;
    const perShareCommission = commission / quantity;
    const old = h.quantity;
    let realized: number | undefined;
    // The part that reduces an existing position in the opposite direction.
    const closing = old !== 0 && Math.sign(old) !== Math.sign(signed) ? Math.min(Math.abs(old), quantity) : 0;
    if (closing > 0) {
      const direction = Math.sign(old); // +1 closing a long, -1 closing a short
      realized = cents((price - h.avgCost) * closing * direction - perShareCommission * closing);
      h.realizedToday = cents(h.realizedToday + realized);
      this.realizedToday = cents(this.realizedToday + realized);
    }
    const opening = quantity - closing;
    const afterClose = old + Math.sign(signed) * closing;
    if (opening > 0) {
      const openSigned = Math.sign(signed) * opening;
      const costPerShare = signed > 0 ? price + perShareCommission : price - perShareCommission;
      // Same direction: weighted average; from flat (or after a flip): the new cost.
      h.avgCost = afterClose === 0 ? costPerShare : (afterClose * h.avgCost + openSigned * costPerShare) / (afterClose + openSigned);
      h.quantity = afterClose + openSigned;
    } else {
      h.quantity = afterClose;
      if (h.quantity === 0) h.avgCost = 0;
    }
    const flow = -signed * price - commission;
    h.cashFlowToday = cents(h.cashFlowToday + flow);
    this.cash = cents(this.cash + flow);
    this.commissionsToday = cents(this.commissionsToday + commission);
    return { realizedPnl: realized, holding: h };
  }

  /** Unrealized P&L of one holding at the current price. */
  unrealizedOf(h: Holding, market: Market): number {
    if (h.quantity === 0) return 0;
    return cents(h.quantity * (market.require(h.symbol).last - h.avgCost));
  }

  /** Daily P&L of one symbol: value change since day start plus today's cash flows. */
  dailyOf(h: Holding, market: Market): number {
    return cents(h.quantity * market.require(h.symbol).last - h.dayStartValue + h.cashFlowToday);
  }

  valuation(market: Market): AccountValuation {
    let gross = 0;
    let net = 0;
    let unrealized = 0;
    for (const h of this.holdings.values()) {
      if (h.quantity === 0) continue;
      const last = market.require(h.symbol).last;
      gross += Math.abs(h.quantity * last);
      net += h.quantity * last;
      unrealized += h.quantity * (last - h.avgCost);
    }
    const netLiquidation = cents(this.cash + net);
    const initMarginReq = cents(gross * MARGIN_RATE);
    const maintMarginReq = cents(gross * MARGIN_RATE);
    const availableFunds = cents(netLiquidation - initMarginReq);
    return {
      netLiquidation,
      totalCashValue: cents(this.cash),
      grossPositionValue: cents(gross),
      unrealizedPnl: cents(unrealized),
      realizedPnlToday: this.realizedToday,
      dailyPnl: cents(netLiquidation - this.dayStartEquity),
      initMarginReq,
      maintMarginReq,
      availableFunds,
      excessLiquidity: cents(netLiquidation - maintMarginReq),
      buyingPower: cents(Math.max(0, availableFunds) * BUYING_POWER_MULTIPLIER),
      equityWithLoanValue: netLiquidation,
      dayStartEquity: this.dayStartEquity,
      commissionsToday: this.commissionsToday,
    };
  }

  /** Starts a new trading day: marks become the new baseline, today's P&L restarts at 0. */
  rollDay(market: Market): void {
    for (const [symbol, h] of this.holdings) {
      if (h.quantity === 0) {
        this.holdings.delete(symbol);
        continue;
      }
      h.dayStartValue = h.quantity * market.require(symbol).last;
      h.cashFlowToday = 0;
      h.realizedToday = 0;
    }
    this.realizedToday = 0;
    this.commissionsToday = 0;
    this.dayStartEquity = this.valuation(market).netLiquidation;
  }
}
