/**
 * Wall-clock times in the trading time zone, for "Silence until tomorrow" and the daily
 * summary: Intl's zone rules, so daylight-saving days come out right.
 */

const formatters = new Map<string, Intl.DateTimeFormat>();

/** The wall-clock fields of an instant in a zone. */
export function wallClock(epochMs: number, timeZone: string): { year: number; month: number; day: number; hour: number; minute: number } {
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
    });
    formatters.set(timeZone, f);
  }
  const p: Record<string, number> = {};
  for (const part of f.formatToParts(new Date(epochMs))) if (part.type !== 'literal') p[part.type] = Number(part.value);
  return { year: p.year, month: p.month, day: p.day, hour: p.hour, minute: p.minute };
}

function offsetMs(epochMs: number, timeZone: string): number {
  const w = wallClock(epochMs, timeZone);
  return Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute) - Math.floor(epochMs / 60_000) * 60_000;
}

/** The instant of a wall-clock time in a zone (a time in the spring gap comes out an hour later). */
export function zonedInstant(year: number, month: number, day: number, hhmm: string, timeZone: string): number {
  const [h, m] = hhmm.split(':').map(Number);
  const wall = Date.UTC(year, month - 1, day, h, m);
  let t = wall - offsetMs(wall, timeZone);
  const again = wall - offsetMs(t, timeZone);
  if (again !== t) t = again;
  return t;
}

/** The next instant after `now` at which the zone's clock shows `hhmm` (today's, or tomorrow's). */
export function nextWallTime(now: number, hhmm: string, timeZone: string): number {
  const w = wallClock(now, timeZone);
  for (let add = 0; add < 3; add++) {
    const d = new Date(Date.UTC(w.year, w.month - 1, w.day + add));
    const t = zonedInstant(d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate(), hhmm, timeZone);
    if (t > now) return t;
  }
  return now + 86_400_000;
}

/** Tomorrow's `hhmm` in the zone (never today's, even when it is still ahead). */
export function tomorrowAt(now: number, hhmm: string, timeZone: string): number {
  const w = wallClock(now, timeZone);
  const d = new Date(Date.UTC(w.year, w.month - 1, w.day + 1));
  return zonedInstant(d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate(), hhmm, timeZone);
}

/** "14:32 America/New_York" for an instant. */
export function zonedClockText(epochMs: number, timeZone: string, withDate = false): string {
  const w = wallClock(epochMs, timeZone);
  const pad = (n: number) => String(n).padStart(2, '0');
  const date = withDate ? `${w.year}-${pad(w.month)}-${pad(w.day)} ` : '';
  return `${date}${pad(w.hour)}:${pad(w.minute)} ${timeZone}`;
}
