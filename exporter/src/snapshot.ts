/**
 * GET /api/v1/metrics: the design's `AllMetrics` (shared/seeds, "5.1 Define Key Metrics"),
 * one entry per account, as JSON. Times are RFC 3339 strings; money is in `currency`.
 */
import type { LatencyWindows, Stage } from './accounting/latency.js';
import { AccountBook, viewOf, type Ledger, type PositionView } from './accounting/ledger.js';

export interface PortfolioMetrics {
  timestamp: string;
  equity: number | null;
  realizedPnlToday: number;
  unrealizedPnl: number;
  dailyPnl: number;
  openPositionsCount: number;
  buyingPower: number | null;
  currency: string | null;
}

export interface TradeStatsToday {
  /** Fills (executions) today, buys and sells: what the gateway's execution list shows. */
  executionsCount: number;
  /** Round trips closed today (win + loss + breakeven). */
  closedTradesCount: number;
  /** @deprecated the same as closedTradesCount (it never counted executions); kept for existing readers. */
  executedCount: number;
  winCount: number;
  lossCount: number;
  breakevenCount: number;
  /** winCount / closedTradesCount; 0 when nothing closed yet. */
  winRate: number;
  /** Mean P&L of today's winning round trips; 0 when none. */
  avgWin: number;
  /** Mean P&L of today's losing round trips (negative); 0 when none. */
  avgLoss: number;
}

export interface SystemHealthMetrics {
  /** Mean order round trip (fill stage, else ack) in the latency window; null when none. */
  avgOrderLatencyMs: number | null;
  /** Largest order round trip (any stage) in the latency window; 0 when none. */
  maxOrderLatencyMs: number;
  /** API errors since the trading day start, all components, IB notices (class warning) excluded. */
  apiErrorCount: number;
  /** Last data sync from any source; null before the first. */
  lastDataSync: string | null;
  brokerConnected: boolean;
}

export interface PositionSnapshot extends Omit<PositionView, 'currency'> {
  currency: string;
}

export interface AccountMetrics {
  portfolio: PortfolioMetrics;
  trades: TradeStatsToday;
  system: SystemHealthMetrics;
  positions: PositionSnapshot[];
}

export interface AllMetrics {
  timestamp: string;
  /** Start of the current trading day (trading.day_start in trading.timezone). */
  tradingDayStart: string;
  accounts: Record<string, AccountMetrics>;
}

export interface SnapshotSources {
  now: number;
  ledger: Ledger;
  latency: LatencyWindows;
  apiErrorsToday: number;
  lastDataSync: number | undefined;
  brokerConnected: boolean;
}

const round = (n: number) => Math.round(n * 1e6) / 1e6;
const iso = (ms: number) => new Date(ms).toISOString();

export function buildSnapshot(s: SnapshotSources): AllMetrics {
  const day = s.ledger.day();
  const accounts: Record<string, AccountMetrics> = {};
  const ids = new Set([...s.ledger.accounts(), ...s.latency.keys().map((k) => k.account)]);
  for (const account of [...ids].sort()) {
    // An account known only from latency events gets an empty book, not one in the ledger.
    const b = s.ledger.has(account) ? s.ledger.book(account) : new AccountBook(account, day);
    const t = b.today;
    const executed = t.trades.win + t.trades.loss + t.trades.breakeven;
    const windowOf = (stage: Stage) => s.latency.get(account, stage);
    const mean = windowOf('fill')?.mean(s.now) ?? windowOf('ack')?.mean(s.now);
    const max = Math.max(windowOf('fill')?.max(s.now) ?? 0, windowOf('ack')?.max(s.now) ?? 0);
    accounts[account] = {
      portfolio: {
        timestamp: iso(s.now),
        equity: b.equity ?? null,
        realizedPnlToday: round(b.realizedPnlToday()),
        unrealizedPnl: round(b.unrealizedPnl()),
        dailyPnl: round(b.dailyPnl()),
        openPositionsCount: b.openPositions(),
        buyingPower: b.buyingPower ?? null,
        currency: b.currency ?? null,
      },
      trades: {
        executionsCount: t.executions.buy + t.executions.sell,
        closedTradesCount: executed,
        executedCount: executed,
        winCount: t.trades.win,
        lossCount: t.trades.loss,
        breakevenCount: t.trades.breakeven,
        winRate: executed ? round(t.trades.win / executed) : 0,
        avgWin: t.trades.win ? round(t.pnl.win / t.trades.win) : 0,
        avgLoss: t.trades.loss ? round(t.pnl.loss / t.trades.loss) : 0,
      },
      system: {
        avgOrderLatencyMs: mean === undefined ? null : round(mean * 1000),
        maxOrderLatencyMs: round(max * 1000),
        apiErrorCount: s.apiErrorsToday,
        lastDataSync: s.lastDataSync === undefined ? null : iso(s.lastDataSync),
        brokerConnected: s.brokerConnected,
      },
      positions: [...b.positions.values()]
        .map(viewOf)
        .sort((x, y) => x.symbol.localeCompare(y.symbol))
        .map((v) => ({ ...v, marketValue: round(v.marketValue), unrealizedPnl: round(v.unrealizedPnl) })),
    };
  }
  return { timestamp: iso(s.now), tradingDayStart: iso(day.start), accounts };
}
