/**
 * Generic webhooks: POST the documented JSON body (format/webhook.ts) with an Idempotency-Key
 * header, so receivers can de-duplicate the rare re-send after a crash mid-delivery.
 */
import type { Notifications } from '@traderadmin/config';
import { renderWebhook } from '../format/webhook.js';
import { networkFailure } from '../delivery/policy.js';
import type { DeliveryResult, Notifier, OutgoingMessage } from '../types.js';
import { answerResult, postJson, type ProviderOptions } from './provider.js';

export type WebhookNotifierOptions = ProviderOptions<Notifications['webhook']>;

/** The webhook channel: one POST per configured URL. */
export function webhookNotifier(options: WebhookNotifierOptions): Notifier {
  const c = options.config;
  return {
    channel: 'webhook',
    recipients: () => [...c.urls],
    async notify(message: OutgoingMessage, signal: AbortSignal): Promise<DeliveryResult> {
      const headers: Record<string, string> = { 'idempotency-key': message.key, 'x-traderadmin-notification-id': message.id };
      try {
        if (c.bearer_token) headers.authorization = `Bearer ${c.bearer_token.reveal(options.env)}`;
      } catch (error) {
        return { status: 'permanent', reason: 'config', error: `webhook bearer_token unavailable: ${(error as Error).message}` };
      }
      try {
        const body = renderWebhook(message.notifications, options.links, { id: message.id, key: message.key });
        const res = await postJson(options, message.recipient, body, signal, headers);
        const text = res.ok ? '' : await res.text().catch(() => '');
        if (res.ok) await res.body?.cancel().catch(() => undefined);
        return answerResult(res, text, options.clock.now());
      } catch (error) {
        return networkFailure(error);
      }
    },
    async close() {},
  };
}
