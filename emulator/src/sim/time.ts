/** The gateway's texts for instants in its time zone (the zone maths is the kit's tradingDay.ts). */
import { checkTimeZone, wallTime, zonedToEpoch } from '@traderadmin/kit';

const pad = (n: number) => String(n).padStart(2, '0');

/** "yyyymmdd" of the instant in the zone: the trading day key. */
export function dayKey(ms: number, timeZone: string): string {
  const w = wallTime(ms, timeZone);
  return `${w.year}${pad(w.month)}${pad(w.day)}`;
}

/** "yyyymmdd hh:mm:ss", the wall time of the instant in the zone. */
function stamp(ms: number, timeZone: string): { text: string; zoneName: string } {
  const w = wallTime(ms, timeZone);
  return { text: `${w.year}${pad(w.month)}${pad(w.day)} ${pad(w.hour)}:${pad(w.minute)}:${pad(w.second)}`, zoneName: w.zoneName };
}

/** "yyyymmdd hh:mm:ss EST": connection time of the handshake. */
export function connectionTimeText(ms: number, timeZone: string): string {
  const s = stamp(ms, timeZone);
  return `${s.text} ${s.zoneName}`;
}

/** "yyyymmdd hh:mm:ss America/New_York": execution time as recent TWS versions send it. */
export function executionTimeText(ms: number, timeZone: string): string {
  return `${stamp(ms, timeZone).text} ${timeZone}`;
}

/** "HH:MM" for ACCT_UPDATE_TIME. */
export function hhmmText(ms: number, timeZone: string): string {
  const w = wallTime(ms, timeZone);
  return `${pad(w.hour)}:${pad(w.minute)}`;
}

const DAY_MS = 86_400_000;

/** Milliseconds to add to reach the same wall time on the next weekday (Mon-Fri). */
export function msToNextTradingDay(ms: number, timeZone: string): number {
  let add = DAY_MS;
  while (['Sat', 'Sun'].includes(wallTime(ms + add, timeZone).weekday)) add += DAY_MS;
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
  if (sep === '-' && !zone) return Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s));
  const tz = zone ?? timeZone;
  checkTimeZone(tz);
  return zonedToEpoch(Number(y), Number(mo), Number(d), Number(h), Number(mi), tz, Number(s));
}
