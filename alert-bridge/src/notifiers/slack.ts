/**
 * Slack through an incoming webhook with @slack/webhook. The library gets our fetch (so tests
 * and timeouts apply) and no retries of its own: the outbox retries, honouring Retry-After,
 * which the wrapper keeps because the library's error does not carry headers.
 */
import { IncomingWebhook, IncomingWebhookHTTPError, IncomingWebhookRequestError, type FetchFunction } from '@slack/webhook';
import type { Notifications } from '@traderadmin/config';
import { renderSlack } from '../format/slack.js';
import { checkStatus, networkFailure } from '../delivery/policy.js';
import type { Notifier } from '../types.js';
import { requestSignal, secretTargetNotifier, type ProviderOptions } from './provider.js';

export type SlackNotifierOptions = ProviderOptions<Notifications['slack']>;

/** The Slack channel: one recipient, the configured webhook. */
export function slackNotifier(options: SlackNotifierOptions): Notifier {
  const target = { secret: options.config.webhook_url, env: options.env, key: 'webhook_url', what: 'Slack webhook URL' };
  return secretTargetNotifier('slack', target, async (url, message, signal) => {
    let retryAfter: string | null = null;
    const fetchFn: FetchFunction = async (input, init) => {
      const res = await options.fetch(input, { ...init, signal: requestSignal(signal, options.timeoutMs) });
      retryAfter = res.headers.get('retry-after');
      return res;
    };
    const webhook = new IncomingWebhook(url, { fetch: fetchFn });
    try {
      await webhook.send(renderSlack(message.notifications, options.links, message.id));
      return { status: 'sent' };
    } catch (error) {
      if (error instanceof IncomingWebhookHTTPError) return checkStatus(error.statusCode, retryAfter, error.body, options.clock.now());
      if (error instanceof IncomingWebhookRequestError) return networkFailure(error.original);
      throw error;
    }
  });
}
