/**
 * Generic webhooks: POST the documented JSON body (format/webhook.ts) with an Idempotency-Key
 * header, so receivers can de-duplicate the rare re-send after a crash mid-delivery.
 */
import type { Notifications } from '@traderadmin/config';
import { renderWebhook } from '../format/webhook.js';
import type { LinkContext } from '../format/view.js';
import { checkStatus, networkFailure } from '../delivery/policy.js';
import type { Clock, DeliveryResult, Notifier, OutgoingMessage } from '../types.js';

export interface WebhookNotifierOptions {
  config: Notifications['webhook'];
  links: LinkContext;
  fetch: typeof fetch;
  clock: Clock;
  /** @default 15000 */
  timeoutMs?: number;
  /** Environment of env: secrets. @default process.env */
  env?: NodeJS.ProcessEnv;
}

/** The webhook channel: one POST per configured URL. */
export function webhookNotifier(options: WebhookNotifierOptions): Notifier {
  const c = options.config;
  return {
    channel: 'webhook',
    recipients: () => [...c.urls],
    async notify(message: OutgoingMessage, signal: AbortSignal): Promise<DeliveryResult> {
      const headers: Record<string, string> = {
        'content-type': 'application/json',
        'idempotency-key': message.key,
        'x-traderadmin-notification-id': message.id,
        'user-agent': 'traderadmin-alert-bridge/0.1',
      };
      try {
        if (c.bearer_token) headers.authorization = `Bearer ${c.bearer_token.reveal(options.env)}`;
      } catch (error) {
        return { status: 'permanent', reason: 'config', error: `webhook bearer_token unavailable: ${(error as Error).message}` };
      }
      try {
        const res = await options.fetch(message.recipient, {
          method: 'POST',
          headers,
          body: JSON.stringify(renderWebhook(message.notifications, options.links, { id: message.id, key: message.key })),
          redirect: 'error',
          signal: AbortSignal.any([signal, AbortSignal.timeout(options.timeoutMs ?? 15_000)]),
        });
        const text = res.ok ? '' : await res.text().catch(() => '');
        if (res.ok) await res.body?.cancel().catch(() => undefined);
        return checkStatus(res.status, res.headers.get('retry-after'), text, options.clock.now());
      } catch (error) {
        return networkFailure(error);
      }
    },
    async close() {},
  };
}
