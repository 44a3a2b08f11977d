/**
 * PagerDuty Events API v2: POST {api_base_url}/v2/enqueue, one event per alert group of the
 * message (a digest sends each group's own event, so dedup keys stay per group). 202 is
 * accepted; 400 is never retried; 429 and 5xx are (about 120 events a minute per key).
 * Re-sending after a partial failure is harmless: a trigger with the same dedup key updates
 * the incident, a second resolve is dropped.
 */
import type { Notifications } from '@traderadmin/config';
import { renderPagerDuty } from '../format/pagerduty.js';
import type { LinkContext } from '../format/view.js';
import { checkStatus, networkFailure } from '../delivery/policy.js';
import type { Clock, DeliveryResult, Notification, Notifier, OutgoingMessage } from '../types.js';

export interface PagerDutyNotifierOptions {
  config: Notifications['pagerduty'];
  links: LinkContext;
  fetch: typeof fetch;
  clock: Clock;
  /** @default 15000 */
  timeoutMs?: number;
  /** Environment of env: secrets. @default process.env */
  env?: NodeJS.ProcessEnv;
}

/** The PagerDuty channel: one recipient, the configured routing key. */
export function pagerdutyNotifier(options: PagerDutyNotifierOptions): Notifier {
  const c = options.config;
  const endpoint = `${c.api_base_url.replace(/\/+$/, '')}/v2/enqueue`;
  const send = async (n: Notification, key: string, id: string, signal: AbortSignal): Promise<DeliveryResult> => {
    const res = await options.fetch(endpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'user-agent': 'traderadmin-alert-bridge/0.1' },
      body: JSON.stringify(renderPagerDuty(n, options.links, key, id)),
      redirect: 'error',
      signal: AbortSignal.any([signal, AbortSignal.timeout(options.timeoutMs ?? 15_000)]),
    });
    const text = await res.text().catch(() => '');
    if (res.ok) {
      try {
        return { status: 'sent', providerId: (JSON.parse(text) as { dedup_key?: string }).dedup_key };
      } catch {
        return { status: 'sent' };
      }
    }
    return checkStatus(res.status, res.headers.get('retry-after'), text.slice(0, 200), options.clock.now());
  };
  return {
    channel: 'pagerduty',
    recipients: () => (c.routing_key ? ['pagerduty'] : []),
    async notify(message: OutgoingMessage, signal: AbortSignal): Promise<DeliveryResult> {
      let key: string;
      try {
        key = c.routing_key?.reveal(options.env) ?? '';
        if (!key) throw new Error('routing_key is not set');
      } catch (error) {
        return { status: 'permanent', reason: 'config', error: `PagerDuty routing key unavailable: ${(error as Error).message}` };
      }
      let last: DeliveryResult = { status: 'sent' };
      try {
        for (const n of message.notifications) {
          // A daily summary is not an incident: it never pages.
          if (n.kind === 'summary') continue;
          last = await send(n, key, message.id, signal);
          if (last.status !== 'sent') return last;
          // A test page is closed at once, so it leaves no open incident behind.
          if (n.kind === 'test') {
            last = await send({ ...n, status: 'resolved' }, key, message.id, signal);
            if (last.status !== 'sent') return last;
          }
        }
        return last;
      } catch (error) {
        return networkFailure(error);
      }
    },
    async close() {},
  };
}
