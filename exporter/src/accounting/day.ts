/**
 * The trading day: "today" starts at `trading.day_start` in `trading.timezone`, computed
 * with the IANA zone rules (Intl) so that it is right across daylight-saving switches.
 * A day is 23 or 25 hours long on the switch days; a day start that falls in the spring
 * gap (02:30 on the spring-forward night) becomes the first instant after the gap.
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
}

/** The wall-clock time of `epochMs` in `timeZone`. */
export function wallTime(epochMs: number, timeZone: string): WallTime {
  const parts: Record<string, number> = {};
  for (const p of formatter(timeZone).formatToParts(new Date(epochMs))) {
    if (p.type !== 'literal') parts[p.type] = Number(p.value);
  }
  return { year: parts.year, month: parts.month, day: parts.day, hour: parts.hour, minute: parts.minute, second: parts.second };
}

/** Offset of the zone from UTC at an instant, in ms (New York in winter: -5 h). */
export function zoneOffsetMs(epochMs: number, timeZone: string): number {
  const w = wallTime(epochMs, timeZone);
  const asUtc = Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second);
  return asUtc - Math.floor(epochMs / 1000) * 1000;
}

/**
 * The instant at which a wall-clock time happens in a zone. An ambiguous time (the hour
 * repeated in autumn) gives the first occurrence; a time in the spring gap gives the
 * instant the clocks jump to (02:30 → 03:00 local).
 */
export function zonedToEpoch(year: number, month: number, day: number, hour: number, minute: number, timeZone: string): number {
  const wall = Date.UTC(year, month - 1, day, hour, minute);
  // Two candidates: the offsets a few hours before and after; one of them is right.
  const before = wall - zoneOffsetMs(wall - 12 * 3_600_000, timeZone);
  const after = wall - zoneOffsetMs(wall + 12 * 3_600_000, timeZone);
  const matches = [before, after].filter((t) => {
    const w = wallTime(t, timeZone);
    return Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute) === wall;
  });
  if (matches.length > 0) return Math.min(...matches);
  // In the gap the wall time never happens: find the first minute whose wall time is later.
  let lo = Math.min(before, after);
  let hi = Math.max(before, after);
  const wallOf = (t: number) => {
    const w = wallTime(t, timeZone);
    return Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute);
  };
  while (hi - lo > 60_000) {
    const mid = lo + Math.floor((hi - lo) / 120_000) * 60_000;
    if (wallOf(mid) >= wall) hi = mid;
    else lo = mid;
  }
  return hi;
}

function parseHhMm(hhmm: string): [number, number] {
  const m = /^(\d{2}):(\d{2})$/.exec(hhmm);
  if (!m) throw new Error(`"${hhmm}" is not HH:MM`);
  return [Number(m[1]), Number(m[2])];
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
  const [h, m] = parseHhMm(dayStart);
  const w = wallTime(epochMs, timeZone);
  // Start from the local calendar date; step back one day when the start is still ahead.
  let date = new Date(Date.UTC(w.year, w.month - 1, w.day));
  let start = zonedToEpoch(date.getUTCFullYear(), date.getUTCMonth() + 1, date.getUTCDate(), h, m, timeZone);
  if (start > epochMs) {
    date = new Date(date.getTime() - 86_400_000);
    start = zonedToEpoch(date.getUTCFullYear(), date.getUTCMonth() + 1, date.getUTCDate(), h, m, timeZone);
  }
  const next = new Date(date.getTime() + 86_400_000);
  const end = zonedToEpoch(next.getUTCFullYear(), next.getUTCMonth() + 1, next.getUTCDate(), h, m, timeZone);
  return { start, end, date: date.toISOString().slice(0, 10) };
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
