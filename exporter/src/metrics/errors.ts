/** API errors of every component (contract: trader_api_errors_total). */
import { Counter, type Registry } from 'prom-client';
import { ERROR_CLASSES, PREINITIALISED_CODES, type ErrorClass } from '../ib/errors.js';

export const API_ERRORS_TOTAL = 'trader_api_errors_total';

/** Most distinct (component, code, class) series; beyond it the code label becomes "other". */
export const MAX_ERROR_SERIES = 2000;

export interface ErrorMetrics {
  count(component: string, code: string, cls: ErrorClass, n?: number): void;
  /** Errors counted since `since` (epoch ms), excluding class "warning" (IB notices). */
  countSince(since: number): number;
  /** True when this series exists or there is room for one more. */
  hasRoomFor(component: string, code: string, cls: ErrorClass): boolean;
}

export function registerErrorMetrics(registry: Registry, clock: { now(): number }): ErrorMetrics {
  const counter = new Counter({
    name: API_ERRORS_TOTAL,
    help: 'API errors by component (ibkr, orchestrator, scanner, exporter, ...), code and class.',
    labelNames: ['component', 'code', 'class'],
    registers: [registry],
  });
  const series = new Set<string>();
  const recent: number[] = [];
  const key = (component: string, code: string, cls: string) => `${component}\u0000${code}\u0000${cls}`;
  const touch = (component: string, code: string, cls: ErrorClass, n: number) => {
    series.add(key(component, code, cls));
    counter.inc({ component, code, class: cls }, n);
  };
  // Zero series so the first error of each known class is seen by increase().
  for (const { code, cls } of PREINITIALISED_CODES) touch('ibkr', String(code), cls, 0);
  for (const cls of ERROR_CLASSES) touch('exporter', 'none', cls, 0);
  return {
    count(component, code, cls, n = 1) {
      const k = key(component, code, cls);
      if (!series.has(k) && series.size >= MAX_ERROR_SERIES) code = 'other';
      touch(component, code, cls, n);
      if (cls !== 'warning') {
        const now = clock.now();
        for (let i = 0; i < n; i++) recent.push(now);
        // Keep two days at most: enough for "today" whatever the day start.
        while (recent.length > 0 && recent[0] < now - 2 * 86_400_000) recent.shift();
        if (recent.length > 100_000) recent.splice(0, recent.length - 100_000);
      }
    },
    countSince(since) {
      let n = 0;
      for (let i = recent.length - 1; i >= 0 && recent[i] >= since; i--) n++;
      return n;
    },
    hasRoomFor(component, code, cls) {
      return series.has(key(component, code, cls)) || series.size < MAX_ERROR_SERIES;
    },
  };
}
