/**
 * PagerDuty Events API v2: POST {api_base_url}/v2/enqueue, one event per alert group of the
 * message (a digest sends each group's own event, so dedup keys stay per group). 202 is
 * accepted; 400 is never retried; 429 and 5xx are (about 120 events a minute per key).
 * Re-sending after a partial failure is harmless: a trigger with the same dedup key updates
 * the incident, a second resolve is dropped.
 */
import type { Notifications } from '@traderadmin/config';
import { renderPagerDuty } from '../format/pagerduty.js';
import type { DeliveryResult, Notification, Notifier } from '../types.js';
import { answerResult, postJson, secretTargetNotifier, type ProviderOptions } from './provider.js';

export type PagerDutyNotifierOptions = ProviderOptions<Notifications['pagerduty']>;

/** The PagerDuty channel: one recipient, the configured routing key. */
export function pagerdutyNotifier(options: PagerDutyNotifierOptions): Notifier {
  const c = options.config;
  const endpoint = `${c.api_base_url.replace(/\/+$/, '')}/v2/enqueue`;
  const send = async (n: Notification, key: string, id: string, signal: AbortSignal): Promise<DeliveryResult> => {
    const res = await postJson(options, endpoint, renderPagerDuty(n, options.links, key, id), signal);
    const text = await res.text().catch(() => '');
    if (res.ok) {
      try {
        return { status: 'sent', providerId: (JSON.parse(text) as { dedup_key?: string }).dedup_key };
      } catch {
        return { status: 'sent' };
      }
    }
    return answerResult(res, text, options.clock.now());
  };
  const target = { secret: c.routing_key, env: options.env, key: 'routing_key', what: 'PagerDuty routing key' };
  return secretTargetNotifier('pagerduty', target, async (key, message, signal) => {
    let last: DeliveryResult = { status: 'sent' };
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
  });
}
