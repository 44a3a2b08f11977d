/**
 * Wall-clock maths in a trading time zone, from the IANA rules Node's Intl carries (no date
 * library: luxon or a Temporal polyfill would replace the ~40 lines below, not remove a DST
 * rule, and cost memory in every service; see kit/README.md). Right across daylight-saving
 * switches: a day is 23 or 25 hours long on the switch days; a wall time in the spring gap
 * becomes the first instant after the gap; one in the repeated autumn hour its first occurrence.
 */

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      weekday: 'short',
      timeZoneName: 'short',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

/** Wall-clock fields of an instant in a zone. */
export interface WallTime {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  /** Sun..Sat */
  weekday: string;
  /** The zone's short name at that instant, e.g. EST or GMT+1. */
  zoneName: string;
}

/** The wall-clock time of `epochMs` in `timeZone`. */
export function wallTime(epochMs: number, timeZone: string): WallTime {
  const p: Record<string, string> = {};
  for (const part of formatter(timeZone).formatToParts(new Date(epochMs))) p[part.type] = part.value;
  const n = (k: string) => Number(p[k]);
  return {
    year: n('year'),
    month: n('month'),
    day: n('day'),
    hour: n('hour'),
    minute: n('minute'),
    second: n('second'),
    weekday: p.weekday,
    zoneName: p.timeZoneName,
  };
}

/** Throws a clear error for a zone name Intl does not know. */
export function checkTimeZone(timeZone: string): void {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone });
  } catch {
    throw new RangeError(`unknown time zone ${JSON.stringify(timeZone)}`);
  }
}

/** The wall time as if it were UTC, ms: the number zone offsets are measured against. */
const wallAsUtc = (w: WallTime) => Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second);

/** Offset of the zone from UTC at an instant, in ms (New York in winter: -5 h). */
export function zoneOffsetMs(epochMs: number, timeZone: string): number {
  return wallAsUtc(wallTime(epochMs, timeZone)) - Math.floor(epochMs / 1000) * 1000;
}

/**
 * The instant at which a wall-clock time happens in a zone. An ambiguous time (the hour
 * repeated in autumn) gives the first occurrence; a time in the spring gap gives the
 * instant the clocks jump to (02:30 → 03:00 local).
 */
export function zonedToEpoch(year: number, month: number, day: number, hour: number, minute: number, timeZone: string, second = 0): number {
  const wall = Date.UTC(year, month - 1, day, hour, minute, second);
  // Two candidates: the offsets half a day before and after; one of them is right.
  const before = wall - zoneOffsetMs(wall - 12 * 3_600_000, timeZone);
  const after = wall - zoneOffsetMs(wall + 12 * 3_600_000, timeZone);
  const wallOf = (t: number) => wallAsUtc(wallTime(t, timeZone));
  const matches = [before, after].filter((t) => wallOf(t) === wall);
  if (matches.length > 0) return Math.min(...matches);
  // In the gap the wall time never happens: find the first minute whose wall time is later.
  let lo = Math.min(before, after);
  let hi = Math.max(before, after);
  while (hi - lo > 60_000) {
    const mid = lo + Math.floor((hi - lo) / 120_000) * 60_000;
    if (wallOf(mid) >= wall) hi = mid;
    else lo = mid;
  }
  return hi;
}

/** "HH:MM" → [hours, minutes]; throws for anything else. */
export function parseHhMm(hhmm: string): [number, number] {
  const m = /^(\d{2}):(\d{2})$/.exec(hhmm);
  if (!m) throw new Error(`"${hhmm}" is not HH:MM`);
  return [Number(m[1]), Number(m[2])];
}

/** `hhmm` in the zone on the local calendar day `addDays` after the one containing `epochMs`. */
export function wallTimeOnDay(epochMs: number, addDays: number, hhmm: string, timeZone: string): number {
  const [h, m] = parseHhMm(hhmm);
  const w = wallTime(epochMs, timeZone);
  const d = new Date(Date.UTC(w.year, w.month - 1, w.day + addDays));
  return zonedToEpoch(d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate(), h, m, timeZone);
}

/** One trading day: [start, end) in epoch ms, and its date label (the local date of its start). */
export interface TradingDay {
  start: number;
  end: number;
  /** YYYY-MM-DD in the trading time zone. */
  date: string;
}

/**
 * The trading day that contains `epochMs`.
 * @param dayStart "HH:MM" local to `timeZone` (`trading.day_start`, default "00:00")
 */
export function tradingDayAt(epochMs: number, timeZone: string, dayStart: string): TradingDay {
  // Start from the local calendar date; step back one day when the start is still ahead.
  let add = 0;
  let start = wallTimeOnDay(epochMs, 0, dayStart, timeZone);
  if (start > epochMs) start = wallTimeOnDay(epochMs, (add = -1), dayStart, timeZone);
  const end = wallTimeOnDay(epochMs, add + 1, dayStart, timeZone);
  const w = wallTime(epochMs, timeZone);
  const date = new Date(Date.UTC(w.year, w.month - 1, w.day + add)).toISOString().slice(0, 10);
  return { start, end, date };
}

/** Caches the current trading day and tells when it rolled over. */
export class DayClock {
  private day: TradingDay | undefined;

  constructor(
    private readonly timeZone: string,
    private readonly dayStart: string,
  ) {
    parseHhMm(dayStart);
  }

  /** The trading day containing `now`; recomputed only when `now` leaves the cached one. */
  at(now: number): TradingDay {
    if (!this.day || now < this.day.start || now >= this.day.end) this.day = tradingDayAt(now, this.timeZone, this.dayStart);
    return this.day;
  }
}
