import { describe, expect, it } from 'vitest';
import { DayClock, checkTimeZone, tradingDayAt, wallTime, wallTimeOnDay, zonedToEpoch } from '../src/tradingDay.js';

const iso = (ms: number) => new Date(ms).toISOString();
const at = (s: string) => Date.parse(s);

describe('tradingDayAt across both DST changes, in New York and London', () => {
  it.each([
    // [zone, instant, day_start, start, end, date, hours long]
    ['America/New_York', '2026-01-15T15:00:00Z', '00:00', '2026-01-15T05:00:00.000Z', '2026-01-16T05:00:00.000Z', '2026-01-15', 24],
    ['America/New_York', '2026-03-08T12:00:00Z', '00:00', '2026-03-08T05:00:00.000Z', '2026-03-09T04:00:00.000Z', '2026-03-08', 23],
    ['America/New_York', '2026-11-01T12:00:00Z', '00:00', '2026-11-01T04:00:00.000Z', '2026-11-02T05:00:00.000Z', '2026-11-01', 25],
    ['America/New_York', '2026-03-08T12:00:00Z', '02:30', '2026-03-08T07:00:00.000Z', '2026-03-09T06:30:00.000Z', '2026-03-08', 23.5],
    ['America/New_York', '2026-03-08T20:59:00Z', '17:00', '2026-03-07T22:00:00.000Z', '2026-03-08T21:00:00.000Z', '2026-03-07', 23],
    ['America/New_York', '2026-01-15T04:59:59Z', '00:00', '2026-01-14T05:00:00.000Z', '2026-01-15T05:00:00.000Z', '2026-01-14', 24],
    ['Europe/London', '2026-03-29T12:00:00Z', '00:00', '2026-03-29T00:00:00.000Z', '2026-03-29T23:00:00.000Z', '2026-03-29', 23],
    ['Europe/London', '2026-10-25T12:00:00Z', '00:00', '2026-10-24T23:00:00.000Z', '2026-10-26T00:00:00.000Z', '2026-10-25', 25],
    ['Europe/London', '2026-03-29T00:30:00Z', '01:30', '2026-03-28T01:30:00.000Z', '2026-03-29T01:00:00.000Z', '2026-03-28', 23.5],
    ['Asia/Tokyo', '2026-06-01T12:00:00Z', '09:00', '2026-06-01T00:00:00.000Z', '2026-06-02T00:00:00.000Z', '2026-06-01', 24],
    ['Australia/Sydney', '2026-10-04T05:00:00Z', '00:00', '2026-10-03T14:00:00.000Z', '2026-10-04T13:00:00.000Z', '2026-10-04', 23],
  ])('%s at %s, day_start %s: [%s, %s) dated %s, %d h', (zone, instant, dayStart, start, end, date, hours) => {
    const d = tradingDayAt(at(instant), zone, dayStart);
    expect([iso(d.start), iso(d.end), d.date]).toEqual([start, end, date]);
    expect((d.end - d.start) / 3_600_000).toBe(hours);
  });
});

describe('zonedToEpoch', () => {
  it.each([
    // [y, m, d, h, min, zone, instant, why]
    [2026, 11, 1, 1, 30, 'America/New_York', '2026-11-01T05:30:00.000Z', 'repeated hour: the first (EDT)'],
    [2026, 3, 8, 2, 30, 'America/New_York', '2026-03-08T07:00:00.000Z', 'spring gap: when the clocks jump to 03:00'],
    [2026, 10, 25, 1, 30, 'Europe/London', '2026-10-25T00:30:00.000Z', 'repeated hour: the first (BST)'],
    [2026, 3, 29, 1, 15, 'Europe/London', '2026-03-29T01:00:00.000Z', 'spring gap: 02:00 BST'],
    [2026, 7, 1, 9, 30, 'America/New_York', '2026-07-01T13:30:00.000Z', 'summer'],
  ])('%i-%i-%i %i:%i in %s is %s (%s)', (y, m, d, h, min, zone, instant) => {
    expect(iso(zonedToEpoch(y, m, d, h, min, zone))).toBe(instant);
  });

  it('takes seconds', () => expect(iso(zonedToEpoch(2026, 1, 5, 9, 30, 'America/New_York', 15))).toBe('2026-01-05T14:30:15.000Z'));
});

describe('wall time', () => {
  it.each([
    ['2026-03-08T06:59:59Z', 'America/New_York', { hour: 1, minute: 59, weekday: 'Sun', zoneName: 'EST' }],
    ['2026-03-08T07:00:00Z', 'America/New_York', { hour: 3, minute: 0, weekday: 'Sun', zoneName: 'EDT' }],
    ['2026-10-25T00:59:00Z', 'Europe/London', { hour: 1, minute: 59, weekday: 'Sun', zoneName: 'GMT+1' }],
    ['2026-10-25T01:00:00Z', 'Europe/London', { hour: 1, minute: 0, weekday: 'Sun', zoneName: 'GMT' }],
  ])('%s in %s', (instant, zone, fields) => expect(wallTime(at(instant), zone)).toMatchObject(fields));

  it.each([
    // [now, add days, hh:mm, zone, instant]
    ['2026-03-07T15:00:00Z', 1, '09:30', 'America/New_York', '2026-03-08T13:30:00.000Z'],
    ['2026-10-31T15:00:00Z', 1, '09:30', 'America/New_York', '2026-11-01T14:30:00.000Z'],
    ['2026-10-24T15:00:00Z', 1, '08:00', 'Europe/London', '2026-10-25T08:00:00.000Z'],
  ])('from %s, %i day(s) on at %s in %s is %s', (now, add, hhmm, zone, instant) => {
    expect(iso(wallTimeOnDay(at(now), add, hhmm, zone))).toBe(instant);
  });

  it('DayClock keeps a day until the clock leaves it', () => {
    const c = new DayClock('America/New_York', '00:00');
    const a = c.at(at('2026-03-08T06:00:00Z'));
    expect(c.at(at('2026-03-09T03:59:59Z'))).toBe(a);
    expect(c.at(at('2026-03-09T04:00:00Z')).date).toBe('2026-03-09');
  });

  it.each([
    ['America/New_York', undefined],
    ['Mars/Olympus', 'unknown time zone "Mars/Olympus"'],
  ])('checkTimeZone(%s)', (zone, error) => {
    if (error) expect(() => checkTimeZone(zone)).toThrow(error);
    else expect(() => checkTimeZone(zone)).not.toThrow();
  });

  it('rejects a day start that is not HH:MM', () => expect(() => new DayClock('UTC', '9:30')).toThrow('"9:30" is not HH:MM'));
});
