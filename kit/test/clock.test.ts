import { describe, expect, it } from 'vitest';
import { ManualClock, systemClock } from '../src/clock.js';

describe('ManualClock', () => {
  it.each([
    // [timers as [delay, name], advance by, fired in order, time after]
    [
      [
        [100, 'a'],
        [50, 'b'],
      ],
      100,
      ['b', 'a'],
      1100,
    ],
    [
      [
        [100, 'a'],
        [100, 'b'],
      ],
      100,
      ['a', 'b'],
      1100,
    ],
    [[[100, 'a']], 99, [], 1099],
    [[[0, 'a']], 0, ['a'], 1000],
  ] as [[number, string][], number, string[], number][])('timers %j, advance %i → fired %j at %i', (timers, by, fired, after) => {
    const clock = new ManualClock(1000);
    const seen: string[] = [];
    for (const [ms, name] of timers) clock.setTimeout(() => seen.push(`${name}@${clock.now()}`), ms);
    clock.advance(by);
    expect(seen.map((s) => s.split('@')[0])).toEqual(fired);
    expect(clock.now()).toBe(after);
  });

  it('runs a timer scheduled by a timer when it falls due in the same advance, and not a cleared one', () => {
    const clock = new ManualClock(0);
    const seen: number[] = [];
    const gone = clock.setTimeout(() => seen.push(-1), 10);
    clock.setTimeout(() => clock.setTimeout(() => seen.push(clock.now()), 20), 10);
    clock.clearTimeout(gone);
    clock.advance(50);
    expect(seen).toEqual([30]);
  });

  it('set jumps without firing timers', () => {
    const clock = new ManualClock(0);
    let fired = false;
    clock.setTimeout(() => (fired = true), 10);
    clock.set(100);
    expect([clock.now(), fired]).toEqual([100, false]);
  });

  it('the system clock reads Date.now and its timers fire', async () => {
    expect(Math.abs(systemClock.now() - Date.now())).toBeLessThan(50);
    await new Promise<void>((resolve) => systemClock.setTimeout(resolve, 1));
  });
});
