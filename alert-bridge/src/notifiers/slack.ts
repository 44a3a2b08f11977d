/**
 * Slack through an incoming webhook with @slack/webhook. The library gets our fetch (so tests
 * and timeouts apply) and no retries of its own: the outbox retries, honouring Retry-After,
 * which the wrapper keeps because the library's error does not carry headers.
 */
import { IncomingWebhook, IncomingWebhookHTTPError, IncomingWebhookRequestError, type FetchFunction } from '@slack/webhook';
import type { Notifications } from '@traderadmin/config';
import { renderSlack } from '../format/slack.js';
import type { LinkContext } from '../format/view.js';
import { checkStatus, networkFailure } from '../delivery/policy.js';
import type { Clock, DeliveryResult, Notifier, OutgoingMessage } from '../types.js';

export interface SlackNotifierOptions {
  config: Notifications['slack'];
  links: LinkContext;
  fetch: typeof fetch;
  clock: Clock;
  /** @default 15000 */
  timeoutMs?: number;
  /** Environment of env: secrets. @default process.env */
  env?: NodeJS.ProcessEnv;
}

/** The Slack channel: one recipient, the configured webhook. */
export function slackNotifier(options: SlackNotifierOptions): Notifier {
  const c = options.config;
  return {
    channel: 'slack',
    recipients: () => (c.webhook_url ? ['slack'] : []),
    async notify(message: OutgoingMessage, signal: AbortSignal): Promise<DeliveryResult> {
      let url: string;
      try {
        url = c.webhook_url?.reveal(options.env) ?? '';
        if (!url) throw new Error('webhook_url is not set');
      } catch (error) {
        return { status: 'permanent', reason: 'config', error: `Slack webhook URL unavailable: ${(error as Error).message}` };
      }
      let retryAfter: string | null = null;
      const fetchFn: FetchFunction = async (input, init) => {
        const res = await options.fetch(input, {
          ...init,
          signal: AbortSignal.any([signal, AbortSignal.timeout(options.timeoutMs ?? 15_000)]),
        });
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
        return networkFailure(error);
      }
    },
    async close() {},
  };
}
