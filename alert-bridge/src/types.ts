/**
 * Shared types of the bridge: Alertmanager's webhook payload (version 4), the normalized
 * notification the outbox stores, and the one interface every channel implements.
 */
import type { ChannelName } from '@traderadmin/config';

export type { ChannelName };

/** One alert of an Alertmanager webhook (payload version 4). */
export interface AmAlert {
  status: 'firing' | 'resolved';
  labels: Record<string, string>;
  annotations: Record<string, string>;
  startsAt: string;
  endsAt: string;
  generatorURL: string;
  fingerprint: string;
}

/** Alertmanager's webhook body, version 4. `notification_reason` only exists on newer releases. */
export interface AmPayload {
  version: '4';
  groupKey: string;
  truncatedAlerts: number;
  status: 'firing' | 'resolved';
  receiver: string;
  groupLabels: Record<string, string>;
  commonLabels: Record<string, string>;
  commonAnnotations: Record<string, string>;
  externalURL: string;
  alerts: AmAlert[];
}

/** What one outbox entry carries: one alert group, as received (after severity filtering). */
export interface Notification {
  /** "alert" from Alertmanager, "watchdog" when the bridge reports the monitoring stack itself, "test", "summary" (the daily summary). */
  kind: 'alert' | 'watchdog' | 'test' | 'summary';
  receiver: string;
  groupKey: string;
  status: 'firing' | 'resolved';
  groupLabels: Record<string, string>;
  commonLabels: Record<string, string>;
  commonAnnotations: Record<string, string>;
  externalURL: string;
  truncatedAlerts: number;
  alerts: AmAlert[];
  /** Free text for watchdog, test and summary notifications. */
  message?: string;
}

/** One durable unit of work: one notification for one channel and one recipient. */
export interface OutboxEntry {
  /** Notification id: in every log line about it, in the webhook body, in the email Message-ID. */
  id: string;
  /** Idempotency key (hex): the outbox file name, and what the delivered-keys store remembers. */
  key: string;
  channel: ChannelName;
  /** Email address, phone number, webhook URL, or "slack" (the webhook URL stays in the config). */
  recipient: string;
  notification: Notification;
  /** ms since epoch. */
  receivedAt: number;
  attempts: number;
  /** ms since epoch; the entry is not tried before this. */
  nextAttemptAt: number;
  lastError?: string;
  lastReason?: string;
  /** Set when the entry went to the dead-letter list. */
  deadAt?: number;
}

/** One message handed to a notifier: one entry, or a digest of several for the same destination. */
export interface OutgoingMessage {
  /** Notification id (of the first entry, for a digest). */
  id: string;
  channel: ChannelName;
  recipient: string;
  /** Idempotency key of the message (sent as Idempotency-Key to webhooks). */
  key: string;
  /** The notifications this message covers: one, or several in a digest. */
  notifications: Notification[];
}

/**
 * What happened to one delivery attempt. `retry`: worth another try (network, 5xx, 429,
 * after `retryAfterMs` when the provider said so); `sent` may carry `holdMs` when the provider
 * said its rate limit is used up (the next message to that destination waits); `permanent`: will never work as is (auth,
 * other 4xx, bad recipient). `reason` is a low-cardinality metric label.
 */
export type DeliveryResult =
  | { status: 'sent'; providerId?: string; holdMs?: number }
  | { status: 'retry'; reason: FailureReason; error: string; retryAfterMs?: number }
  | { status: 'permanent'; reason: FailureReason; error: string };

/** Bounded set of failure reasons: the `reason` label of alert_bridge_notifications_failed_total. */
export type FailureReason =
  | 'auth'
  | 'rate_limited'
  | 'server_error'
  | 'client_error'
  | 'timeout'
  | 'network'
  | 'invalid_recipient'
  | 'rejected'
  | 'config'
  | 'unknown';

/** One channel. Implementations never throw: every outcome is a DeliveryResult. */
export interface Notifier {
  readonly channel: ChannelName;
  /** Recipients of this channel, from the config (one outbox entry each). */
  recipients(): string[];
  notify(message: OutgoingMessage, signal: AbortSignal): Promise<DeliveryResult>;
  /** Releases connections (SMTP pool). */
  close(): Promise<void>;
}

/** Time source, injected so tests control it: the kit's. */
export { systemClock, type Clock } from '@traderadmin/kit';
