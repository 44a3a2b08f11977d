/**
 * The chat commands, as text in and Telegram HTML out: /status, /alerts, /silence,
 * /unsilence, /help. They only read, except for silences (this project never trades).
 * Every value from outside is escaped; answers stay under Telegram's 4096 characters.
 */
import { escapeHtml, TELEGRAM_LIMITS } from '../format/telegram.js';
import { formatMoney, formatPercent, maskAccount } from '../format/values.js';
import { parseDuration, type Matcher, type SilenceRequest } from '../silences.js';
import type { StackReader } from '../stack.js';
import { zonedClockText } from './time.js';

/** The silence operations the commands need (the bridge's SilenceClient). */
export interface SilenceOps {
  list(all?: boolean): Promise<unknown[]>;
  create(req: SilenceRequest): Promise<{ silenceID: string; endsAt: string }>;
  expire(id: string): Promise<void>;
}

export interface CommandContext {
  stack: StackReader;
  silences: SilenceOps;
  now: () => number;
  timeZone: () => string;
}

export const HELP = [
  '<b>TraderAdmin</b> commands',
  '/status: equity, daily P&amp;L, open positions, what is firing',
  '/alerts: the alerts firing now',
  '/silence &lt;alert&gt; [account] &lt;duration&gt;: for example <code>/silence OrderLatencyHigh DU1234567 2h</code>',
  '/unsilence &lt;alert&gt; [account], or /unsilence &lt;silence id&gt;',
].join('\n');

const money = (n: number, currency: string | null, sign = true) => formatMoney(n, currency ?? 'USD', { sign });

/** Fits an answer in one message: whole lines, then "…". */
export function fitMessage(lines: string[]): string {
  const out: string[] = [];
  let length = 0;
  for (const line of lines) {
    if (length + line.length + 1 > TELEGRAM_LIMITS.text - 20) {
      out.push('… (cut to fit one message)');
      break;
    }
    out.push(line);
    length += line.length + 1;
  }
  return out.join('\n');
}

function alertLine(a: { labels: Record<string, string>; annotations: Record<string, string> }, silenced: boolean): string {
  const l = a.labels;
  const account = l.account ? ` ${escapeHtml(maskAccount(l.account))}` : '';
  const summary = a.annotations.summary ? ` — ${escapeHtml(a.annotations.summary.slice(0, 200))}` : '';
  return `${silenced ? '🔕' : '🔥'} <b>${escapeHtml(l.alertname ?? 'alert')}</b>${account} <i>${escapeHtml(l.severity ?? '')}</i>${summary}`;
}

/** /status */
export async function statusAnswer(ctx: CommandContext): Promise<string> {
  const lines = [`<b>Status</b> · ${escapeHtml(zonedClockText(ctx.now(), ctx.timeZone()))}`];
  try {
    const snap = await ctx.stack.snapshot();
    const ids = Object.keys(snap.accounts);
    if (ids.length === 0) lines.push('No account data yet (is the exporter connected to the gateway?).');
    for (const id of ids) {
      const a = snap.accounts[id];
      const p = a.portfolio;
      lines.push('', `<b>Account ${escapeHtml(maskAccount(id))}</b>${p.currency ? ` (${escapeHtml(p.currency)})` : ''}`);
      lines.push(`Equity ${p.equity === null ? 'unknown' : escapeHtml(money(p.equity, p.currency, false))}`);
      lines.push(
        `Daily P&amp;L ${escapeHtml(money(p.dailyPnl, p.currency))} (realized ${escapeHtml(money(p.realizedPnlToday, p.currency))}, unrealized ${escapeHtml(money(p.unrealizedPnl, p.currency))})`,
      );
      const positions = a.positions.filter((pos) => pos.quantity !== 0);
      lines.push(`Open positions: ${p.openPositionsCount}`);
      for (const pos of positions.slice(0, 15))
        lines.push(`  ${escapeHtml(pos.symbol)} ${pos.quantity} (${escapeHtml(money(pos.unrealizedPnl, pos.currency))})`);
      if (positions.length > 15) lines.push(`  +${positions.length - 15} more`);
      if (a.trades.executedCount > 0)
        lines.push(`Trades today: ${a.trades.executedCount}, ${escapeHtml(formatPercent(a.trades.winRate * 100, { digits: 0 }))} won`);
      lines.push(`Broker: ${a.system.brokerConnected ? 'connected' : '<b>not connected</b>'}`);
    }
  } catch (error) {
    lines.push(`Account figures unavailable: ${escapeHtml((error as Error).message)}`);
  }
  lines.push('');
  try {
    const alerts = (await ctx.stack.alerts()).filter((a) => a.labels.alertname !== 'Watchdog');
    const firing = alerts.filter((a) => a.status.state === 'active');
    lines.push(firing.length ? `<b>Firing (${firing.length})</b>` : 'Nothing is firing.');
    for (const a of firing.slice(0, 20)) lines.push(alertLine(a, false));
    const silenced = alerts.length - firing.length;
    if (silenced > 0) lines.push(`${silenced} more silenced or waiting (see /alerts)`);
  } catch (error) {
    lines.push(`Alerts unavailable: ${escapeHtml((error as Error).message)}`);
  }
  return fitMessage(lines);
}

/** /alerts */
export async function alertsAnswer(ctx: CommandContext): Promise<string> {
  let alerts;
  try {
    alerts = (await ctx.stack.alerts()).filter((a) => a.labels.alertname !== 'Watchdog');
  } catch (error) {
    return `Alerts unavailable: ${escapeHtml((error as Error).message)}`;
  }
  if (alerts.length === 0) return 'Nothing is firing.';
  const lines = [`<b>Alerts (${alerts.length})</b>`];
  for (const a of alerts) lines.push(alertLine(a, a.status.silencedBy.length > 0));
  return fitMessage(lines);
}

const ACCOUNT = /^[A-Za-z0-9]+$/;
const ALERT_NAME = /^[A-Za-z_:][A-Za-z0-9_:]*$/;

/** /silence <alert> [account] <duration> */
export async function silenceAnswer(ctx: CommandContext, args: string[], who: string): Promise<string> {
  const usage = 'Usage: /silence &lt;alert&gt; [account] &lt;duration&gt;, for example <code>/silence OrderLatencyHigh DU1234567 2h</code>';
  if (args.length < 2 || args.length > 3) return usage;
  const [alertname, account] = args.length === 3 ? [args[0], args[1]] : [args[0], undefined];
  const duration = args[args.length - 1];
  if (!ALERT_NAME.test(alertname)) return `${escapeHtml(alertname)} is not an alert name. ${usage}`;
  if (account !== undefined && !ACCOUNT.test(account)) return `${escapeHtml(account)} is not an account id. ${usage}`;
  if (parseDuration(duration) === undefined) return `${escapeHtml(duration)} is not a duration such as 30m, 1h or 1h30m.`;
  try {
    const s = await ctx.silences.create({
      alertname,
      account,
      duration,
      createdBy: `telegram:${who}`,
      comment: `Silenced from Telegram by ${who}`,
    });
    return `🔕 <b>${escapeHtml(alertname)}</b>${account ? ` for account ${escapeHtml(maskAccount(account))}` : ''} silenced until ${escapeHtml(zonedClockText(Date.parse(s.endsAt), ctx.timeZone(), true))} (silence <code>${escapeHtml(s.silenceID)}</code>).`;
  } catch (error) {
    return `Could not silence: ${escapeHtml((error as Error).message)}`;
  }
}

interface SilenceListItem {
  id: string;
  matchers: Matcher[];
  status: { state: string };
}

/** /unsilence <alert> [account] | <silence id> */
export async function unsilenceAnswer(ctx: CommandContext, args: string[]): Promise<string> {
  const usage = 'Usage: /unsilence &lt;alert&gt; [account], or /unsilence &lt;silence id&gt;';
  if (args.length < 1 || args.length > 2) return usage;
  let active: SilenceListItem[];
  try {
    active = (await ctx.silences.list()) as SilenceListItem[];
  } catch (error) {
    return `Silences unavailable: ${escapeHtml((error as Error).message)}`;
  }
  const eq = (s: SilenceListItem, name: string, value: string) =>
    s.matchers.some((m) => m.name === name && m.value === value && m.isEqual && !m.isRegex);
  const chosen = active.filter((s) =>
    args.length === 1 && s.id === args[0] ? true : eq(s, 'alertname', args[0]) && (args[1] === undefined || eq(s, 'account', args[1])),
  );
  if (chosen.length === 0) return `No active silence matches ${escapeHtml(args.join(' '))}.`;
  const failed: string[] = [];
  for (const s of chosen) await ctx.silences.expire(s.id).catch((error: Error) => failed.push(error.message));
  const done = chosen.length - failed.length;
  return `🔔 ${done} silence${done === 1 ? '' : 's'} expired.${failed.length ? ` ${failed.length} failed: ${escapeHtml(failed[0])}` : ''}`;
}
