/**
 * Small helpers shared by the dashboards: grid placement, Prometheus queries and the
 * standard options we use everywhere. Colours are Grafana's named palette colours (resolved
 * by the theme, so they suit dark and light) or field colour schemes; never hex or rgb.
 */
import * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';
import { DataqueryBuilder, PromQueryFormat } from '@grafana/grafana-foundation-sdk/prometheus';
import { PROMETHEUS } from '../datasources.js';

/** A panel position on Grafana's 24-column grid. */
export function grid(x: number, y: number, w: number, h: number): dashboard.GridPos {
  return { x, y, w, h };
}

/** Options of one Prometheus query. */
export interface QueryOptions {
  /** Legend template, e.g. `{{component}}`. */
  legend?: string;
  /** An instant query (the latest value) instead of a range. */
  instant?: boolean;
  /** Return a table frame (positions, firing alerts). */
  table?: boolean;
  /** Hide the query's own result (used by expressions only). */
  hide?: boolean;
  /** Query resolution; Grafana's default follows the panel width. */
  interval?: string;
}

/** A Prometheus query on the provisioned data source. */
export function prom(refId: string, expr: string, options: QueryOptions = {}): DataqueryBuilder {
  const q = new DataqueryBuilder().datasource(PROMETHEUS).refId(refId).expr(expr);
  if (options.legend !== undefined) q.legendFormat(options.legend);
  if (options.instant) q.instant();
  else q.range();
  if (options.table) q.format(PromQueryFormat.Table);
  if (options.hide) q.hide(true);
  if (options.interval) q.interval(options.interval);
  return q;
}

/** Thresholds from Grafana's named colours: `[[null,'green'],[0,'red']]` style steps. */
export function thresholds(...steps: Array<[number | null, NamedColour]>): dashboard.ThresholdsConfigBuilder {
  return new dashboard.ThresholdsConfigBuilder()
    .mode(dashboard.ThresholdsMode.Absolute)
    .steps(steps.map(([value, color]) => ({ value, color })));
}

/** Grafana's named palette colours: the theme maps them to a dark- or light-mode shade. */
export type NamedColour = 'green' | 'red' | 'orange' | 'yellow' | 'blue' | 'purple' | 'text' | 'transparent';

/** A colour scheme from Grafana's standard options. */
export function colour(mode: dashboard.FieldColorModeId): dashboard.FieldColorBuilder {
  return new dashboard.FieldColorBuilder().mode(mode);
}

/** Value mapping for 0/1 health gauges: 1 → ok text, 0 → bad text, coloured by name. */
export function upDownMapping(up: string, down: string): dashboard.ValueMap {
  return {
    type: dashboard.MappingType.ValueToText,
    options: {
      '1': { text: up, color: 'green', index: 0 },
      '0': { text: down, color: 'red', index: 1 },
    },
  };
}

/**
 * Grafana unit for money. Money metrics are plain numbers in the account currency (contract:
 * `currency` label); Grafana has no unit from a label, so the generator takes one unit.
 * @default 'currencyUSD'
 */
export interface DashboardOptions {
  moneyUnit?: string;
}

/** Applies defaults to {@link DashboardOptions}. */
export function defaults(options: DashboardOptions = {}): Required<DashboardOptions> {
  return { moneyUnit: options.moneyUnit ?? 'currencyUSD' };
}

/** The alerts configuration page (`traderadmin page`, alerts_page.listen), linked from every dashboard. */
export const ALERTS_PAGE_URL = 'http://127.0.0.1:9096/';

/** The dashboard link to the alerts configuration page. */
export function alertsPageLink(): dashboard.DashboardLinkBuilder {
  return new dashboard.DashboardLinkBuilder('Alerts configuration')
    .type(dashboard.DashboardLinkType.Link)
    .url(ALERTS_PAGE_URL)
    .icon('cog')
    .tooltip('Thresholds and notification channels: edit, test and apply')
    .targetBlank(true);
}
