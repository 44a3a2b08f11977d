import { describe, expect, it } from 'vitest';
import { DayClock, ManualClock, tradingDayAt, zonedToEpoch } from '@traderadmin/kit';
import { Ledger } from '../src/accounting/ledger.js';
import { aaplFill, utc } from './helpers.js';

const NY = 'America/New_York';
const iso = (ms: number) => new Date(ms).toISOString();

describe('trading day boundaries', () => {
  it.each([
    // [instant, day_start, expected start (UTC), expected end (UTC)]
    ['2026-01-15T15:00:00Z', '00:00', '2026-01-15T05:00:00.000Z', '2026-01-16T05:00:00.000Z'], // winter, EST (-5)
    ['2026-07-15T15:00:00Z', '00:00', '2026-07-15T04:00:00.000Z', '2026-07-16T04:00:00.000Z'], // summer, EDT (-4)
    ['2026-01-15T04:59:59Z', '00:00', '2026-01-14T05:00:00.000Z', '2026-01-15T05:00:00.000Z'], // 23:59:59 local the day before
    ['2026-01-15T21:59:00Z', '17:00', '2026-01-14T22:00:00.000Z', '2026-01-15T22:00:00.000Z'], // a futures-style 17:00 start
    ['2026-01-15T22:00:00Z', '17:00', '2026-01-15T22:00:00.000Z', '2026-01-16T22:00:00.000Z'],
  ])('at %s with day_start %s the day is [%s, %s)', (at, dayStart, start, end) => {
    const d = tradingDayAt(utc(at), NY, dayStart);
    expect(iso(d.start)).toBe(start);
    expect(iso(d.end)).toBe(end);
  });

  it('spring forward (2026-03-08): the day that contains the switch is 23 hours long', () => {
    const d = tradingDayAt(utc('2026-03-08T12:00:00Z'), NY, '00:00');
    expect(iso(d.start)).toBe('2026-03-08T05:00:00.000Z'); // midnight EST
    expect(iso(d.end)).toBe('2026-03-09T04:00:00.000Z'); // midnight EDT
    expect((d.end - d.start) / 3_600_000).toBe(23);
    expect(d.date).toBe('2026-03-08');
  });

  it('fall back (2026-11-01): the day that contains the switch is 25 hours long', () => {
    const d = tradingDayAt(utc('2026-11-01T12:00:00Z'), NY, '00:00');
    expect(iso(d.start)).toBe('2026-11-01T04:00:00.000Z'); // midnight EDT
    expect(iso(d.end)).toBe('2026-11-02T05:00:00.000Z'); // midnight EST
    expect((d.end - d.start) / 3_600_000).toBe(25);
  });

  it('a day start inside the spring gap (02:30) begins when the clocks jump to 03:00', () => {
    const d = tradingDayAt(utc('2026-03-08T12:00:00Z'), NY, '02:30');
    expect(iso(d.start)).toBe('2026-03-08T07:00:00.000Z'); // 03:00 EDT, the first instant after the gap
    expect(iso(d.end)).toBe('2026-03-09T06:30:00.000Z'); // 02:30 EDT the next day
  });

  it('a day start in the repeated autumn hour (01:30) takes its first occurrence', () => {
    expect(iso(zonedToEpoch(2026, 11, 1, 1, 30, NY))).toBe('2026-11-01T05:30:00.000Z'); // 01:30 EDT, not EST
  });

  it('works in a zone without DST and in the southern hemisphere', () => {
    expect(iso(tradingDayAt(utc('2026-06-01T12:00:00Z'), 'Asia/Tokyo', '09:00').start)).toBe('2026-06-01T00:00:00.000Z');
    // Sydney switches to daylight time on 2026-10-04 (02:00 → 03:00 local).
    const d = tradingDayAt(utc('2026-10-04T05:00:00Z'), 'Australia/Sydney', '00:00');
    expect((d.end - d.start) / 3_600_000).toBe(23);
  });

  it('DayClock keeps a day until the clock leaves it', () => {
    const c = new DayClock(NY, '00:00');
    const a = c.at(utc('2026-03-08T06:00:00Z'));
    expect(c.at(utc('2026-03-09T03:59:59Z'))).toBe(a);
    expect(c.at(utc('2026-03-09T04:00:00Z')).date).toBe('2026-03-09');
  });

  it('rejects a malformed day start', () => {
    expect(() => new DayClock(NY, '9:30')).toThrow(/HH:MM/);
  });
});

describe('day rollover of the books', () => {
  const fill = (execId: string, side: 'BUY' | 'SELL', quantity: number, price: number, time: number) =>
    aaplFill(side, quantity, price, { execId, time });

  it.each([
    ['spring forward', '2026-03-08T15:00:00Z', '2026-03-09T03:59:00Z', '2026-03-09T04:00:00Z'],
    ['fall back', '2026-11-01T15:00:00Z', '2026-11-02T04:59:00Z', '2026-11-02T05:00:00Z'],
    ['an ordinary night', '2026-01-15T15:00:00Z', '2026-01-16T04:59:00Z', '2026-01-16T05:00:00Z'],
  ])("%s: today's statistics reset exactly at local midnight", (_name, morning, justBefore, midnight) => {
    const clock = new ManualClock(utc(morning));
    const ledger = new Ledger({ clock, timeZone: NY, dayStart: '00:00', breakevenTolerance: 0.01 });
    ledger.setAccountValue('DU1', 'NetLiquidation', 100_000, 'USD');
    ledger.applyFill(fill('e1', 'BUY', 10, 100, clock.now()));
    ledger.applyFill(fill('e2', 'SELL', 10, 105, clock.now()));
    ledger.setAccountValue('DU1', 'NetLiquidation', 100_050, 'USD');
    const book = ledger.book('DU1');
    expect(book.realizedPnlToday()).toBe(50);
    expect(book.today.trades.win).toBe(1);

    clock.set(utc(justBefore));
    expect(ledger.book('DU1').today.trades.win).toBe(1);

    clock.set(utc(midnight));
    const after = ledger.book('DU1');
    expect(after.today.trades.win).toBe(0);
    expect(after.realizedPnlToday()).toBe(0);
    // The equity at the boundary is the new day's start and high water.
    expect(after.equityStartOfDay).toBe(100_050);
    expect(after.equityHighWater).toBe(100_050);
  });
});
