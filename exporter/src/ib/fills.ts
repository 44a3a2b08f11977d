/** Turning @stoqey/ib executions and positions into the ledger's plain records. */
import type { Contract, Execution, Position } from '@stoqey/ib';
import { zonedToEpoch } from '@traderadmin/kit';
import type { Fill, PositionUpdate } from '../accounting/ledger.js';

/** The instrument key: IB's conId, or symbol/secType/currency when a message has none. */
export function instrumentKey(c: Contract): string {
  return c.conId ? String(c.conId) : `${c.symbol ?? '?'}|${c.secType ?? '?'}|${c.currency ?? '?'}`;
}

function multiplierOf(c: Contract): number {
  const m = Number(c.multiplier);
  return Number.isFinite(m) && m > 0 ? m : 1;
}

function isZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

/**
 * Parses an execution time. TWS sends "yyyymmdd hh:mm:ss" (in the TWS login time zone,
 * taken as `defaultTimeZone`), optionally followed by a zone name ("US/Eastern"), or
 * "yyyymmdd-hh:mm:ss" in UTC. Returns undefined when it cannot tell.
 */
export function parseIbTime(text: string | undefined, defaultTimeZone: string): number | undefined {
  if (!text) return undefined;
  const m = /^(\d{4})(\d{2})(\d{2})(-|\s+)(\d{2}):(\d{2}):(\d{2})(?:\s+(\S+))?\s*$/.exec(text.trim());
  if (!m) {
    const n = Number(text);
    // Some gateways send epoch seconds.
    return Number.isFinite(n) && n > 1e9 ? n * 1000 : undefined;
  }
  const [y, mo, d, sep, h, mi, s] = [+m[1], +m[2], +m[3], m[4], +m[5], +m[6], +m[7]];
  if (sep === '-') return Date.UTC(y, mo - 1, d, h, mi, s);
  const tz = m[8] && isZone(m[8]) ? m[8] : defaultTimeZone;
  return zonedToEpoch(y, mo, d, h, mi, tz) + s * 1000;
}

/** IB's execution filter time: "yyyymmdd-hh:mm:ss" in UTC. */
export function ibFilterTime(epochMs: number): string {
  const iso = new Date(epochMs).toISOString();
  return `${iso.slice(0, 4)}${iso.slice(5, 7)}${iso.slice(8, 10)}-${iso.slice(11, 19)}`;
}

/** A ledger fill from an execution, or undefined when it lacks what P&L needs. */
export function fillFrom(contract: Contract, execution: Execution, defaultTimeZone: string, now: number): Fill | undefined {
  const side =
    execution.side === 'BOT' || execution.side === 'BUY'
      ? 'BUY'
      : execution.side === 'SLD' || execution.side === 'SELL'
        ? 'SELL'
        : undefined;
  if (!execution.execId || !execution.acctNumber || !side) return undefined;
  const quantity = Number(execution.shares);
  const price = Number(execution.price);
  if (!(quantity > 0) || !Number.isFinite(price)) return undefined;
  return {
    execId: execution.execId,
    account: execution.acctNumber,
    key: instrumentKey(contract),
    symbol: contract.localSymbol || contract.symbol || '?',
    secType: String(contract.secType ?? ''),
    currency: contract.currency ?? '',
    side,
    quantity,
    price,
    multiplier: multiplierOf(contract),
    time: parseIbTime(execution.time, defaultTimeZone) ?? now,
  };
}

/** A ledger position update from an IBApiNext position (reqPositions or portfolio). */
export function positionFrom(p: Position): PositionUpdate {
  const c = p.contract;
  return {
    account: p.account,
    key: instrumentKey(c),
    symbol: c.localSymbol || c.symbol || '?',
    secType: String(c.secType ?? ''),
    currency: c.currency ?? '',
    quantity: Number(p.pos) || 0,
    avgCost: finite(p.avgCost),
    marketPrice: finite(p.marketPrice),
    marketValue: finite(p.marketValue),
    unrealizedPnl: finite(p.unrealizedPNL),
    multiplier: multiplierOf(c),
  };
}

function finite(v: number | undefined): number | undefined {
  return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
}
