/**
 * The one retry delay: exponential backoff with "equal jitter" (half of the delay fixed, half
 * random), so that many retries spread out but none collapses to zero and hammers a peer that
 * just came back. Used by the exporter's reconnects and the bridge's deliveries.
 */
export interface BackoffOptions {
  /** First delay, ms. */
  minMs: number;
  /** Longest delay, ms. */
  maxMs: number;
  /** [0, 1) random source, injected for tests. @default Math.random */
  random?: () => number;
}

/**
 * Delay before the next attempt after `failures` failures (≥ 1): min·2^(failures-1), capped at
 * max, of which the upper half is random: in [d/2, d].
 */
export function backoffDelay(failures: number, options: BackoffOptions): number {
  const random = options.random ?? Math.random;
  const d = Math.min(options.maxMs, options.minMs * 2 ** Math.min(30, Math.max(0, failures - 1)));
  return Math.round(d / 2 + random() * (d / 2));
}
