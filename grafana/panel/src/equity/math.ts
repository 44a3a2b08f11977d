/**
 * The maths behind the equity panel, as plain functions over arrays so they are tested on
 * their own (math.test.ts) and stay fast on a week of 5-second points (~121k samples).
 * Missing samples are `null` or `NaN` and never break a running maximum.
 */

/** A numeric column: Grafana field values, typed arrays, or plain arrays. */
export type Values = ArrayLike<number | null | undefined>;

const isNum = (v: number | null | undefined): v is number => typeof v === 'number' && Number.isFinite(v);

/**
 * Running maximum ("high-water mark") of `values`. Before the first finite value it is NaN;
 * after that a missing value repeats the mark so far.
 */
export function highWaterMark(values: Values): Float64Array {
  const out = new Float64Array(values.length);
  let peak = Number.NaN;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (isNum(v) && !(v <= peak)) {
      peak = v;
    }
    out[i] = peak;
  }
  return out;
}

/** Drawdown at every sample, below its high-water mark. */
export interface Drawdown {
  /** value − high-water mark (≤ 0, in the value's unit); NaN where the value is missing. */
  absolute: Float64Array;
  /** (value − high-water mark) / high-water mark (≤ 0, a ratio); NaN where undefined (missing or mark ≤ 0). */
  ratio: Float64Array;
}

/** Drawdown of `values` below `hwm` (defaults to {@link highWaterMark} of the values). */
export function drawdown(values: Values, hwm: ArrayLike<number> = highWaterMark(values)): Drawdown {
  const n = values.length;
  const absolute = new Float64Array(n);
  const ratio = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const v = values[i];
    const peak = hwm[i];
    if (!isNum(v) || !Number.isFinite(peak)) {
      absolute[i] = Number.NaN;
      ratio[i] = Number.NaN;
      continue;
    }
    absolute[i] = v - peak;
    // A drawdown ratio only means something against a positive peak (equity can be ≤ 0 on margin).
    ratio[i] = peak > 0 ? (v - peak) / peak : Number.NaN;
  }
  return { absolute, ratio };
}

/** The deepest drawdown: where it peaked, where it bottomed, and how deep. */
export interface MaxDrawdown {
  /** Deepest (most negative) absolute drawdown, 0 when equity never fell. */
  absolute: number;
  /** Its ratio against the peak (≤ 0), 0 when equity never fell; NaN without a positive peak. */
  ratio: number;
  peakIndex: number;
  troughIndex: number;
}

/**
 * Maximum drawdown by ratio (the usual definition: the worst fall from a running peak,
 * relative to that peak). Returns undefined when there is no finite value.
 */
export function maxDrawdown(values: Values): MaxDrawdown | undefined {
  let peak = Number.NaN;
  let peakIndex = -1;
  let best: MaxDrawdown | undefined;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (!isNum(v)) {
      continue;
    }
    if (!(v <= peak)) {
      peak = v;
      peakIndex = i;
    }
    const abs = v - peak;
    const ratio = peak > 0 ? abs / peak : Number.NaN;
    if (!best) {
      best = { absolute: 0, ratio: peak > 0 ? 0 : Number.NaN, peakIndex: i, troughIndex: i };
    }
    const deeper = Number.isFinite(ratio) && Number.isFinite(best.ratio) ? ratio < best.ratio : abs < best.absolute;
    if (deeper) {
      best = { absolute: abs, ratio, peakIndex, troughIndex: i };
    }
  }
  return best;
}

/**
 * Indices to keep so that a series of `times.length` points drawn `buckets` pixels wide
 * looks the same as the whole series: per pixel bucket the first and last point and the
 * minimum and maximum of every `keep` series (M4 aggregation), so peaks and the deepest
 * drawdown are never lost. Returns every index when there are no more points than 4 per
 * bucket. Times must be ascending.
 */
export function downsampleIndices(times: ArrayLike<number>, keep: Values[], buckets: number): Uint32Array {
  const n = times.length;
  const b = Math.max(1, Math.floor(buckets));
  if (n <= b * 4) {
    return Uint32Array.from({ length: n }, (_, i) => i);
  }
  const t0 = times[0];
  const span = times[n - 1] - t0 || 1;
  const picked: number[] = [];
  let start = 0;
  while (start < n) {
    const bucket = Math.min(b - 1, Math.floor(((times[start] - t0) / span) * b));
    let end = start + 1;
    while (end < n && Math.min(b - 1, Math.floor(((times[end] - t0) / span) * b)) === bucket) {
      end++;
    }
    const chosen = new Set<number>([start, end - 1]);
    for (const series of keep) {
      let lo = -1;
      let hi = -1;
      for (let i = start; i < end; i++) {
        const v = series[i];
        if (!isNum(v)) {
          continue;
        }
        if (lo < 0 || v < (series[lo] as number)) {
          lo = i;
        }
        if (hi < 0 || v > (series[hi] as number)) {
          hi = i;
        }
      }
      if (lo >= 0) {
        chosen.add(lo);
      }
      if (hi >= 0) {
        chosen.add(hi);
      }
    }
    picked.push(...[...chosen].sort((x, y) => x - y));
    start = end;
  }
  return Uint32Array.from(picked);
}

/** `values` at the given indices (for the columns of a downsampled plot). */
export function pick(values: Values, indices: ArrayLike<number>): Array<number | null> {
  const out = new Array<number | null>(indices.length);
  for (let i = 0; i < indices.length; i++) {
    const v = values[indices[i]];
    out[i] = isNum(v) ? v : null;
  }
  return out;
}

/** A trade marker: `count` fills happened between the previous sample and `time`. */
export interface TradeMarker {
  time: number;
  count: number;
}

/**
 * Trade markers from a fills counter (trader_executions_total): one marker wherever the
 * counter rose, with how many fills that was. A drop is a counter reset (exporter restart):
 * the value after it counts as new fills, as Prometheus's increase() does.
 */
export function counterIncreases(times: ArrayLike<number>, values: Values): TradeMarker[] {
  const out: TradeMarker[] = [];
  let prev = Number.NaN;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (!isNum(v)) {
      continue;
    }
    if (Number.isFinite(prev)) {
      const delta = v >= prev ? v - prev : v;
      if (delta > 0) {
        out.push({ time: times[i], count: Math.round(delta) });
      }
    }
    prev = v;
  }
  return out;
}

/**
 * The value of a step series (`times`, `values`) at each of `at` (the last sample at or
 * before it; NaN before the first). Used to line a limit series up with the equity samples.
 */
export function stepAt(times: ArrayLike<number>, values: Values, at: ArrayLike<number>): Float64Array {
  const out = new Float64Array(at.length);
  let j = -1;
  for (let i = 0; i < at.length; i++) {
    while (j + 1 < times.length && times[j + 1] <= at[i]) {
      j++;
    }
    const v = j >= 0 ? values[j] : undefined;
    out[i] = isNum(v) ? v : Number.NaN;
  }
  return out;
}

/** Index of the sample nearest to `time` in ascending `times` (binary search); -1 when empty. */
export function nearestIndex(times: ArrayLike<number>, time: number): number {
  const n = times.length;
  if (n === 0) {
    return -1;
  }
  let lo = 0;
  let hi = n - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (times[mid] < time) {
      lo = mid + 1;
    } else {
      hi = mid;
    }
  }
  if (lo > 0 && Math.abs(times[lo - 1] - time) <= Math.abs(times[lo] - time)) {
    return lo - 1;
  }
  return lo;
}
