import { describe, expect, it } from 'vitest';
import { backoffDelay } from '../src/backoff.js';

describe('backoffDelay (equal jitter: in [d/2, d], d = min·2^(failures-1) capped)', () => {
  it.each([
    // [failures, minMs, maxMs, random, delay]
    [1, 1000, 8000, 0, 500],
    [1, 1000, 8000, 1, 1000],
    [3, 1000, 8000, 0, 2000],
    [3, 1000, 8000, 1, 4000],
    [10, 1000, 8000, 0, 4000],
    [10, 1000, 8000, 1, 8000],
    [5, 1000, 30_000, 1, 16_000],
    [1001, 1000, 30_000, 0.5, 22_500],
    [0, 1000, 8000, 1, 1000], // no failure yet counts as the first
  ])('after %i failures (min %i, max %i, random %d) waits %i ms', (failures, minMs, maxMs, r, delay) => {
    expect(backoffDelay(failures, { minMs, maxMs, random: () => r })).toBe(delay);
  });
});
