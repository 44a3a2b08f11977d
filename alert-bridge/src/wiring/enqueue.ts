/** Into the outbox: one entry per recipient of a channel, counted and logged, then the worker woken. */
import { randomBytes } from 'node:crypto';
import type { ChannelName } from '@traderadmin/config';
import { ChannelUnavailableError } from '../http/server.js';
import type { Logger } from '@traderadmin/kit';
import type { BridgeMetrics } from '../metrics.js';
import { idempotencyKey } from '../outbox/key.js';
import type { Outbox } from '../outbox/store.js';
import { displayRecipient } from '../testAlert.js';
import type { Clock, Notification, OutboxEntry } from '../types.js';
import type { LiveConfig } from './live.js';

export type Enqueue = (
  channel: ChannelName,
  notification: Notification,
  receiptId: string,
  fromWatchdog?: boolean,
) => Promise<{ added: OutboxEntry[]; duplicates: OutboxEntry[] }>;

export function newReceiptId(now: number): string {
  return `${now.toString(36)}-${randomBytes(3).toString('hex')}`;
}

export interface EnqueueDeps {
  live: LiveConfig;
  outbox: Outbox;
  metrics: BridgeMetrics;
  logger: Logger;
  clock: Clock;
  /** Tells the delivery worker there is new work. */
  wake: () => void;
}

/** Stores one notification for every recipient of a channel. */
export function createEnqueue({ live, outbox, metrics, logger, clock, wake }: EnqueueDeps): Enqueue {
  return async (channel, notification, receiptId, fromWatchdog = false) => {
    const notifier = live.notifiers.get(channel);
    if (!notifier) throw new ChannelUnavailableError(`channel ${channel} is not enabled in the bridge config`);
    const now = clock.now();
    const entries = notifier.recipients().map((recipient, i): OutboxEntry => ({
      id: `${receiptId}.${channel}.${i}`,
      key: idempotencyKey(notification, channel, recipient),
      channel,
      recipient,
      notification,
      receivedAt: now,
      attempts: 0,
      nextAttemptAt: now,
    }));
    const result = await outbox.enqueue(entries);
    if (fromWatchdog && result.duplicates.length) logger.warn('watchdog notification already queued', { channel });
    for (const e of result.added) {
      metrics.received.inc({ channel });
      logger.info('notification stored', {
        notification_id: e.id,
        channel,
        recipient: displayRecipient(channel, e.recipient),
        group_key: notification.groupKey,
        status: notification.status,
        alerts: notification.alerts.length,
      });
    }
    for (const e of result.duplicates) {
      metrics.deduplicated.inc({ channel });
      logger.info('duplicate notification ignored', {
        channel,
        key: e.key.slice(0, 16),
        group_key: notification.groupKey,
        state: outbox.state(e.key),
      });
    }
    if (result.added.length) wake();
    return result;
  };
}
