/**
 * The Telegram command bot: long polling getUpdates with grammY (no public URL needed) for
 * /status, /alerts, /silence, /unsilence and the silence buttons under alert messages. Only
 * the configured chat_ids are obeyed; any other chat is ignored and logged (messages and
 * button presses alike). A 429 from Telegram is waited out (retry_after) by grammY's poller
 * and, for answers, by one retry here.
 */
import type { Context } from 'grammy';
import { grammy } from './grammy.js';
import type { Notifications } from '@traderadmin/config';
import { escapeHtml, parseSilenceCallback } from '../format/telegram.js';
import { maskAccount } from '../format/values.js';
import type { Logger } from '@traderadmin/kit';
import type { StackReader } from '../stack.js';
import { alertsAnswer, HELP, silenceAnswer, statusAnswer, unsilenceAnswer, type CommandContext, type SilenceOps } from './commands.js';
import type { SilenceKeys } from './keys.js';
import { tomorrowAt, zonedClockText } from './time.js';

export interface TelegramBotOptions {
  config: Notifications['telegram'];
  token: string;
  fetch: typeof fetch;
  logger: Logger;
  stack: StackReader;
  silences: SilenceOps;
  keys: SilenceKeys;
  now: () => number;
  timeZone: () => string;
  /** "Silence until tomorrow" ends at tomorrow's market open (trading.market_open). */
  marketOpen: () => string;
  /** Longest wait for a 429 on an answer, ms. @default 30000 */
  maxRetryAfterMs?: number;
}

export interface RunningTelegramBot {
  stop(): Promise<void>;
}

const who = (ctx: Context) => (ctx.from?.username ? `@${ctx.from.username}` : ctx.from ? `user ${ctx.from.id}` : 'someone');

/** Starts polling; returns at once. Polling problems are logged, never thrown. */
export function startTelegramBot(o: TelegramBotOptions): RunningTelegramBot {
  const log = o.logger.child({ component: 'telegram-bot' });
  const allowed = new Set(o.config.chat_ids);
  const bot = new (grammy().Bot)(o.token, {
    client: { apiRoot: o.config.api_base_url.replace(/\/+$/, ''), fetch: o.fetch as never, timeoutSeconds: 60 },
  });
  const ctxOf: CommandContext = { stack: o.stack, silences: o.silences, now: o.now, timeZone: o.timeZone };

  /** Runs one Bot API call, waiting once for Telegram's retry_after on a 429. */
  const call = async <T>(fn: () => Promise<T>): Promise<T> => {
    try {
      return await fn();
    } catch (error) {
      const after = error instanceof grammy().GrammyError && error.error_code === 429 ? error.parameters?.retry_after : undefined;
      if (after === undefined) throw error;
      log.warn('telegram asked to slow down', { retry_after_s: after });
      await new Promise((r) => setTimeout(r, Math.min(after * 1000, o.maxRetryAfterMs ?? 30_000)));
      return fn();
    }
  };
  const reply = (ctx: Context, html: string) =>
    call(() => ctx.reply(html, { parse_mode: 'HTML', link_preview_options: { is_disabled: true } }));

  bot.use(async (ctx, next) => {
    const chat = ctx.chat?.id;
    if (chat === undefined || !allowed.has(String(chat))) {
      log.warn('telegram update from a chat not in chat_ids ignored', {
        chat_id: chat,
        from_id: ctx.from?.id,
        kind: ctx.callbackQuery ? 'callback_query' : ctx.message ? 'message' : 'other',
      });
      return;
    }
    await next();
  });
  bot.command(['start', 'help'], (ctx) => reply(ctx, HELP));
  bot.command('status', async (ctx) => reply(ctx, await statusAnswer(ctxOf)));
  bot.command('alerts', async (ctx) => reply(ctx, await alertsAnswer(ctxOf)));
  bot.command('silence', async (ctx) => reply(ctx, await silenceAnswer(ctxOf, ctx.match.split(/\s+/).filter(Boolean), who(ctx))));
  bot.command('unsilence', async (ctx) => reply(ctx, await unsilenceAnswer(ctxOf, ctx.match.split(/\s+/).filter(Boolean))));
  bot.on('callback_query:data', async (ctx) => {
    const parsed = parseSilenceCallback(ctx.callbackQuery.data);
    if (!parsed) return void (await call(() => ctx.answerCallbackQuery({ text: 'Unknown button.' })));
    let labels = o.keys.labels(parsed.fingerprint);
    if (!labels) {
      // After a restart the labels are no longer in memory: Alertmanager still has the alert.
      const alert = (await o.stack.alerts().catch(() => [])).find((a) => a.fingerprint === parsed.fingerprint);
      labels = alert?.labels;
    }
    if (!labels) return void (await call(() => ctx.answerCallbackQuery({ text: 'This alert is no longer firing; use /silence.' })));
    const now = o.now();
    const endsAt = parsed.action === '1h' ? now + 3_600_000 : tomorrowAt(now, o.marketOpen(), o.timeZone());
    const user = who(ctx);
    let id: string;
    try {
      const s = await o.silences.create({
        matchers: Object.entries(labels).map(([name, value]) => ({ name, value, isRegex: false, isEqual: true })),
        endsAt: new Date(endsAt).toISOString(),
        createdBy: `telegram:${user}`,
        comment: `Silenced from Telegram by ${user}`,
      });
      id = s.silenceID;
    } catch (error) {
      log.warn('silence from telegram failed', { error });
      return void (await call(() => ctx.answerCallbackQuery({ text: `Could not silence: ${(error as Error).message}`.slice(0, 200) })));
    }
    const until = zonedClockText(endsAt, o.timeZone(), parsed.action === 'tm');
    log.info('silence created from telegram', { silence_id: id, alertname: labels.alertname, by: user });
    await call(() => ctx.answerCallbackQuery({ text: `Silenced until ${until}`.slice(0, 200) }));
    // The buttons of that alert are spent: take them off the message.
    const rows = ctx.callbackQuery.message?.reply_markup?.inline_keyboard ?? [];
    const left = rows.filter((row) => !row.some((b) => 'callback_data' in b && b.callback_data?.endsWith(`:${parsed.fingerprint}`)));
    await call(() => ctx.editMessageReplyMarkup({ reply_markup: { inline_keyboard: left } })).catch((error) =>
      log.debug('could not remove the buttons', { error }),
    );
    const account = labels.account ? ` for account ${escapeHtml(maskAccount(labels.account))}` : '';
    await reply(
      ctx,
      `🔕 <b>${escapeHtml(labels.alertname ?? 'alert')}</b>${account} silenced by ${escapeHtml(user)} until ${escapeHtml(until)} (silence <code>${escapeHtml(id)}</code>).`,
    );
  });
  bot.catch((err) => log.error('telegram command failed', { error: err.error, update_id: err.ctx.update.update_id }));

  let stopped = false;
  const polling = bot
    .start({
      allowed_updates: ['message', 'callback_query'],
      onStart: () => log.info('telegram commands listening (long polling)', { chats: allowed.size }),
    })
    .catch((error) => {
      if (!stopped) log.error('telegram polling stopped', { error });
    });
  return {
    async stop() {
      stopped = true;
      await bot.stop().catch(() => undefined);
      await polling;
    },
  };
}
