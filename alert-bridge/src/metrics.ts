/**
 * The bridge's own metrics, on its own prom-client Registry (never the global one). Names are
 * fixed by the interface with the rules generator: AlertDeliveryFailing reads
 * alert_bridge_dead_letters and alert_bridge_oldest_queued_age_seconds.
 */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { CHANNELS, type ChannelName } from '@traderadmin/config';
import type { FailureReason, OutboxEntry } from './types.js';

/** What the queue gauges read at scrape time. */
export interface QueueState {
  pending(): OutboxEntry[];
  dead(): OutboxEntry[];
  now(): number;
  lastWatchdogMs(): number | undefined;
}

export const METRIC_NAMES = {
  received: 'alert_bridge_notifications_received_total',
  deduplicated: 'alert_bridge_notifications_deduplicated_total',
  sent: 'alert_bridge_notifications_sent_total',
  failed: 'alert_bridge_notifications_failed_total',
  latency: 'alert_bridge_delivery_latency_seconds',
  lastWatchdog: 'alert_bridge_last_watchdog_timestamp_seconds',
  queueDepth: 'alert_bridge_queue_depth',
  oldestAge: 'alert_bridge_oldest_queued_age_seconds',
  deadLetters: 'alert_bridge_dead_letters',
  pruned: 'alert_bridge_outbox_pruned_total',
} as const;

export interface BridgeMetrics {
  registry: Registry;
  received: Counter<'channel'>;
  deduplicated: Counter<'channel'>;
  sent: Counter<'channel'>;
  failed: Counter<'channel' | 'reason'>;
  latency: Histogram<'channel' | 'since'>;
  /** Entries dropped because the pending or dead-letter list was full (list = pending, dead). */
  pruned: Counter<'list'>;
  /** Counts a failed attempt. */
  fail(channel: ChannelName, reason: FailureReason): void;
}

/** Creates the metrics on a fresh Registry; gauges read `state` at scrape time. */
export function createMetrics(state: QueueState, options: { defaultMetrics?: boolean } = {}): BridgeMetrics {
  const registry = new Registry();
  if (options.defaultMetrics ?? true) collectDefaultMetrics({ register: registry, prefix: 'alert_bridge_' });
  const perChannel = (name: string, help: string) => new Counter({ name, help, labelNames: ['channel'], registers: [registry] });
  const received = perChannel(METRIC_NAMES.received, 'Notifications stored in the outbox, per channel and recipient.');
  const deduplicated = perChannel(
    METRIC_NAMES.deduplicated,
    'Notifications dropped because the same one was already queued or delivered (Alertmanager retries, cluster duplicates).',
  );
  const sent = perChannel(METRIC_NAMES.sent, 'Notifications delivered to the provider (a digest counts each notification it carries).');
  const failed = new Counter({
    name: METRIC_NAMES.failed,
    help: 'Failed delivery attempts, by reason (auth, rate_limited, server_error, client_error, timeout, network, invalid_recipient, rejected, config, unknown).',
    labelNames: ['channel', 'reason'],
    registers: [registry],
  });
  const latency = new Histogram({
    name: METRIC_NAMES.latency,
    help: 'Time to delivery, since receipt by the bridge or since the alert started.',
    labelNames: ['channel', 'since'],
    buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600, 1800, 3600],
    registers: [registry],
  });
  new Gauge({
    name: METRIC_NAMES.lastWatchdog,
    help: 'Unix time of the last Watchdog alert from Alertmanager (0 before the first).',
    registers: [registry],
    collect() {
      const ms = state.lastWatchdogMs();
      this.set(ms === undefined ? 0 : ms / 1000);
    },
  });
  // A gauge of how many of the outbox entries `read` gives at scrape time are on each channel.
  const countPerChannel = (name: string, help: string, read: () => ReadonlyArray<{ channel: string }>) =>
    new Gauge({
      name,
      help,
      labelNames: ['channel'],
      registers: [registry],
      collect() {
        const entries = read();
        for (const c of CHANNELS) this.set({ channel: c }, entries.filter((e) => e.channel === c).length);
      },
    });
  countPerChannel(METRIC_NAMES.queueDepth, 'Notifications waiting in the outbox (queued or being retried).', () => state.pending());
  new Gauge({
    name: METRIC_NAMES.oldestAge,
    help: 'Age of the oldest notification still waiting in the outbox (0 when empty).',
    registers: [registry],
    collect() {
      const pending = state.pending();
      const oldest = pending.reduce((m, e) => Math.min(m, e.receivedAt), Infinity);
      this.set(pending.length === 0 ? 0 : Math.max(0, (state.now() - oldest) / 1000));
    },
  });
  countPerChannel(
    METRIC_NAMES.deadLetters,
    'Notifications that ran out of retries or failed permanently and are not yet acknowledged.',
    () => state.dead(),
  );
  for (const c of CHANNELS) {
    received.inc({ channel: c }, 0);
    deduplicated.inc({ channel: c }, 0);
    sent.inc({ channel: c }, 0);
  }
  const pruned = new Counter({
    name: METRIC_NAMES.pruned,
    help: 'Outbox entries dropped, oldest first, because the pending or dead-letter list was full (list = pending, dead).',
    labelNames: ['list'],
    registers: [registry],
  });
  for (const list of ['pending', 'dead']) pruned.inc({ list }, 0);
  return { registry, received, deduplicated, sent, failed, latency, pruned, fail: (channel, reason) => failed.inc({ channel, reason }) };
}
