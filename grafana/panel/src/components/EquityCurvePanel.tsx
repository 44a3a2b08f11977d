import React, { useMemo } from 'react';
import { css } from '@emotion/css';
import { dateTimeFormat, GrafanaTheme2, PanelProps } from '@grafana/data';
import { PanelDataErrorView } from '@grafana/runtime';
import { DashboardCursorSync } from '@grafana/schema';
import {
  EventBusPlugin,
  TooltipPlugin2,
  UPlotChart,
  type UPlotConfigBuilder,
  usePanelContext,
  useStyles2,
  useTheme2,
} from '@grafana/ui';
import type { AlignedData } from 'uplot';
import { prepareEquity, PreparedEquity } from '../equity/prepare';
import { EquityCurveOptions } from '../types';
import { drawdownConfig, equityColours, equityConfig, moneyFormatter, percentFormatter } from './plotConfig';

/** Height of the summary line above the charts, in pixels. */
const SUMMARY_HEIGHT = 24;
/** Grafana's uPlot sync key for panels of a dashboard that shares the crosshair. */
const GLOBAL_SYNC_KEY = '__global_';
/** TooltipHoverMode.xAll (a const enum in @grafana/ui, so not importable at runtime). */
const HOVER_X_ALL = 1;

type Props = PanelProps<EquityCurveOptions>;

/**
 * Equity curve with its high-water mark, the drawdown below it as an underwater area, fill
 * markers and the drawdown limit. Without equity data it shows Grafana's own no-data view.
 */
export const EquityCurvePanel: React.FC<Props> = ({
  id,
  data,
  width,
  height,
  options,
  fieldConfig,
  timeRange,
  timeZone,
  eventBus,
}) => {
  const { theme, styles } = useThemed();
  const panelContext = usePanelContext();
  const sync = panelContext.sync?.() ?? DashboardCursorSync.Off;
  // Without dashboard sync the two charts still share one cursor (a key of their own).
  const syncKey = sync === DashboardCursorSync.Off ? `equitycurve-${id}` : GLOBAL_SYNC_KEY;

  const prepared = useMemo(() => prepareEquity(data.series, options, width), [data.series, options, width]);

  const chartsHeight = Math.max(0, height - SUMMARY_HEIGHT);
  const ddHeight = Math.round((chartsHeight * Math.min(80, Math.max(10, options.drawdownHeightPercent))) / 100);
  const eqHeight = chartsHeight - ddHeight;

  // A new time range (each refresh) rebuilds the two small configs; uPlot init is cheap on
  // downsampled data, and the x scale then always matches the dashboard's range.
  const fromMs = timeRange.from.valueOf();
  const toMs = timeRange.to.valueOf();

  const configs = useMemo(() => {
    if (!prepared) {
      return undefined;
    }
    const common = { theme, timeZone, range: { from: fromMs, to: toMs }, syncKey };
    return {
      equity: equityConfig({
        ...common,
        prepared,
        showXAxis: false,
        showHighWater: options.showHighWater,
        showMarkers: options.showMarkers,
      }),
      drawdown: drawdownConfig({ ...common, prepared, showXAxis: true }),
    };
  }, [prepared, theme, timeZone, syncKey, options.showHighWater, options.showMarkers, fromMs, toMs]);

  if (!prepared || !configs) {
    return <PanelDataErrorView panelId={id} fieldConfig={fieldConfig} data={data} needsTimeField needsNumberField />;
  }

  const eqData: AlignedData = [prepared.times, prepared.equity, prepared.highWater];
  const ddData: AlignedData = [
    prepared.times,
    prepared.drawdownRatio,
    prepared.limit ?? prepared.times.map(() => null),
  ];
  // Both charts show the same tooltip (every value at the hovered instant), in the dashboard's sync scope.
  const tooltip = (config: UPlotConfigBuilder) => (
    <TooltipPlugin2
      config={config}
      hoverMode={HOVER_X_ALL}
      syncMode={sync}
      syncScope={panelContext.eventsScope}
      render={(_u: unknown, idxs: Array<number | null>) => (
        <EquityTooltip prepared={prepared} index={idxs.find((i) => i != null) ?? null} timeZone={timeZone} />
      )}
    />
  );

  return (
    <div className={styles.wrapper} data-testid="equity-curve-panel">
      <Summary prepared={prepared} />
      <UPlotChart config={configs.equity} data={eqData} width={width} height={eqHeight}>
        {sync !== DashboardCursorSync.Off && <EventBusPlugin config={configs.equity} eventBus={eventBus} />}
        {tooltip(configs.equity)}
      </UPlotChart>
      <UPlotChart config={configs.drawdown} data={ddData} width={width} height={ddHeight}>
        {tooltip(configs.drawdown)}
      </UPlotChart>
    </div>
  );
};

/** One line of current values above the charts, each with its line's colour. */
const Summary: React.FC<{ prepared: PreparedEquity }> = ({ prepared }) => {
  const { theme, styles } = useThemed();
  const colours = equityColours(theme, prepared.field);
  const money = moneyFormatter(prepared.field, theme);
  const pct = percentFormatter(2);
  const s = prepared.summary;
  const items: Array<[string, string, string]> = [
    ['Equity', money(s.last), colours.equity],
    ['High-water', money(s.highWater), colours.highWater],
    ['Drawdown', `${pct(s.drawdownRatio)} (${money(s.drawdownAbsolute)})`, colours.drawdown],
    ['Max drawdown', pct(s.max?.ratio), colours.drawdown],
  ];
  if (prepared.limit) {
    const last = prepared.limit[prepared.limit.length - 1];
    items.push(['Limit', pct(last), colours.limit]);
  }
  items.push(['Fills', String(s.fills), colours.buy]);
  return (
    <div className={styles.summary} data-testid="equity-summary">
      {items.map(([label, value, colour]) => (
        <span key={label} className={styles.item} data-testid={`summary-${label}`}>
          <span className={styles.swatch} style={{ background: colour }} data-testid={`swatch-${label}`} />
          <span className={styles.label}>{label}</span>
          <span className={styles.value}>{value}</span>
        </span>
      ))}
    </div>
  );
};

/** Tooltip at a hovered sample: time, equity, high-water mark, drawdown and nearby fills. */
const EquityTooltip: React.FC<{ prepared: PreparedEquity; index: number | null; timeZone: string }> = ({
  prepared,
  index,
  timeZone,
}) => {
  const { theme, styles } = useThemed();
  if (index === null) {
    return null;
  }
  const money = moneyFormatter(prepared.field, theme, timeZone);
  const pct = percentFormatter(2);
  const time = prepared.times[index];
  const prev = index > 0 ? prepared.times[index - 1] : -Infinity;
  const fills = prepared.markers.filter((m) => m.time > prev && m.time <= time);
  const rows: Array<[string, string]> = [
    ['Equity', money(prepared.equity[index])],
    ['High-water', money(prepared.highWater[index])],
    ['Drawdown', `${pct(prepared.drawdownRatio[index])} (${money(prepared.drawdownAbsolute[index])})`],
  ];
  if (prepared.limit) {
    rows.push(['Limit', pct(prepared.limit[index])]);
  }
  for (const f of fills) {
    rows.push([`Fills ${f.side || ''}`.trim(), String(f.count)]);
  }
  return (
    <div className={styles.tooltip} data-testid="equity-tooltip">
      <div className={styles.tooltipTime}>{dateTimeFormat(time, { timeZone })}</div>
      {rows.map(([k, v]) => (
        <div key={k} className={styles.tooltipRow}>
          <span className={styles.label}>{k}</span>
          <span className={styles.value}>{v}</span>
        </div>
      ))}
    </div>
  );
};

/** The theme and this file's styles, which each component here draws with. */
function useThemed() {
  return { theme: useTheme2(), styles: useStyles2(getStyles) };
}

const getStyles = (theme: GrafanaTheme2) => ({
  wrapper: css({ position: 'relative', overflow: 'hidden' }),
  summary: css({
    display: 'flex',
    gap: theme.spacing(2),
    height: SUMMARY_HEIGHT,
    alignItems: 'center',
    overflow: 'hidden',
    whiteSpace: 'nowrap',
    fontSize: theme.typography.bodySmall.fontSize,
    color: theme.colors.text.primary,
  }),
  item: css({ display: 'inline-flex', alignItems: 'center', gap: theme.spacing(0.5) }),
  swatch: css({ display: 'inline-block', width: 10, height: 3, borderRadius: theme.shape.radius.default }),
  label: css({ color: theme.colors.text.secondary }),
  value: css({ fontWeight: theme.typography.fontWeightMedium, fontVariantNumeric: 'tabular-nums' }),
  tooltip: css({ padding: theme.spacing(1), minWidth: 180 }),
  tooltipTime: css({ fontWeight: theme.typography.fontWeightMedium, marginBottom: theme.spacing(0.5) }),
  tooltipRow: css({ display: 'flex', justifyContent: 'space-between', gap: theme.spacing(2) }),
});
