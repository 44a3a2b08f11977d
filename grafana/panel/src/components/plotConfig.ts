/**
 * uPlot configurations of the two stacked charts (equity above, underwater drawdown below),
 * built with Grafana's UPlotConfigBuilder so axes, fonts and grid look like Grafana's own
 * time series. Colours come only from the theme.
 */
import {
  colorManipulator,
  Field,
  formattedValueToString,
  getDisplayProcessor,
  getValueFormat,
  GrafanaTheme2,
} from '@grafana/data';
import {
  AxisPlacement,
  GraphDrawStyle,
  LineInterpolation,
  ScaleDirection,
  ScaleOrientation,
  TimeZone,
  VisibilityMode,
} from '@grafana/schema';
import { UPlotConfigBuilder } from '@grafana/ui';
// Types only: the plot instances are created by Grafana's own uPlot (inside @grafana/ui).
import type uPlot from 'uplot';
import { PlacedMarker, PreparedEquity } from '../equity/prepare';

/** Theme colours of every element; exported so tests can check them per theme. */
export function equityColours(theme: GrafanaTheme2, field?: Field) {
  const fixed = field?.config.color?.mode === 'fixed' ? field.config.color.fixedColor : undefined;
  return {
    equity: theme.visualization.getColorByName(fixed ?? 'blue'),
    highWater: theme.colors.text.secondary,
    drawdown: theme.colors.error.main,
    drawdownFill: colorManipulator.alpha(theme.colors.error.main, 0.25),
    limit: theme.colors.warning.main,
    buy: theme.colors.success.main,
    sell: theme.visualization.getColorByName('orange'),
  };
}

/** Formats money like the equity field (unit and decimals from Grafana's standard options). */
export function moneyFormatter(field: Field, theme: GrafanaTheme2, timeZone?: TimeZone) {
  const display = field.display ?? getDisplayProcessor({ field, theme, timeZone });
  return (v: number | null | undefined) =>
    v === null || v === undefined || !Number.isFinite(v) ? '–' : formattedValueToString(display(v));
}

/** Formats a ratio as a percentage with Grafana's percentunit format. */
export function percentFormatter(decimals = 2) {
  const fmt = getValueFormat('percentunit');
  return (v: number | null | undefined) =>
    v === null || v === undefined || !Number.isFinite(v) ? '–' : formattedValueToString(fmt(v, decimals));
}

interface CommonProps {
  theme: GrafanaTheme2;
  timeZone: TimeZone;
  /** The panel's time range, epoch ms. */
  range: { from: number; to: number };
  /** uPlot cursor sync key: Grafana's global key when the dashboard shares the crosshair. */
  syncKey: string;
  /** Hide this chart's x axis (the top chart shares the bottom chart's). */
  showXAxis: boolean;
}

function base(p: CommonProps): UPlotConfigBuilder {
  const b = new UPlotConfigBuilder(p.timeZone);
  b.setCursor({
    sync: { key: p.syncKey, scales: ['x', null] },
    points: { show: false },
  });
  b.addScale({
    scaleKey: 'x',
    isTime: true,
    orientation: ScaleOrientation.Horizontal,
    direction: ScaleDirection.Right,
    range: () => [p.range.from, p.range.to],
  });
  b.addAxis({
    scaleKey: 'x',
    isTime: true,
    placement: p.showXAxis ? AxisPlacement.Bottom : AxisPlacement.Hidden,
    show: p.showXAxis,
    timeZone: p.timeZone,
    theme: p.theme,
  });
  // Fixed side padding: uPlot's automatic padding depends on the tick labels, and the two
  // stacked charts must map the same time to the same pixel.
  const unit = p.theme.spacing.gridSize;
  b.setPadding([unit, unit * 3, p.showXAxis ? 0 : unit, 0]);
  return b;
}

/** The equity chart: equity, high-water mark and fill markers. */
export function equityConfig(
  p: CommonProps & { prepared: PreparedEquity; showHighWater: boolean; showMarkers: boolean }
): UPlotConfigBuilder {
  const { theme, prepared } = p;
  const colours = equityColours(theme, prepared.field);
  const money = moneyFormatter(prepared.field, theme, p.timeZone);
  const b = base(p);
  b.addScale({
    scaleKey: 'equity',
    orientation: ScaleOrientation.Vertical,
    direction: ScaleDirection.Up,
    decimals: prepared.field.config.decimals,
  });
  b.addAxis({ scaleKey: 'equity', placement: AxisPlacement.Left, theme, formatValue: (v) => money(v), size: 80 });
  b.addSeries({
    scaleKey: 'equity',
    theme,
    drawStyle: GraphDrawStyle.Line,
    lineInterpolation: LineInterpolation.Linear,
    lineColor: colours.equity,
    lineWidth: 2,
    fillOpacity: 8,
    showPoints: VisibilityMode.Never,
    spanNulls: false,
  });
  b.addSeries({
    scaleKey: 'equity',
    theme,
    show: p.showHighWater,
    drawStyle: GraphDrawStyle.Line,
    lineInterpolation: LineInterpolation.StepAfter,
    lineColor: colours.highWater,
    lineWidth: 1,
    lineStyle: { fill: 'dash', dash: [6, 4] },
    showPoints: VisibilityMode.Never,
    spanNulls: true,
  });
  if (p.showMarkers && prepared.markers.length > 0) {
    b.addHook('draw', (u: uPlot) => drawMarkers(u, prepared.markers, colours));
  }
  return b;
}

/** Draws fills as triangles on the curve: up for buys, down for sells, bigger for more fills. */
function drawMarkers(u: uPlot, markers: PlacedMarker[], colours: ReturnType<typeof equityColours>) {
  const ctx = u.ctx;
  const [xMin, xMax] = [u.scales.x.min ?? -Infinity, u.scales.x.max ?? Infinity];
  const px = typeof devicePixelRatio === 'number' ? devicePixelRatio : 1;
  ctx.save();
  ctx.beginPath();
  ctx.rect(u.bbox.left, u.bbox.top, u.bbox.width, u.bbox.height);
  ctx.clip();
  for (const m of markers) {
    if (m.time < xMin || m.time > xMax) {
      continue;
    }
    const x = u.valToPos(m.time, 'x', true);
    const y = u.valToPos(m.value, 'equity', true);
    const size = (4 + Math.min(4, Math.log2(m.count + 1))) * px;
    const sell = m.side === 'sell';
    ctx.fillStyle = sell ? colours.sell : colours.buy;
    ctx.beginPath();
    if (sell) {
      ctx.moveTo(x - size, y - size * 1.6);
      ctx.lineTo(x + size, y - size * 1.6);
      ctx.lineTo(x, y - size * 0.2);
    } else {
      ctx.moveTo(x - size, y + size * 1.6);
      ctx.lineTo(x + size, y + size * 1.6);
      ctx.lineTo(x, y + size * 0.2);
    }
    ctx.closePath();
    ctx.fill();
  }
  ctx.restore();
}

/** The underwater chart: drawdown below the high-water mark (ratio) and the limit line. */
export function drawdownConfig(p: CommonProps & { prepared: PreparedEquity }): UPlotConfigBuilder {
  const { theme, prepared } = p;
  const colours = equityColours(theme, prepared.field);
  const pct = percentFormatter(1);
  const b = base(p);
  let deepest = 0;
  for (const v of prepared.drawdownRatio) {
    if (v !== null && v < deepest) {
      deepest = v;
    }
  }
  for (const v of prepared.limit ?? []) {
    if (v !== null && v < deepest) {
      deepest = v;
    }
  }
  // Zero at the top edge; a little room below the deepest point (or 1 % when flat).
  const bottom = deepest < 0 ? deepest * 1.15 : -0.01;
  b.addScale({
    scaleKey: 'drawdown',
    orientation: ScaleOrientation.Vertical,
    direction: ScaleDirection.Up,
    range: () => [bottom, 0],
  });
  b.addAxis({
    scaleKey: 'drawdown',
    placement: AxisPlacement.Left,
    theme,
    formatValue: (v) => pct(v),
    size: 80,
    space: 20,
  });
  b.addSeries({
    scaleKey: 'drawdown',
    theme,
    drawStyle: GraphDrawStyle.Line,
    lineInterpolation: LineInterpolation.Linear,
    lineColor: colours.drawdown,
    lineWidth: 1,
    fillColor: colours.drawdownFill,
    fillOpacity: 100,
    showPoints: VisibilityMode.Never,
    spanNulls: false,
  });
  b.addSeries({
    scaleKey: 'drawdown',
    theme,
    show: prepared.limit !== undefined,
    drawStyle: GraphDrawStyle.Line,
    lineInterpolation: LineInterpolation.StepAfter,
    lineColor: colours.limit,
    lineWidth: 1.5,
    lineStyle: { fill: 'dash', dash: [8, 4] },
    showPoints: VisibilityMode.Never,
    spanNulls: true,
  });
  return b;
}
