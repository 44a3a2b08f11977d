/**
 * The daily summary: what it says (from the exporter snapshot and Prometheus), when it is
 * sent (the configured time in the trading time zone, once a day, not after a restart, not
 * hours late), and that it renders within Telegram's and Discord's rules. Injected clock.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { assertContainsEach, discordPayloadProblems, telegramHtmlProblems } from '@traderadmin/test-support';
import { renderDiscord } from '../src/format/discord.js';
import { renderTelegram } from '../src/format/telegram.js';
import type { StackReader } from '../src/stack.js';
import { buildDailySummary, DailySummary } from '../src/summary/daily.js';
import type { ChannelName, Notification } from '../src/types.js';
import { captureLogger } from './helpers.js';

const ZONE = 'America/New_York';
// 2026-11-23 is a Monday; New York is UTC-5 in November.
const at = (hhmm: string, day = 23) => Date.parse(`2026-11-${day}T${hhmm}:00-05:00`);
const queries: string[] = [];
const stack: StackReader = {
  snapshot: async () => ({
    timestamp: new Date(at('16:30')).toISOString(),
    tradingDayStart: new Date(at('00:00')).toISOString(),
    accounts: {
      DU1234567: {
        portfolio: {
          equity: 101234.5,
          realizedPnlToday: -312.25,
          unrealizedPnl: 10,
          dailyPnl: -302.25,
          openPositionsCount: 1,
          currency: 'USD',
        },
        trades: { executedCount: 4, winCount: 3, lossCount: 1, breakevenCount: 0, winRate: 0.75 },
        system: { brokerConnected: true, maxOrderLatencyMs: 80 },
        positions: [],
      },
    },
  }),
  alerts: async () => [],
  query: async (expr): Promise<Array<{ metric: Record<string, string>; value: number }>> => {
    queries.push(expr);
    if (expr.includes('drawdown')) return [{ metric: { account: 'DU1234567' }, value: 0.0123 }];
    return [
      { metric: { alertname: 'OrderLatencyHigh', account: 'DU1234567' }, value: 1 },
      { metric: { alertname: 'BrokerDisconnected', gateway: 'ib-gateway' }, value: 1 },
    ];
  },
};
const links = { alertmanagerUrl: 'http://am.test', grafanaUrl: 'http://grafana.test', consoleUrl: 'http://console.test' };
const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

describe('the daily summary', () => {
  it('gives equity, realized P&L, trades with win rate, the worst drawdown and the alerts of the day', async () => {
    const n = await buildDailySummary(stack, at('16:30'), ZONE);
    expect(n).toMatchObject({ kind: 'summary', groupKey: 'daily-summary:2026-11-23', groupLabels: { title: `2026-11-23 ${ZONE}` } });
    assertContainsEach(n.message ?? '', [
      'Account •••4567 (USD)',
      'Equity $101,234.50',
      'Realized P&L today -$312.25',
      'Trades 4 (3 won, 1 lost), win rate 75%',
      'Worst drawdown 1.23%',
      'Alerts today (2): BrokerDisconnected, OrderLatencyHigh •••4567',
    ]);
    expect(n.message).not.toContain('DU1234567');
    // Over the trading day so far: 16 h 30 min since the day start.
    expect(queries.every((q) => q.includes(`[${16.5 * 3600}s]`))).toBe(true);
  });

  it('renders within Telegram HTML rules (no buttons) and Discord payload rules', async () => {
    const n = await buildDailySummary(stack, at('16:30'), ZONE);
    const tg = renderTelegram([n], links, 'n1');
    expect(telegramHtmlProblems(tg.text).problems).toEqual([]);
    expect(tg.text).toMatch(/^<b>DAILY SUMMARY: 2026-11-23 America\/New_York<\/b>/);
    expect(tg.text).toContain('Realized P&amp;L today -$312.25');
    expect(tg.buttons).toEqual([]);
    expect(discordPayloadProblems(renderDiscord([n], links, 'n1'))).toEqual([]);
  });

  it('is queued at the configured time in the trading time zone, once a day per channel, and not again after a restart', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'summary-'));
    dirs.push(dir);
    let now = at('16:29');
    const queued: Array<{ channel: ChannelName; n: Notification }> = [];
    const make = () =>
      new DailySummary({
        schedule: () => ({ telegram: '16:30', discord: '17:00' }),
        timeZone: () => ZONE,
        now: () => now,
        stack,
        enqueue: async (channel, n) => void queued.push({ channel, n }),
        dir,
        logger: captureLogger(),
      });
    const s = make();
    await s.check();
    expect(queued).toEqual([]);
    now = at('16:30');
    await s.check();
    expect(queued.map((q) => q.channel)).toEqual(['telegram']);
    await s.check();
    now = at('17:05');
    await s.check();
    expect(queued.map((q) => q.channel)).toEqual(['telegram', 'discord']);
    // A restart the same evening remembers what went out.
    await make().check();
    expect(queued).toHaveLength(2);
    // The next day, again; a bridge that comes back hours late does not send a stale one.
    now = at('16:31', 24);
    await make().check();
    expect(queued.map((q) => `${q.channel} ${q.n.groupKey}`).slice(2)).toEqual(['telegram daily-summary:2026-11-24']);
    now = at('23:30', 24);
    await make().check();
    expect(queued).toHaveLength(3);
  });
});
