/** bench/latency.ts part 2, the breaches: one account each, one slow order, a realized loss past the limit, or equity 10 % under start of day. */
import type { RunningExporter } from '@traderadmin/exporter';
import { sleep } from '@traderadmin/test-support';
import { QUICK } from './quick.js';

export type Kind = 'latency' | 'pnl' | 'drawdown';
export const ALERT: Record<Kind, string> = {
  latency: 'OrderLatencyHigh',
  pnl: 'DailyRealizedPnlBelowLimit',
  drawdown: 'DrawdownTodayExceeded',
};
export const PER_KIND = QUICK ? 1 : 8;
/** 1.37 s between breaches, so their phase against the 1 s scrape and evaluation cycle spreads over it. */
export const GAP_MS = 1370;

export interface Breach {
  kind: Kind;
  account: string;
  /** When it breached (ms since the epoch). */
  at: number;
  /** When a drawdown account got its start-of-day equity back. */
  recovered?: number;
}

/** PER_KIND breaches of each kind, taking turns, each on an account of its own. */
export function planBreaches(): Breach[] {
  return Array.from({ length: 3 * PER_KIND }, (_, i) => ({
    kind: (['latency', 'pnl', 'drawdown'] as const)[i % 3],
    account: `DU80000${String(i + 10).padStart(2, '0')}`,
    at: NaN,
  }));
}

/** Start-of-day equity for every breach account, before anything breaches. */
export function openAccounts(exporter: RunningExporter, breaches: readonly Breach[]): void {
  for (const b of breaches) exporter.sink.accountValue(b.account, 'NetLiquidation', 100_000, 'USD');
}

/** Calls `act` on each item GAP_MS apart, from now. */
export async function spaced<T>(items: readonly T[], act: (item: T) => Promise<void> | void): Promise<void> {
  const t0 = Date.now();
  for (const [k, item] of items.entries()) {
    const wait = t0 + k * GAP_MS - Date.now();
    if (wait > 0) await sleep(wait);
    await act(item);
  }
}

/** The order round trip through the events API (as a trading service reports it); fills and equity through the gateway sink. */
export async function breach(exporter: RunningExporter, b: Breach): Promise<void> {
  const { account } = b;
  b.at = Date.now();
  if (b.kind === 'latency') {
    const res = await fetch(`${exporter.url}/api/v1/events`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ type: 'order_latency', account, stage: 'fill', latency_ms: 1500 }),
    });
    if (!res.ok) throw new Error(`events API answered ${res.status}`);
  } else if (b.kind === 'pnl') {
    const fill = { account, key: '424242', symbol: 'XYZ', secType: 'STK', currency: 'USD', quantity: 100, time: Date.now() };
    exporter.sink.fills(
      [
        { ...fill, execId: `${account}.1`, side: 'BUY', price: 10 },
        { ...fill, execId: `${account}.2`, side: 'SELL', price: 4 },
      ],
      true,
    );
  } else exporter.sink.accountValue(account, 'NetLiquidation', 90_000, 'USD');
}

/** A drawdown account back to its start-of-day equity: the alert resolves. */
export function recover(exporter: RunningExporter, b: Breach): void {
  b.recovered = Date.now();
  exporter.sink.accountValue(b.account, 'NetLiquidation', 100_000, 'USD');
}
