/**
 * Turns the panel's query results into what the charts draw: the equity series downsampled
 * to the pixel width, its high-water mark and drawdown (computed on every raw sample first,
 * so downsampling never changes them), fill markers, the drawdown limit and summary values.
 */
import { DataFrame, Field, FieldType } from '@grafana/data';
import { EquityCurveOptions } from '../types';
import {
  counterIncreases,
  downsampleIndices,
  drawdown,
  highWaterMark,
  maxDrawdown,
  MaxDrawdown,
  nearestIndex,
  pick,
  stepAt,
} from './math';

/** A fill marker placed on the equity curve. */
export interface PlacedMarker {
  time: number;
  /** Equity at the nearest sample, where the marker is drawn. */
  value: number;
  count: number;
  /** `side` label of the executions series (buy, sell), or '' without one. */
  side: string;
}

/** Everything the panel draws. Arrays are aligned on `times` (the downsampled samples). */
export interface PreparedEquity {
  /** The equity field as Grafana gave it (its config carries unit, decimals and colour). */
  field: Field;
  times: number[];
  equity: Array<number | null>;
  highWater: Array<number | null>;
  /** Drawdown ratio (≤ 0). */
  drawdownRatio: Array<number | null>;
  /** Drawdown in money (≤ 0). */
  drawdownAbsolute: Array<number | null>;
  /** Drawdown limit as a negative ratio per sample, or undefined when none is configured. */
  limit?: Array<number | null>;
  markers: PlacedMarker[];
  /** Samples before downsampling. */
  rawPoints: number;
  summary: {
    last?: number;
    highWater?: number;
    drawdownRatio?: number;
    drawdownAbsolute?: number;
    max?: MaxDrawdown;
    fills: number;
  };
}

const timeField = (frame: DataFrame) => frame.fields.find((f) => f.type === FieldType.time);
const numberField = (frame: DataFrame) => frame.fields.find((f) => f.type === FieldType.number);
const usable = (frame: DataFrame) => frame.length > 0 && !!timeField(frame) && !!numberField(frame);

/** The frame holding equity: the one with the configured refId, else the first other usable frame. */
export function findEquityFrame(series: DataFrame[], options: EquityCurveOptions): DataFrame | undefined {
  const other = new Set([options.executionsRefId, options.limitRefId]);
  return (
    series.find((f) => f.refId === options.equityRefId && usable(f)) ??
    series.find((f) => !other.has(f.refId ?? '') && usable(f))
  );
}

/** Prepares the panel for `width` pixels; undefined when there is no equity to draw. */
export function prepareEquity(
  series: DataFrame[],
  options: EquityCurveOptions,
  width: number
): PreparedEquity | undefined {
  const frame = findEquityFrame(series, options);
  if (!frame) {
    return undefined;
  }
  const tField = timeField(frame)!;
  const vField = numberField(frame)!;
  const rawTimes = tField.values as number[];
  const rawValues = vField.values as Array<number | null>;

  const hwm = highWaterMark(rawValues);
  const dd = drawdown(rawValues, hwm);

  // The limit: a series (ratio 0..1) when the query exists, else the panel option in percent.
  let rawLimit: Float64Array | undefined;
  const limitFrame = series.find((f) => f.refId === options.limitRefId && usable(f));
  if (limitFrame) {
    rawLimit = stepAt(
      timeField(limitFrame)!.values as number[],
      numberField(limitFrame)!.values as number[],
      rawTimes
    ).map((v) => -Math.abs(v));
  } else if (options.drawdownLimitPercent > 0) {
    rawLimit = new Float64Array(rawTimes.length).fill(-options.drawdownLimitPercent / 100);
  }

  const idx = downsampleIndices(rawTimes, [rawValues, dd.ratio], Math.max(1, width));

  const markers: PlacedMarker[] = [];
  for (const f of series) {
    if (f.refId !== options.executionsRefId || !usable(f)) {
      continue;
    }
    const vf = numberField(f)!;
    const side = vf.labels?.side ?? '';
    for (const m of counterIncreases(timeField(f)!.values as number[], vf.values as number[])) {
      const at = nearestIndex(rawTimes, m.time);
      const value = rawValues[at];
      if (at >= 0 && typeof value === 'number' && Number.isFinite(value)) {
        markers.push({ ...m, value, side });
      }
    }
  }
  markers.sort((a, b) => a.time - b.time);

  let lastIdx = rawValues.length - 1;
  while (lastIdx >= 0 && !(typeof rawValues[lastIdx] === 'number' && Number.isFinite(rawValues[lastIdx]))) {
    lastIdx--;
  }
  const finite = (v: number) => (Number.isFinite(v) ? v : undefined);

  return {
    field: vField,
    times: pick(rawTimes, idx) as number[],
    equity: pick(rawValues, idx),
    highWater: pick(hwm, idx),
    drawdownRatio: pick(dd.ratio, idx),
    drawdownAbsolute: pick(dd.absolute, idx),
    limit: rawLimit ? pick(rawLimit, idx) : undefined,
    markers,
    rawPoints: rawValues.length,
    summary: {
      last: lastIdx >= 0 ? (rawValues[lastIdx] as number) : undefined,
      highWater: lastIdx >= 0 ? finite(hwm[lastIdx]) : undefined,
      drawdownRatio: lastIdx >= 0 ? finite(dd.ratio[lastIdx]) : undefined,
      drawdownAbsolute: lastIdx >= 0 ? finite(dd.absolute[lastIdx]) : undefined,
      max: maxDrawdown(rawValues),
      fills: markers.reduce((n, m) => n + m.count, 0),
    },
  };
}
