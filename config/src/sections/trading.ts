/** [trading]: the trading day, market hours and exchange holidays. */
import { minutesOfDay } from '../formats.js';
import { list, str, table } from '../schema.js';
import { hhmm, timeZone } from './common.js';

const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;

/**
 * NYSE full-day closures, from the exchange's published calendar (nyse.com/markets/hours-calendars).
 * Early closes (13:00) are not listed: the market is open that morning. Extend it every year.
 */
// prettier-ignore
export const NYSE_HOLIDAYS: readonly string[] = [
  // 2026
  '2026-01-01', '2026-01-19', '2026-02-16', '2026-04-03', '2026-05-25', '2026-06-19', '2026-07-03', '2026-09-07', '2026-11-26', '2026-12-25',
  // 2027
  '2027-01-01', '2027-01-18', '2027-02-15', '2027-03-26', '2027-05-31', '2027-06-18', '2027-07-05', '2027-09-06', '2027-11-25', '2027-12-24',
];

/** A calendar date YYYY-MM-DD that exists (no 2026-02-30). */
function checkDate(value: string): string | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  const d = m ? new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]))) : undefined;
  if (!d || d.toISOString().slice(0, 10) !== value) return `"${value}" is not a date YYYY-MM-DD (for example "2026-11-26")`;
  return undefined;
}

export const trading = table(
  'The trading day.',
  {
    timezone: timeZone('Time zone of the trading day, market hours and the restart window.'),
    day_start: hhmm('When "today" begins for daily P&L, trades today and start-of-day equity.', '00:00'),
    market_open: hhmm('Market hours start: MarketDataStale only fires inside market hours.', '09:30'),
    market_close: hhmm('Market hours end.', '16:00'),
    market_days: list('Trading days.', str<(typeof WEEKDAYS)[number]>('A weekday.', { choices: WEEKDAYS }), {
      default: ['mon', 'tue', 'wed', 'thu', 'fri'],
      minItems: 1,
      unique: true,
    }),
    market_holidays: list(
      'Exchange holidays (YYYY-MM-DD, in the trading time zone): no market hours that day, so MarketDataStale does not notify. Defaults to the NYSE closures of 2026 and 2027.',
      str('A date YYYY-MM-DD.', { check: checkDate, format: 'a date YYYY-MM-DD' }),
      { default: [...NYSE_HOLIDAYS], unique: true },
    ),
  },
  {
    needs: ['market_open', 'market_close'],
    run: (t, report) => {
      if (minutesOfDay(t.market_open) >= minutesOfDay(t.market_close)) {
        report('market_close', `market_close ${t.market_close} is not after market_open ${t.market_open}`);
      }
    },
  },
);
