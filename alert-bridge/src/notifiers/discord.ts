/**
 * Discord through an incoming webhook (POST {webhook_url}?wait=true, so a rejected message
 * is an error, not a silent 204). Rate limits: a 429 waits for the body's `retry_after`
 * (float seconds; Retry-After as a fallback); when X-RateLimit-Remaining reaches 0 the next
 * message to this webhook waits for X-RateLimit-Reset-After.
 */
import type { Notifications } from '@traderadmin/config';
import { renderDiscord } from '../format/discord.js';
import type { Notifier } from '../types.js';
import { answerResult, postJson, secretTargetNotifier, type ProviderOptions } from './provider.js';

export type DiscordNotifierOptions = ProviderOptions<Notifications['discord']>;

/** ms until the bucket refills when the answer says none is left; undefined otherwise. */
export function discordHold(headers: Headers): number | undefined {
  if (headers.get('x-ratelimit-remaining') !== '0') return undefined;
  const after = Number(headers.get('x-ratelimit-reset-after'));
  return Number.isFinite(after) && after > 0 ? Math.ceil(after * 1000) : undefined;
}

/** The Discord channel: one recipient, the configured webhook. */
export function discordNotifier(options: DiscordNotifierOptions): Notifier {
  const target = { secret: options.config.webhook_url, env: options.env, key: 'webhook_url', what: 'Discord webhook URL' };
  return secretTargetNotifier('discord', target, async (webhookUrl, message, signal) => {
    // The URL's own text never goes into the error: it holds the webhook's token.
    if (!URL.canParse(webhookUrl)) return { status: 'permanent', reason: 'config', error: 'Discord webhook URL unavailable: Invalid URL' };
    const url = new URL(webhookUrl);
    url.searchParams.set('wait', 'true');
    const res = await postJson(options, url, renderDiscord(message.notifications, options.links, message.id), signal);
    const text = await res.text().catch(() => '');
    const holdMs = discordHold(res.headers);
    if (res.ok) {
      let id: string | undefined;
      try {
        id = (JSON.parse(text) as { id?: string }).id;
      } catch {
        // 204 without wait, or not JSON: still delivered
      }
      return { status: 'sent', providerId: id, holdMs };
    }
    let retryAfter = res.headers.get('retry-after');
    if (res.status === 429) {
      try {
        const body = JSON.parse(text) as { retry_after?: number };
        if (typeof body.retry_after === 'number') retryAfter = String(body.retry_after);
      } catch {
        // keep the header
      }
    }
    const result = answerResult(res, text, options.clock.now(), retryAfter);
    if (result.status === 'retry' && result.retryAfterMs === undefined && holdMs !== undefined) return { ...result, retryAfterMs: holdMs };
    return result;
  });
}
