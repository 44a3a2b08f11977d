/**
 * The daily summary: at `daily_summary_at` (HH:MM in trading.timezone) on each channel that
 * sets it, one message with each account's equity, the day's realized P&L, trades and win
 * rate, the worst drawdown of the day, and the alerts that fired today. Figures come from
 * the exporter's snapshot, the drawdown and the alerts from Prometheus (ALERTS over the day).
 * It goes through the outbox like any notification. The clock is injected; what was sent
 * is remembered on disk, so a restart does not send the day's summary twice.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { formatMoney, formatPercent, maskAccount } from '../format/values.js';
import type { Logger } from '@traderadmin/kit';
import type { StackReader } from '../stack.js';
import { wallTime, wallTimeOnDay } from '@traderadmin/kit';
import type { ChannelName, Notification } from '../types.js';

/** A summary is sent only within this long after its time (a bridge down all evening does not send it at midnight). */
const LATE_LIMIT_MS = 3 * 3_600_000;

const pad = (n: number) => String(n).padStart(2, '0');

/** The trading date (YYYY-MM-DD in the zone) of an instant. */
export function tradingDate(now: number, timeZone: string): string {
  const w = wallTime(now, timeZone);
  return `${w.year}-${pad(w.month)}-${pad(w.day)}`;
}

/** Builds the summary notification from the stack as it is now. Parts that cannot be read say so. */
export async function buildDailySummary(stack: StackReader, now: number, timeZone: string): Promise<Notification> {
  const date = tradingDate(now, timeZone);
  const lines: string[] = [];
  let since = now - 86_400_000;
  const drawdowns = new Map<string, number>();
  let alertsToday: Array<{ name: string; account?: string }> | undefined;
  try {
    const snap = await stack.snapshot();
    const start = Date.parse(snap.tradingDayStart);
    if (Number.isFinite(start) && start < now) since = start;
    const range = `${Math.max(60, Math.ceil((now - since) / 1000))}s`;
    try {
      for (const s of await stack.query(`max by (account) (max_over_time(account:trader_drawdown_today:ratio[${range}]))`, now))
        if (s.metric.account) drawdowns.set(s.metric.account, s.value);
      alertsToday = (
        await stack.query(`max by (alertname, account) (max_over_time(ALERTS{alertstate="firing",alertname!="Watchdog"}[${range}]))`, now)
      ).map((s) => ({ name: s.metric.alertname ?? 'alert', account: s.metric.account }));
    } catch (error) {
      lines.push(`Drawdown and alerts unavailable: ${(error as Error).message}`);
    }
    const ids = Object.keys(snap.accounts).sort();
    if (ids.length === 0) lines.push('No account data (is the exporter connected to the gateway?).');
    for (const id of ids) {
      const a = snap.accounts[id];
      const p = a.portfolio;
      const cur = p.currency ?? 'USD';
      lines.push(`Account ${maskAccount(id)}${p.currency ? ` (${p.currency})` : ''}`);
      lines.push(`  Equity ${p.equity === null ? 'unknown' : formatMoney(p.equity, cur, { sign: false })}`);
      lines.push(`  Realized P&L today ${formatMoney(p.realizedPnlToday, cur)}`);
      const t = a.trades;
      lines.push(
        t.executedCount > 0
          ? `  Trades ${t.executedCount} (${t.winCount} won, ${t.lossCount} lost), win rate ${formatPercent(t.winRate * 100, { digits: 0 })}`
          : '  No trades closed today',
      );
      const dd = drawdowns.get(id);
      lines.push(`  Worst drawdown ${dd === undefined ? 'unknown' : formatPercent(dd * 100)}`);
    }
  } catch (error) {
    lines.push(`Account figures unavailable: ${(error as Error).message}`);
  }
  if (alertsToday !== undefined) {
    const named = alertsToday.map((a) => `${a.name}${a.account ? ` ${maskAccount(a.account)}` : ''}`).sort();
    lines.push(named.length ? `Alerts today (${named.length}): ${named.join(', ')}` : 'No alerts today.');
  }
  return {
    kind: 'summary',
    receiver: 'daily-summary',
    groupKey: `daily-summary:${date}`,
    status: 'resolved',
    groupLabels: { title: `${date} ${timeZone}` },
    commonLabels: {},
    commonAnnotations: {},
    externalURL: '',
    truncatedAlerts: 0,
    alerts: [],
    message: lines.join('\n'),
  };
}

export interface DailySummaryOptions {
  /** Channels with a summary time: channel → HH:MM. Read on every check (reload applies). */
  schedule: () => Partial<Record<ChannelName, string>>;
  timeZone: () => string;
  now: () => number;
  stack: StackReader;
  /** Queues the summary for a channel (the outbox). */
  enqueue: (channel: ChannelName, n: Notification) => Promise<void>;
  /** Folder of the file that remembers the last day sent per channel. */
  dir: string;
  logger: Logger;
}

/** Sends each channel's summary once a trading day, at its time. */
export class DailySummary {
  readonly #o: DailySummaryOptions;
  #sent: Partial<Record<string, string>>;
  #running: Promise<void> | undefined;

  constructor(options: DailySummaryOptions) {
    this.#o = options;
    try {
      this.#sent = JSON.parse(readFileSync(this.#file(), 'utf8')) as Record<string, string>;
    } catch {
      this.#sent = {};
    }
  }

  #file(): string {
    return path.join(this.#o.dir, 'daily-summary.json');
  }

  /** Sends what is due now; runs one check at a time. */
  check(): Promise<void> {
    this.#running ??= this.#check().finally(() => (this.#running = undefined));
    return this.#running;
  }

  async #check(): Promise<void> {
    const now = this.#o.now();
    const zone = this.#o.timeZone();
    const date = tradingDate(now, zone);
    const due = Object.entries(this.#o.schedule()).filter(([channel, at]) => {
      if (!at || this.#sent[channel] === date) return false;
      const when = wallTimeOnDay(now, 0, at, zone);
      return now >= when && now - when < LATE_LIMIT_MS;
    });
    if (due.length === 0) return;
    const summary = await buildDailySummary(this.#o.stack, now, zone);
    for (const [channel] of due) {
      try {
        await this.#o.enqueue(channel as ChannelName, summary);
        this.#sent[channel] = date;
        this.#o.logger.info('daily summary queued', { channel, date });
      } catch (error) {
        this.#o.logger.error('could not queue the daily summary', { channel, error });
      }
    }
    try {
      writeFileSync(this.#file(), JSON.stringify(this.#sent));
    } catch (error) {
      this.#o.logger.warn('could not remember the daily summary', { error });
    }
  }
}
