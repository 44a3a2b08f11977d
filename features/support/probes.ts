/**
 * What the fault scenarios' steps read from the real chain, and how they wait for it: Prometheus
 * queries, the bridge's own metrics, and polling with the last value seen in the failure.
 */
import assert from 'node:assert/strict';
import { promQuery } from '@traderadmin/test-support';
import type { Chain } from './chain.js';
import type { TraderWorld } from './world.js';

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Polls `check` until it returns a value other than undefined/false, or fails with `what` and the last value seen. */
export async function until<T>(what: string, check: () => Promise<T | undefined | false>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value !== undefined && value !== false) return value;
      last = value;
    } catch (error) {
      last = (error as Error).message;
    }
    if (Date.now() > deadline) assert.fail(`${what}: not within ${timeoutMs / 1000} s (last: ${JSON.stringify(last)})`);
    await sleep(250);
  }
}

/** The values of an instant PromQL query. */
export async function prom(chain: Chain, expr: string): Promise<number[]> {
  return (await promQuery(chain.prometheus.url, expr)).map((r) => Number(r.value[1]));
}

/** One sample of the bridge's own /metrics (0 when the series is absent). */
export async function bridgeMetric(chain: Chain, series: string): Promise<number> {
  const text = await (await fetch(`${chain.bridgeUrl}/metrics`)).text();
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line ? Number(line.split(' ')[1]) : 0;
}

/** When the scenario's fault began (seconds after the chain started): notices before it do not count. */
export const since = (world: TraderWorld) => (world.notes.since as number | undefined) ?? (world.notes.pushedAt as number | undefined) ?? 0;
