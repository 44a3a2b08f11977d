/**
 * The one retry policy every channel shares: what an HTTP status or a network error means
 * (retry or permanent, and the metric reason), how long to wait (the kit's exponential backoff
 * with equal jitter, never shorter than the provider's Retry-After).
 */
import { backoffDelay, type BackoffOptions } from '@traderadmin/kit';
import type { DeliveryResult, FailureReason } from '../types.js';

export { backoffDelay, type BackoffOptions };

/**
 * Parses Retry-After (RFC 9110 §10.2.3: delay-seconds or an HTTP-date) into ms from `now`.
 * Returns undefined when absent or unparseable.
 */
export function parseRetryAfter(value: string | null | undefined, now: number): number | undefined {
  if (value === null || value === undefined || value.trim() === '') return undefined;
  const trimmed = value.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1000);
  const date = Date.parse(trimmed);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - now);
}

/**
 * Maps an HTTP answer to a delivery result: 2xx sent; 408, 425, 429 and 5xx retried
 * (429 and 503 after Retry-After when given); 401/403 permanent "auth"; other 4xx permanent.
 */
export function checkStatus(status: number, retryAfter: string | null | undefined, body: string, now: number): DeliveryResult {
  if (status >= 200 && status < 300) return { status: 'sent' };
  const error = `HTTP ${status}${body ? `: ${body.slice(0, 200)}` : ''}`;
  const retryAfterMs = parseRetryAfter(retryAfter, now);
  if (status === 429) return { status: 'retry', reason: 'rate_limited', error, retryAfterMs };
  if (status === 408) return { status: 'retry', reason: 'timeout', error, retryAfterMs };
  if (status === 425) return { status: 'retry', reason: 'client_error', error, retryAfterMs };
  if (status >= 500) return { status: 'retry', reason: 'server_error', error, retryAfterMs };
  if (status === 401 || status === 403) return { status: 'permanent', reason: 'auth', error };
  return { status: 'permanent', reason: 'client_error', error };
}

const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ESOCKET',
  'ECONNECTION',
  'UND_ERR_SOCKET',
  'UND_ERR_CONNECT_TIMEOUT',
]);

/** Maps a thrown error with no HTTP answer (network, timeout, abort) to a retry. */
export function networkFailure(error: unknown): DeliveryResult {
  const e = error as { name?: string; code?: string; message?: string; cause?: { code?: string; message?: string } };
  const code = e?.code ?? e?.cause?.code;
  const message = [e?.message, e?.cause?.message].filter(Boolean).join(': ') || String(error);
  let reason: FailureReason = 'network';
  if (e?.name === 'TimeoutError' || e?.name === 'AbortError' || code === 'ETIMEDOUT' || code === 'ECONNABORTED') reason = 'timeout';
  else if (code && !NETWORK_CODES.has(code)) reason = 'unknown';
  return { status: 'retry', reason, error: code ? `${code}: ${message}` : message };
}

/** The wait before the next attempt: the backoff, or the provider's Retry-After if longer (capped at 1 h). */
export function nextDelay(attempt: number, result: DeliveryResult, options: BackoffOptions): number {
  const backoff = backoffDelay(attempt, options);
  if (result.status === 'retry' && result.retryAfterMs !== undefined) return Math.max(backoff, Math.min(result.retryAfterMs, 3_600_000));
  return backoff;
}
