/**
 * Delivers what the outbox holds. Per destination (channel + recipient): one message in
 * flight at a time, a minimum interval between messages (Slack asks for about one per second
 * per webhook), and, when many notifications wait at once (an alert storm), one digest instead
 * of a flood. Failures are retried with backoff and jitter (Retry-After honoured); what runs
 * out of attempts, or fails permanently, moves to the dead-letter list.
 */
import { createHash } from 'node:crypto';
import type { ChannelName } from '@traderadmin/config';
import type { Logger } from '@traderadmin/kit';
import type { BridgeMetrics } from '../metrics.js';
import type { Outbox } from '../outbox/store.js';
import type { Clock, DeliveryResult, Notifier, OutboxEntry, OutgoingMessage } from '../types.js';
import { nextDelay } from './policy.js';

/** Delivery settings, read on every round so a reload applies at once. */
export interface DeliverySettings {
  maxAttempts: number;
  retryMinMs: number;
  retryMaxMs: number;
  digestThreshold: number;
}

/** Minimum ms between two messages to one destination, per channel. */
export type RateLimits = Record<ChannelName, number>;

/**
 * Slack: ~1 message/s per webhook (https://api.slack.com/apis/rate-limits#incoming-webhooks); Twilio long codes: ~1 SMS/s;
 * Telegram: ~1 message/s per chat (core.telegram.org/bots/faq); Discord: ~5 per 2 s per webhook; PagerDuty: ~120 events/min per key.
 */
export const DEFAULT_RATE_LIMITS: RateLimits = {
  slack: 1000,
  sms: 1000,
  email: 200,
  webhook: 50,
  telegram: 1000,
  discord: 400,
  pagerduty: 500,
};

/** Largest digest: beyond this the rest waits for the next message. */
const MAX_DIGEST = 100;

export interface DeliveryWorkerOptions {
  outbox: Outbox;
  notifiers: () => Map<ChannelName, Notifier>;
  settings: () => DeliverySettings;
  metrics: BridgeMetrics;
  logger: Logger;
  clock: Clock;
  rateLimits?: Partial<RateLimits>;
  /** How often due retries are looked for, ms. @default 250 */
  pollMs?: number;
  /** Most messages in flight over all destinations. @default 16 */
  concurrency?: number;
  /** [0,1) random source for jitter. @default Math.random */
  random?: () => number;
}

interface InFlight {
  controller: AbortController;
  done: Promise<void>;
}

/** The delivery loop. */
export class DeliveryWorker {
  readonly #o: DeliveryWorkerOptions;
  readonly #limits: RateLimits;
  readonly #busy = new Map<string, InFlight>();
  readonly #nextAllowed = new Map<string, number>();
  #timer: NodeJS.Timeout | undefined;
  #running = false;
  #scheduled = false;

  constructor(options: DeliveryWorkerOptions) {
    this.#o = options;
    this.#limits = { ...DEFAULT_RATE_LIMITS, ...options.rateLimits };
  }

  start(): void {
    this.#running = true;
    this.wake();
  }

  /** Looks for work now (after an enqueue). */
  wake(): void {
    if (!this.#running || this.#scheduled) return;
    this.#scheduled = true;
    setImmediate(() => {
      this.#scheduled = false;
      this.#tick();
    });
  }

  /** Number of messages in flight. */
  inFlight(): number {
    return this.#busy.size;
  }

  /**
   * Stops taking new work, waits up to `graceMs` for messages in flight, then aborts the rest.
   * Aborted entries stay in the outbox and are retried by the next run.
   */
  async stop(graceMs = 10_000): Promise<void> {
    this.#running = false;
    clearTimeout(this.#timer);
    const all = () => Promise.all([...this.#busy.values()].map((f) => f.done));
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([all(), new Promise<void>((r) => (timer = setTimeout(r, graceMs)))]);
    clearTimeout(timer);
    for (const f of this.#busy.values()) f.controller.abort(new Error('bridge shutting down'));
    await all();
  }

  #tick(): void {
    clearTimeout(this.#timer);
    if (!this.#running) return;
    const now = this.#o.clock.now();
    const settings = this.#o.settings();
    const byDest = new Map<string, OutboxEntry[]>();
    for (const e of this.#o.outbox.pending()) {
      const dest = `${e.channel}\u0000${e.recipient}`;
      const list = byDest.get(dest);
      if (list) list.push(e);
      else byDest.set(dest, [e]);
    }
    const concurrency = this.#o.concurrency ?? 16;
    const pollMs = this.#o.pollMs ?? 250;
    // The next tick comes when the soonest waiting destination may send again, not a whole poll
    // later: a notification held by a rate limit or a retry delay leaves on time.
    let soonest = now + pollMs;
    for (const [dest, waiting] of byDest) {
      if (this.#busy.size >= concurrency) break;
      if (this.#busy.has(dest)) continue;
      const allowed = this.#nextAllowed.get(dest) ?? 0;
      const due = Math.max(allowed, Math.min(...waiting.map((e) => e.nextAttemptAt)));
      if (due > now) {
        soonest = Math.min(soonest, due);
        continue;
      }
      waiting.sort((a, b) => a.receivedAt - b.receivedAt || a.key.localeCompare(b.key));
      // A storm: everything waiting for this destination (due or backing off) goes as one digest.
      const batch =
        waiting.length >= settings.digestThreshold ? waiting.slice(0, MAX_DIGEST) : [waiting.find((e) => e.nextAttemptAt <= now)!];
      const controller = new AbortController();
      const flight: InFlight = { controller, done: Promise.resolve() };
      this.#busy.set(dest, flight);
      flight.done = this.#deliver(dest, batch, controller.signal, settings)
        .catch((error) => this.#o.logger.error('delivery bookkeeping failed', { error, channel: batch[0].channel }))
        .finally(() => {
          this.#busy.delete(dest);
          this.wake();
        });
    }
    // With nothing pending, sleep until wake() (every enqueue, requeue, reload and finished
    // delivery calls it) rather than poll four times a second on an idle stack.
    if (this.#running && byDest.size > 0) this.#timer = setTimeout(() => this.#tick(), Math.max(1, soonest - now));
  }

  async #deliver(dest: string, batch: OutboxEntry[], signal: AbortSignal, settings: DeliverySettings): Promise<void> {
    const first = batch[0];
    const channel = first.channel;
    const log = this.#o.logger.child({
      notification_id: first.id,
      channel,
      attempt: first.attempts + 1,
      ...(batch.length > 1 ? { digest: batch.length } : {}),
    });
    const message: OutgoingMessage = {
      id: first.id,
      channel,
      recipient: first.recipient,
      key:
        batch.length === 1
          ? first.key
          : createHash('sha256')
              .update(batch.map((e) => e.key).join(','))
              .digest('hex'),
      notifications: batch.map((e) => e.notification),
    };
    const notifier = this.#o.notifiers().get(channel);
    let result: DeliveryResult;
    if (!notifier) {
      result = { status: 'retry', reason: 'config', error: `channel ${channel} is not enabled in the current config` };
    } else {
      try {
        result = await notifier.notify(message, signal);
      } catch (error) {
        // Notifiers should not throw; if one does, it is a bug, retried like a network error.
        result = { status: 'retry', reason: 'unknown', error: (error as Error).message ?? String(error) };
      }
    }
    const now = this.#o.clock.now();
    this.#nextAllowed.set(dest, now + Math.max(this.#limits[channel] ?? 0, result.status === 'sent' ? (result.holdMs ?? 0) : 0));
    if (result.status === 'sent') {
      await this.#o.outbox.markDeliveredMany(batch, result.providerId);
      for (const e of batch) {
        this.#o.metrics.sent.inc({ channel });
        this.#o.metrics.latency.observe({ channel, since: 'receipt' }, Math.max(0, now - e.receivedAt) / 1000);
        const start = alertStart(e);
        if (start !== undefined) this.#o.metrics.latency.observe({ channel, since: 'alert_start' }, Math.max(0, now - start) / 1000);
      }
      log.info('notification delivered', {
        provider_id: result.providerId,
        latency_ms: now - first.receivedAt,
        ids: batch.length > 1 ? batch.map((e) => e.id) : undefined,
      });
      return;
    }
    this.#o.metrics.fail(channel, result.reason);
    if (result.status === 'retry' && result.retryAfterMs !== undefined) {
      this.#nextAllowed.set(dest, Math.max(this.#nextAllowed.get(dest) ?? 0, now + result.retryAfterMs));
    }
    for (const e of batch) {
      const attempts = e.attempts + 1;
      const updated: OutboxEntry = { ...e, attempts, lastError: result.error, lastReason: result.reason };
      if (result.status === 'permanent' || attempts >= settings.maxAttempts) {
        await this.#o.outbox.markDead(updated);
        log.error('notification moved to dead letters', {
          notification_id: e.id,
          reason: result.reason,
          error: result.error,
          attempts,
          permanent: result.status === 'permanent',
        });
      } else {
        updated.nextAttemptAt =
          now + nextDelay(attempts, result, { minMs: settings.retryMinMs, maxMs: settings.retryMaxMs, random: this.#o.random });
        await this.#o.outbox.update(updated);
        log.warn('delivery failed, will retry', {
          notification_id: e.id,
          reason: result.reason,
          error: result.error,
          attempts,
          retry_in_ms: updated.nextAttemptAt - now,
        });
      }
    }
  }
}

/** Earliest start of the entry's firing alerts (ms), for the alert_start latency. */
function alertStart(e: OutboxEntry): number | undefined {
  if (e.notification.kind !== 'alert') return undefined;
  const starts = e.notification.alerts
    .filter((a) => a.status === 'firing')
    .map((a) => Date.parse(a.startsAt))
    .filter((t) => Number.isFinite(t) && t > 0);
  return starts.length ? Math.min(...starts) : undefined;
}
