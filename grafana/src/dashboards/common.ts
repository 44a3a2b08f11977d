/**
 * Small helpers shared by the dashboards: grid placement, Prometheus queries and the
 * standard options we use everywhere. Colours are Grafana's named palette colours (resolved
 * by the theme, so they suit dark and light) or field colour schemes; never hex or rgb.
 */
import type { Builder } from '@grafana/grafana-foundation-sdk/cog';
import * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';
import { DataqueryBuilder, PromQueryFormat } from '@grafana/grafana-foundation-sdk/prometheus';
import { PanelBuilder as StatPanel } from '@grafana/grafana-foundation-sdk/stat';
import { PanelBuilder as TimeseriesPanel } from '@grafana/grafana-foundation-sdk/timeseries';
import {
  GraphDrawStyle,
  LegendDisplayMode,
  LegendPlacement,
  SortOrder,
  StackingConfigBuilder,
  StackingMode,
  TooltipDisplayMode,
  VizLegendOptionsBuilder,
  VizTooltipOptionsBuilder,
} from '@grafana/grafana-foundation-sdk/common';
import { DASHBOARDS } from '@traderadmin/config';
import { PROMETHEUS } from '../datasources.js';

/** A panel position on Grafana's 24-column grid. */
export function grid(x: number, y: number, w: number, h: number): dashboard.GridPos {
  return { x, y, w, h };
}

/** What every panel builder has: an id and a place on the grid. */
export interface PanelBuilder extends Builder<dashboard.Panel> {
  id(id: number): this;
  gridPos(pos: dashboard.GridPos): this;
}

/** A panel and its place on the grid, as a dashboard's rows list them for {@link placer}. */
export type Placement = [pos: dashboard.GridPos, panel: PanelBuilder];

/** Adds panels to a dashboard in reading order: ids 1, 2, … and each one's place on the grid. */
export function placer(b: dashboard.DashboardBuilder): (pos: dashboard.GridPos, panel: PanelBuilder) => void {
  let id = 0;
  return (pos, panel) => {
    b.withPanel(panel.id(++id).gridPos(pos));
  };
}

/** What a dashboard's header says, beyond what both share. */
export interface DashboardHeader {
  description: string;
  tags: string[];
  /** Auto-refresh interval, e.g. `5s`. */
  refresh: string;
  /** Start of the default time range, e.g. `now-6h`. */
  from: string;
}

/**
 * A read-only dashboard in the browser's time zone, with a shared crosshair: hovering one panel
 * shows the same instant on the others (also in our plugin), and Grafana's built-in annotations.
 * Its uid is the one @traderadmin/config's DASHBOARDS gives `which` (alerts link to it).
 */
export function dashboardHeader(which: keyof typeof DASHBOARDS, title: string, h: DashboardHeader): dashboard.DashboardBuilder {
  return new dashboard.DashboardBuilder(title)
    .uid(DASHBOARDS[which].uid)
    .description(h.description)
    .tags(h.tags)
    .readonly()
    .refresh(h.refresh)
    .time({ from: h.from, to: 'now' })
    .timezone('browser')
    .tooltip(dashboard.DashboardCursorSync.Crosshair)
    .annotation(builtInAnnotations());
}

/** Grafana's own annotations and alerts, hidden from the picker (every dashboard has them). */
function builtInAnnotations(): dashboard.AnnotationQueryBuilder {
  return new dashboard.AnnotationQueryBuilder()
    .name('Annotations & Alerts')
    .builtIn(1)
    .datasource({ type: 'grafana', uid: '-- Grafana --' })
    .enable(true)
    .hide(true)
    .iconColor('blue')
    .type('dashboard');
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

/** A legend as a table below or beside the chart, with `calcs` (e.g. `lastNotNull`) per series. */
export function legendTable(placement: LegendPlacement, calcs: string[]): VizLegendOptionsBuilder {
  return new VizLegendOptionsBuilder().displayMode(LegendDisplayMode.Table).placement(placement).showLegend(true).calcs(calcs);
}

/**
 * A time series on Prometheus with its legend and a tooltip of every series at the hovered
 * instant, largest first. Each dashboard sets its colours and field options.
 */
export function timeseries(title: string, description: string, legend: VizLegendOptionsBuilder): TimeseriesPanel {
  return new TimeseriesPanel()
    .title(title)
    .description(description)
    .datasource(PROMETHEUS)
    .legend(legend)
    .tooltip(new VizTooltipOptionsBuilder().mode(TooltipDisplayMode.Multi).sort(SortOrder.Descending));
}

/** Counts per interval as stacked bars (set after the panel's queries, as the JSON has it). */
export function stackedBars(p: TimeseriesPanel): TimeseriesPanel {
  return p
    .unit('none')
    .decimals(0)
    .drawStyle(GraphDrawStyle.Bars)
    .fillOpacity(70)
    .stacking(new StackingConfigBuilder().mode(StackingMode.Normal).group('A'));
}

/** A stat tile on Prometheus with its title, description and unit; each dashboard sets how it shows the value. */
export function statTile(title: string, unit: string, description: string): StatPanel {
  return new StatPanel().title(title).description(description).datasource(PROMETHEUS).unit(unit);
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
 * What the dashboards take from config.toml (`dashboardOptions(config)`), so that the limits
 * drawn and coloured are the ones the alerts use.
 */
export interface DashboardOptions {
  /**
   * Grafana unit for money when the series carries no known `currency` (contract: money is a
   * plain number labelled `currency`; series whose name ends in a known currency code get that
   * currency's unit, see {@link currencyOverrides}). @default 'currencyUSD'
   */
  moneyUnit?: string;
  /** alerts_config.thresholds.max_portfolio_drawdown_percentage_today. @default 5 */
  drawdownLimitPercent?: number;
  /** alerts_config.thresholds.max_order_latency_ms, in seconds. @default 1 */
  latencyThresholdSeconds?: number;
  /** alerts_config.thresholds.max_api_errors_per_hour. @default 10 */
  maxApiErrorsPerHour?: number;
}

/** Applies defaults to {@link DashboardOptions}. */
export function defaults(options: DashboardOptions = {}): Required<DashboardOptions> {
  return {
    moneyUnit: options.moneyUnit ?? 'currencyUSD',
    drawdownLimitPercent: options.drawdownLimitPercent ?? 5,
    latencyThresholdSeconds: options.latencyThresholdSeconds ?? 1,
    maxApiErrorsPerHour: options.maxApiErrorsPerHour ?? 10,
  };
}

/** The dashboards' options from a loaded config.toml. */
export function dashboardOptions(
  config: {
    alerts_config: {
      thresholds: { max_portfolio_drawdown_percentage_today: number; max_order_latency_ms: number; max_api_errors_per_hour: number };
    };
  },
  moneyUnit?: string,
): DashboardOptions {
  const t = config.alerts_config.thresholds;
  return {
    moneyUnit,
    drawdownLimitPercent: t.max_portfolio_drawdown_percentage_today,
    latencyThresholdSeconds: t.max_order_latency_ms / 1000,
    maxApiErrorsPerHour: t.max_api_errors_per_hour,
  };
}

/** The currencies Grafana has a unit for (currencyXXX). */
export const GRAFANA_CURRENCIES = ['USD', 'EUR', 'GBP', 'JPY', 'CHF', 'DKK', 'NOK', 'SEK', 'CZK', 'PLN', 'INR', 'KRW', 'BRL', 'ZAR', 'ISK'];

/**
 * Field overrides giving each money series the unit of its account's currency: every money
 * query's legend ends with its `currency` label, so a series named "… EUR" is shown in euros.
 */
export function currencyOverrides(): Array<{ matcher: { id: string; options: string }; properties: Array<{ id: string; value: string }> }> {
  return GRAFANA_CURRENCIES.map((code) => ({
    matcher: { id: 'byRegexp', options: `^(.* )?${code}$` },
    properties: [{ id: 'unit', value: `currency${code}` }],
  }));
}

/** The alerts configuration page (`traderadmin page`, alerts_page.listen), linked from every dashboard. */
export const ALERTS_PAGE_URL = 'http://127.0.0.1:9096/';

/** A dashboard link (top right) to a URL, with one of Grafana's icons. */
export function headerLink(title: string, url: string, icon: string): dashboard.DashboardLinkBuilder {
  return new dashboard.DashboardLinkBuilder(title).type(dashboard.DashboardLinkType.Link).url(url).icon(icon);
}

/** The dashboard link to the alerts configuration page. */
export function alertsPageLink(): dashboard.DashboardLinkBuilder {
  return headerLink('Alerts configuration', ALERTS_PAGE_URL, 'cog')
    .tooltip('Thresholds and notification channels: edit, test and apply')
    .targetBlank(true);
}

/** The dashboard link to Grafana's list of the Prometheus alert rules. */
export function alertRulesLink(): dashboard.DashboardLinkBuilder {
  return headerLink('Alert rules', '/alerting/list?search=datasource:Prometheus', 'bell');
}
