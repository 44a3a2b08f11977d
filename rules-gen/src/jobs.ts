/** Scrape job names in prometheus.yml (also used by the rules and their tests). */
export const JOBS = {
  exporter: 'trader-exporter',
  bridge: 'alert-bridge',
  prometheus: 'prometheus',
  alertmanager: 'alertmanager',
  supervisor: 'traderadmin-up',
} as const;

/**
 * The exporter's per-position series, scraped on a slower job of their own: no rule reads them,
 * and at fund size (10 accounts × 1,000 positions) they are 50,000 of the exporter's series,
 * which a 1 s scrape of everything could not ingest in half its interval on a small machine.
 */
export const POSITIONS_JOB = 'trader-exporter-positions';
/** `/metrics?scope=…`: what each exporter job asks for (exporter/src/http/server.ts). */
export const EXPORTER_SCOPES = { account: 'account', positions: 'positions' } as const;

/** A duration in Prometheus/Alertmanager syntax: 90 → "90s", 900 → "15m", 3600 → "1h". */
export function duration(seconds: number): string {
  if (seconds === 0) return '0s';
  if (seconds % 3600 === 0) return `${seconds / 3600}h`;
  if (seconds % 60 === 0) return `${seconds / 60}m`;
  return `${seconds}s`;
}
