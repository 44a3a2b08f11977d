/**
 * Wall-clock times in the trading time zone for "Silence until tomorrow" and the chat texts;
 * the zone maths is the kit's (kit/src/tradingDay.ts), right on daylight-saving days.
 */
import { wallTime, wallTimeOnDay } from '@traderadmin/kit';

/** Tomorrow's `hhmm` in the zone (never today's, even when it is still ahead). */
export function tomorrowAt(now: number, hhmm: string, timeZone: string): number {
  return wallTimeOnDay(now, 1, hhmm, timeZone);
}

/** "14:32 America/New_York" for an instant. */
export function zonedClockText(epochMs: number, timeZone: string, withDate = false): string {
  const w = wallTime(epochMs, timeZone);
  const pad = (n: number) => String(n).padStart(2, '0');
  const date = withDate ? `${w.year}-${pad(w.month)}-${pad(w.day)} ` : '';
  return `${date}${pad(w.hour)}:${pad(w.minute)} ${timeZone}`;
}
