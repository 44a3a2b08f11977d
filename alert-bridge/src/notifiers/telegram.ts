/**
 * Telegram through the Bot API with grammY's Api client (sendMessage, HTML parse mode, inline
 * silence buttons). `api_base_url` is grammY's apiRoot, so tests point it at a local Bot API
 * server. The bot token is part of every URL (`/bot<token>/sendMessage`): the bridge's
 * redactor knows it, so no log line or error carries it. grammY's own retries are not used:
 * the outbox retries, after Telegram's `retry_after` on a 429.
 */
import type { Api } from 'grammy';
import { grammy } from '../telegram/grammy.js';
import type { Notifications } from '@traderadmin/config';
import { renderTelegram } from '../format/telegram.js';
import { checkStatus, networkFailure } from '../delivery/policy.js';
import type { SilenceKeys } from '../telegram/keys.js';
import type { DeliveryResult, Notifier, OutgoingMessage } from '../types.js';
import { PROVIDER_TIMEOUT_MS, requestSignal, revealSecret, type ProviderOptions } from './provider.js';

export interface TelegramNotifierOptions extends ProviderOptions<Notifications['telegram']> {
  /** Where the labels behind the silence buttons are kept for the command bot. */
  keys?: SilenceKeys;
}

/** A grammY Api client on our fetch (so timeouts, tests and redaction apply). */
export function telegramApi(token: string, apiBaseUrl: string, fetchFn: typeof fetch, timeoutMs: number): Api {
  return new (grammy().Api)(token, {
    apiRoot: apiBaseUrl.replace(/\/+$/, ''),
    fetch: fetchFn as never,
    timeoutSeconds: Math.max(1, Math.ceil(timeoutMs / 1000)),
  });
}

/** Maps a grammY error to a delivery result: 429 after retry_after, 400/403 about the chat permanent. */
export function telegramFailure(error: unknown, now: number): DeliveryResult {
  if (error instanceof grammy().GrammyError) {
    const retryAfter = error.parameters?.retry_after;
    const text = `Telegram ${error.error_code}: ${error.description}`;
    if (error.error_code === 400 && /chat not found|user not found|chat_id is empty/i.test(error.description))
      return { status: 'permanent', reason: 'invalid_recipient', error: text };
    if (error.error_code === 403) return { status: 'permanent', reason: 'invalid_recipient', error: text };
    const result = checkStatus(error.error_code, retryAfter !== undefined ? String(retryAfter) : null, '', now);
    return result.status === 'sent' ? result : { ...result, error: text };
  }
  if (error instanceof grammy().HttpError) return networkFailure(error.error);
  return networkFailure(error);
}

/** The Telegram channel: one message per chat in chat_ids. */
export function telegramNotifier(options: TelegramNotifierOptions): Notifier {
  const c = options.config;
  const timeoutMs = options.timeoutMs ?? PROVIDER_TIMEOUT_MS;
  return {
    channel: 'telegram',
    recipients: () => [...c.chat_ids],
    async notify(message: OutgoingMessage, signal: AbortSignal): Promise<DeliveryResult> {
      const token = revealSecret(c.bot_token, options.env, 'bot_token', 'Telegram bot token');
      if ('failure' in token) return token.failure;
      const api = telegramApi(token.value, c.api_base_url, options.fetch, timeoutMs);
      const rendered = renderTelegram(message.notifications, options.links, message.id);
      for (const s of rendered.silenceable) options.keys?.remember(s.fingerprint, s.labels);
      try {
        const sent = await api.sendMessage(
          message.recipient,
          rendered.text,
          {
            parse_mode: 'HTML',
            link_preview_options: { is_disabled: true },
            ...(rendered.buttons.length ? { reply_markup: { inline_keyboard: rendered.buttons } } : {}),
          },
          requestSignal(signal, timeoutMs) as never,
        );
        return { status: 'sent', providerId: String(sent.message_id) };
      } catch (error) {
        return telegramFailure(error, options.clock.now());
      }
    },
    async close() {},
  };
}
