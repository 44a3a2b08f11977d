/**
 * Idempotency keys. Alertmanager retries a webhook it thinks failed, and every member of an
 * Alertmanager cluster sends the same group: both give the same receiver, group key, status
 * and alerts (fingerprint, status, start time), hence the same key, per channel and recipient.
 */
import { createHash } from 'node:crypto';
import type { ChannelName, Notification } from '../types.js';

/** Key of one notification for one channel and recipient (hex sha256). */
export function idempotencyKey(n: Notification, channel: ChannelName, recipient: string): string {
  const alerts = n.alerts.map((a) => `${a.fingerprint}:${a.status}:${a.startsAt}`).sort();
  const parts = [n.kind, n.receiver, n.groupKey, n.status, ...alerts, n.message ?? '', channel, recipient];
  // NUL cannot appear in any part, so the joined string is unambiguous.
  return createHash('sha256').update(parts.join('\u0000')).digest('hex');
}

/** Short stable hash, for Message-IDs and display. */
export function shortHash(text: string, length = 16): string {
  return createHash('sha256').update(text).digest('hex').slice(0, length);
}
