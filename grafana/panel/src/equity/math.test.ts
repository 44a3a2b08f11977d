import {
  counterIncreases,
  downsampleIndices,
  drawdown,
  highWaterMark,
  maxDrawdown,
  nearestIndex,
  pick,
  stepAt,
} from './math';

describe('highWaterMark', () => {
  it.each([
    ['rises with new highs and holds through falls', [100, 105, 103, 110, 90], [100, 105, 105, 110, 110]],
    ['is NaN before the first value and holds over gaps', [null, 100, null, 99, 101], [NaN, 100, 100, 100, 101]],
    ['handles negative equity', [-5, -10, -2], [-5, -5, -2]],
  ])('%s', (_name, input, expected) => {
    expect(Array.from(highWaterMark(input))).toEqual(expected);
  });
});

describe('drawdown', () => {
  it('is the distance below the running peak, in money and as a ratio', () => {
    const { absolute, ratio } = drawdown([100, 120, 90, 120, 60]);
    expect(Array.from(absolute)).toEqual([0, 0, -30, 0, -60]);
    expect(Array.from(ratio)).toEqual([0, 0, -0.25, 0, -0.5]);
  });

  it('is NaN where the value is missing, and the ratio is NaN against a non-positive peak', () => {
    const { absolute, ratio } = drawdown([null, 0, -10, NaN]);
    expect(Array.from(absolute)).toEqual([NaN, 0, -10, NaN]);
    expect(Array.from(ratio)).toEqual([NaN, NaN, NaN, NaN]);
  });
});

describe('maxDrawdown', () => {
  it('finds the deepest fall relative to its peak, not the largest in money', () => {
    // 100 → 50 is −50 % ; 1000 → 800 is −200 in money but only −20 %.
    expect(maxDrawdown([100, 50, 1000, 800, 900])).toEqual({
      absolute: -50,
      ratio: -0.5,
      peakIndex: 0,
      troughIndex: 1,
    });
  });

  it('is zero when equity never fell, and undefined without values', () => {
    expect(maxDrawdown([1, 2, 3])).toEqual({ absolute: 0, ratio: 0, peakIndex: 0, troughIndex: 0 });
    expect(maxDrawdown([null, NaN])).toBeUndefined();
  });
});

describe('downsampleIndices', () => {
  it('keeps everything when there are at most 4 points per bucket', () => {
    expect(Array.from(downsampleIndices([0, 1, 2, 3, 4, 5, 6, 7], [[1, 2, 3, 4, 5, 6, 7, 8]], 2))).toEqual([
      0, 1, 2, 3, 4, 5, 6, 7,
    ]);
  });

  it('keeps first, last, min and max of each series per bucket, in time order', () => {
    const times = Array.from({ length: 100 }, (_, i) => i);
    const equity = times.map((i) => (i === 37 ? 500 : i === 12 ? -500 : i));
    const dd = times.map((i) => (i === 60 ? -9 : 0));
    const idx = Array.from(downsampleIndices(times, [equity, dd], 2));
    expect(idx).toEqual(expect.arrayContaining([0, 12, 37, 49, 50, 60, 99]));
    expect([...idx].sort((a, b) => a - b)).toEqual(idx);
    expect(idx.length).toBeLessThanOrEqual(2 * 6);
  });

  it('reduces a week of 5-second points to a few per pixel and keeps the extremes', () => {
    const n = 7 * 24 * 720; // 120,960 samples
    const times = Float64Array.from({ length: n }, (_, i) => 1_700_000_000_000 + i * 5000);
    const equity = Float64Array.from(
      { length: n },
      (_, i) => 100_000 + 1000 * Math.sin(i / 5000) + (i === 77_777 ? -9000 : 0)
    );
    const dd = drawdown(equity).ratio;
    const idx = downsampleIndices(times, [equity, dd], 1000);
    expect(idx.length).toBeLessThanOrEqual(1000 * 6);
    expect(Array.from(idx)).toContain(77_777);
    const kept = pick(equity, idx).filter((v): v is number => v !== null);
    expect(Math.min(...kept)).toBe(Math.min(...equity));
    expect(Math.max(...kept)).toBe(Math.max(...equity));
  });
});

describe('counterIncreases', () => {
  it('marks each rise of the fills counter with its size, and treats a drop as a reset', () => {
    expect(counterIncreases([1, 2, 3, 4, 5, 6, 7], [0, 0, 2, 2, null, 3, 1])).toEqual([
      { time: 3, count: 2 },
      { time: 6, count: 1 },
      { time: 7, count: 1 },
    ]);
  });

  it('does not mark the first sample (its fills happened before the range)', () => {
    expect(counterIncreases([1, 2], [5, 5])).toEqual([]);
  });
});

describe('stepAt and nearestIndex', () => {
  it('holds the last value at or before each time', () => {
    expect(Array.from(stepAt([10, 20], [0.05, 0.03], [5, 10, 15, 25]))).toEqual([NaN, 0.05, 0.05, 0.03]);
  });

  it.each([
    [0, 0],
    [14, 1],
    [16, 2],
    [99, 2],
  ])('nearest index of %d is %d', (t, i) => {
    expect(nearestIndex([0, 10, 20], t)).toBe(i);
  });
});
