/** Order round trips (contract: trader_order_latency_seconds, trader_order_latency_max_seconds). */
import { Gauge, Histogram, type Registry } from 'prom-client';
import type { Clock } from '@traderadmin/kit';
import type { LatencyWindows, Stage } from '../accounting/latency.js';

export const ORDER_LATENCY_SECONDS = 'trader_order_latency_seconds';
export const ORDER_LATENCY_MAX_SECONDS = 'trader_order_latency_max_seconds';

/** Default bounds, in seconds: from a co-located ack (5 ms) to a slow fill (60 s). */
export const DEFAULT_LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];

/**
 * Histogram bounds: the defaults plus every configured latency threshold, so that
 * `histogram_quantile` and bucket-based alerts can cut exactly at the threshold.
 */
export function latencyBuckets(thresholdsSeconds: number[]): number[] {
  const all = new Set<number>(DEFAULT_LATENCY_BUCKETS);
  for (const t of thresholdsSeconds) if (Number.isFinite(t) && t > 0) all.add(Number(t.toPrecision(12)));
  return [...all].sort((a, b) => a - b);
}

export interface LatencyMetrics {
  observe(account: string, stage: Stage, seconds: number, at: number): void;
}

export function registerLatencyMetrics(
  registry: Registry,
  windows: LatencyWindows,
  clock: Clock,
  thresholdsSeconds: number[],
): LatencyMetrics {
  const histogram = new Histogram({
    name: ORDER_LATENCY_SECONDS,
    help: 'Order round trip: ack = submit to acknowledged, fill = submit to filled.',
    labelNames: ['account', 'stage'],
    buckets: latencyBuckets(thresholdsSeconds),
    registers: [registry],
  });
  new Gauge({
    name: ORDER_LATENCY_MAX_SECONDS,
    help: `Largest order round trip in the trailing ${windows.windowMs / 1000} s window (0 when none).`,
    labelNames: ['account', 'stage'],
    registers: [registry],
    collect() {
      this.reset();
      const now = clock.now();
      for (const { account, stage } of windows.keys()) this.set({ account, stage }, windows.get(account, stage)?.max(now) ?? 0);
    },
  });
  return {
    observe(account, stage, seconds, at) {
      histogram.observe({ account, stage }, seconds);
      windows.add(account, stage, at, seconds);
    },
  };
}
