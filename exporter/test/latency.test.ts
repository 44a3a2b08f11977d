import { describe, expect, it } from 'vitest';
import { LatencyWindows, WindowStats } from '../src/accounting/latency.js';
import { DEFAULT_LATENCY_BUCKETS, latencyBuckets } from '../src/metrics/latency.js';

describe('trailing latency window', () => {
  it('gives the largest sample of the last window and forgets older ones', () => {
    const w = new WindowStats(60_000);
    w.add(0, 0.2);
    w.add(10_000, 1.5);
    w.add(20_000, 0.3);
    expect(w.max(20_000)).toBe(1.5);
    expect(w.mean(20_000)).toBeCloseTo(2 / 3);
    expect(w.max(69_999)).toBe(1.5);
    expect(w.max(70_000)).toBe(0.3); // the 1.5 s sample is exactly one window old
    expect(w.max(80_001)).toBe(0);
    expect(w.mean(80_001)).toBeUndefined();
  });

  it('one slow order is enough to raise the max, whatever the volume of fast ones', () => {
    const w = new WindowStats(60_000);
    for (let i = 0; i < 10_000; i++) w.add(i, i === 5000 ? 2.5 : 0.01);
    expect(w.max(10_000)).toBe(2.5);
    expect(w.count(10_000)).toBe(10_000);
  });

  it('stays correct after compaction of a long stream', () => {
    const w = new WindowStats(1000);
    for (let t = 0; t < 50_000; t++) w.add(t, (t % 997) / 1000);
    let expected = 0;
    for (let t = 49_000 + 1; t < 50_000; t++) expected = Math.max(expected, (t % 997) / 1000);
    expect(w.max(49_999)).toBe(expected);
  });

  it('keeps series apart by account and stage', () => {
    const l = new LatencyWindows(60_000);
    l.add('DU1', 'ack', 0, 0.1);
    l.add('DU1', 'fill', 0, 0.9);
    l.add('DU2', 'fill', 0, 0.4);
    expect(l.get('DU1', 'fill')?.max(1)).toBe(0.9);
    expect(l.keys()).toHaveLength(3);
  });
});

describe('latency histogram buckets', () => {
  it.each([
    [[1], DEFAULT_LATENCY_BUCKETS],
    [[0.2], [...DEFAULT_LATENCY_BUCKETS, 0.2].sort((a, b) => a - b)],
    [[0.35, 1.2], [...DEFAULT_LATENCY_BUCKETS, 0.35, 1.2].sort((a, b) => a - b)],
  ])('thresholds %j give sorted unique bounds that include them', (thresholds, expected) => {
    const b = latencyBuckets(thresholds);
    expect(b).toEqual(expected);
    for (const t of thresholds) expect(b).toContain(t);
  });
});
