/** Calendar helpers for the gateway's time zone (Intl only: no extra dependency). */

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

/** Wall-clock parts of an instant in a time zone. */
export interface ZonedParts {
  year: string;
  month: string;
  day: string;
  hour: string;
  minute: string;
  second: string;
  /** Sun..Sat */
  weekday: string;
  /** e.g. EST */
  zoneName: string;
}

export function zonedParts(ms: number, timeZone: string): ZonedParts {
  const parts: Record<string, string> = {};
  for (const p of formatter(timeZone).formatToParts(new Date(ms))) parts[p.type] = p.value;
  return {
    year: parts.year,
    month: parts.month,
    day: parts.day,
    hour: parts.hour,
    minute: parts.minute,
    second: parts.second,
    weekday: parts.weekday,
    zoneName: parts.timeZoneName,
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

/** "yyyymmdd" of the instant in the zone: the trading day key. */
export function dayKey(ms: number, timeZone: string): string {
  const p = zonedParts(ms, timeZone);
  return `${p.year}${p.month}${p.day}`;
}

/** "yyyymmdd hh:mm:ss EST": connection time of the handshake. */
export function connectionTimeText(ms: number, timeZone: string): string {
  const p = zonedParts(ms, timeZone);
  return `${p.year}${p.month}${p.day} ${p.hour}:${p.minute}:${p.second} ${p.zoneName}`;
}

/** "yyyymmdd hh:mm:ss America/New_York": execution time as recent TWS versions send it. */
export function executionTimeText(ms: number, timeZone: string): string {
  const p = zonedParts(ms, timeZone);
  return `${p.year}${p.month}${p.day} ${p.hour}:${p.minute}:${p.second} ${timeZone}`;
}

/** "HH:MM" for ACCT_UPDATE_TIME. */
export function hhmmText(ms: number, timeZone: string): string {
  const p = zonedParts(ms, timeZone);
  return `${p.hour}:${p.minute}`;
}

const DAY_MS = 86_400_000;

/** Milliseconds to add to reach the same wall time on the next weekday (Mon-Fri). */
export function msToNextTradingDay(ms: number, timeZone: string): number {
  let add = DAY_MS;
  while (['Sat', 'Sun'].includes(zonedParts(ms + add, timeZone).weekday)) add += DAY_MS;
  return add;
}

/**
 * Parses reqExecutions' filter time: "yyyymmdd-hh:mm:ss" is UTC, "yyyymmdd hh:mm:ss" is
 * in the gateway's zone (an optional trailing zone name is accepted and must be a valid
 * zone). Returns undefined for an empty filter; throws for anything else.
 */
export function parseFilterTime(text: string, timeZone: string): number | undefined {
  const t = text.trim();
  if (t === '') return undefined;
  const m = /^(\d{4})(\d{2})(\d{2})([- ])\s*(\d{2}):(\d{2})(?::(\d{2}))?(?:\s+(\S+))?$/.exec(t);
  if (!m) throw new RangeError(`bad execution filter time ${JSON.stringify(text)}`);
  const [, y, mo, d, sep, h, mi, s = '00', zone] = m;
  const utc = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s));
  if (sep === '-' && !zone) return utc;
  const tz = zone ?? timeZone;
  checkTimeZone(tz);
  // Shift by the zone's offset at that instant (twice, to settle across a DST change).
  let guess = utc;
  for (let i = 0; i < 2; i++) {
    const p = zonedParts(guess, tz);
    const asUtc = Date.UTC(Number(p.year), Number(p.month) - 1, Number(p.day), Number(p.hour), Number(p.minute), Number(p.second));
    guess = utc - (asUtc - guess);
  }
  return guess;
}
