/**
 * @traderadmin/alert-bridge: Alertmanager webhooks in; email, Slack, SMS and webhooks out,
 * through a durable outbox. Library entry point for the CLI and the feature scenarios.
 */
export { startBridge } from './bridge.js';
export { BridgeClient, BridgeUnreachableError } from './client.js';
export type { BridgeAnswer, BridgeClientOptions } from './client.js';
export type { BridgeDeps, RunningBridge } from './bridge.js';
export { createLogger, Redactor, describeUrl } from '@traderadmin/kit';
export type { Logger, LogFields, LogLevel } from '@traderadmin/kit';
export { METRIC_NAMES } from './metrics.js';
export { DEFAULT_RATE_LIMITS } from './delivery/worker.js';
export { checkStatus, backoffDelay, parseRetryAfter } from './delivery/policy.js';
export { idempotencyKey } from './outbox/key.js';
export { parseWebhook } from './payload.js';
export { parseDuration, buildSilence } from './silences.js';
export type { SilenceRequest } from './silences.js';
export { DEFAULT_TEST_MESSAGE } from './testAlert.js';
export type { ReloadResult, TestAlertResult, ReceiveResult } from './http/server.js';
export type {
  AmAlert,
  AmPayload,
  DeliveryResult,
  FailureReason,
  Notification,
  Notifier,
  OutboxEntry,
  OutgoingMessage,
  Clock,
} from './types.js';
export { maskAccount, formatMoney, formatPercent } from './format/values.js';
export { smsSegments, smsLength, fitSms } from './format/sms.js';
export { SLACK_LIMITS } from './format/slack.js';
