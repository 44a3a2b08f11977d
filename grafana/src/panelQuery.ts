/**
 * Runs a dashboard panel's Prometheus queries the way Grafana's Prometheus data source does
 * (variables and $__interval / $__rate_interval / $__range filled in, step from the time
 * range and max data points), against any Prometheus, and returns the frames. Used by the
 * end-to-end tests, the panel's browser harness and the "Display real-time equity curve"
 * feature steps.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { DASHBOARDS_DIR } from './generate.js';
import { substituteVariables } from './promql.js';
import { allPanels } from './validate.js';
import { EQUITY_PANEL_TITLE } from './dashboards/index.js';

/** Scrape interval the provisioned data source declares (jsonData.timeInterval). */
export const DATASOURCE_TIME_INTERVAL_SECONDS = 5;

/** One series of a frame: its labels and aligned samples (ms, number). */
export interface SeriesFrame {
  refId: string;
  labels: Record<string, string>;
  times: number[];
  values: number[];
}

/** The result of one panel target. */
export interface TargetResult {
  refId: string;
  /** The expression sent to Prometheus (variables substituted). */
  expr: string;
  instant: boolean;
  series: SeriesFrame[];
}

/** What {@link queryPanel} runs. */
export interface PanelQueryOptions {
  /** Dashboard JSON file under grafana/dashboards/. @default 'trading-overview.json' */
  dashboard?: string;
  /** Panel title. @default 'Equity curve' */
  panel?: string;
  /** Dashboard variables, e.g. `{ account: 'DU1234567' }`. */
  vars?: Record<string, string>;
  /** Range start, ms. @default to − 1 h */
  from?: number;
  /** Range end, ms. @default now */
  to?: number;
  /** Grafana's max data points (the panel's pixel width). @default 1000 */
  maxDataPoints?: number;
  /** Scrape interval Grafana assumes for $__rate_interval. @default {@link DATASOURCE_TIME_INTERVAL_SECONDS} */
  scrapeIntervalSeconds?: number;
  fetch?: typeof fetch;
}

/** A panel from a committed dashboard. */
export function loadPanel(dashboard: string, title: string): Record<string, unknown> {
  const d = JSON.parse(readFileSync(path.join(DASHBOARDS_DIR, dashboard), 'utf8')) as Record<string, unknown>;
  const panel = allPanels(d).find((p) => p.title === title);
  if (!panel) throw new Error(`no panel "${title}" in ${dashboard}`);
  return panel;
}

/**
 * Grafana's query intervals for a range: `$__interval` is the range over max data points,
 * at least the scrape interval; `$__rate_interval` is max($__interval + scrape, 4 × scrape).
 */
export function grafanaIntervals(
  rangeMs: number,
  maxDataPoints: number,
  scrapeSeconds: number,
): { stepSeconds: number; rateIntervalSeconds: number } {
  const raw = Math.ceil(rangeMs / 1000 / Math.max(1, maxDataPoints));
  const stepSeconds = Math.max(scrapeSeconds, raw);
  return { stepSeconds, rateIntervalSeconds: Math.max(stepSeconds + scrapeSeconds, 4 * scrapeSeconds) };
}

interface PromResponse {
  status: string;
  error?: string;
  data?: {
    resultType: string;
    result: Array<{ metric: Record<string, string>; values?: Array<[number, string]>; value?: [number, string] }>;
  };
}

/** Runs every (non-hidden) target of a dashboard panel against `prometheusUrl`. */
export async function queryPanel(prometheusUrl: string, options: PanelQueryOptions = {}): Promise<TargetResult[]> {
  const doFetch = options.fetch ?? fetch;
  const to = options.to ?? Date.now();
  const from = options.from ?? to - 3_600_000;
  if (!(from < to)) throw new Error(`empty time range: from ${from} is not before to ${to}`);
  const scrape = options.scrapeIntervalSeconds ?? DATASOURCE_TIME_INTERVAL_SECONDS;
  const { stepSeconds, rateIntervalSeconds } = grafanaIntervals(to - from, options.maxDataPoints ?? 1000, scrape);
  const panel = loadPanel(options.dashboard ?? 'trading-overview.json', options.panel ?? EQUITY_PANEL_TITLE);
  const out: TargetResult[] = [];
  for (const t of (panel.targets as Array<Record<string, unknown>>) ?? []) {
    if (t.hide === true || typeof t.expr !== 'string') continue;
    const refId = String(t.refId);
    const expr = substituteVariables(t.expr, {
      vars: options.vars,
      interval: `${stepSeconds}s`,
      rateInterval: `${rateIntervalSeconds}s`,
      rangeSeconds: (to - from) / 1000,
    });
    const instant = t.instant === true && t.range !== true;
    const params = new URLSearchParams({ query: expr });
    // Grafana aligns range queries to the step so that refreshes reuse the same sample times.
    const step = stepSeconds;
    const start = Math.floor(from / 1000 / step) * step;
    const end = Math.floor(to / 1000 / step) * step;
    if (instant) {
      params.set('time', String(to / 1000));
    } else {
      params.set('start', String(start));
      params.set('end', String(end));
      params.set('step', String(step));
    }
    const url = `${prometheusUrl.replace(/\/$/, '')}/api/v1/${instant ? 'query' : 'query_range'}`;
    const res = await doFetch(url, { method: 'POST', body: params, headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    const body = (await res.json()) as PromResponse;
    if (body.status !== 'success' || !body.data) throw new Error(`${refId}: Prometheus rejected ${expr}: ${body.error ?? res.status}`);
    const series = body.data.result.map((r) => {
      const samples = r.values ?? (r.value ? [r.value] : []);
      return { refId, labels: r.metric, times: samples.map(([t]) => Math.round(t * 1000)), values: samples.map(([, v]) => Number(v)) };
    });
    out.push({ refId, expr, instant, series });
  }
  return out;
}
