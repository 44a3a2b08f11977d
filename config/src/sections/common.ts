/** Field builders and checks several sections share. */
import { HH_MM, checkHttpUrl, checkListen, checkTimeZone, isLoopbackHost, parseListen } from '../formats.js';
import type { Secret } from '../secret.js';
import { optionalStr, requireSecret, str, type ParseContext, type Report, type TableCheck } from '../schema.js';

export const SEVERITIES = ['info', 'warning', 'critical'] as const;
export type AlertSeverity = (typeof SEVERITIES)[number];

export const minSeverity = (channel: string, fallback: AlertSeverity) =>
  str<AlertSeverity>(`Lowest alert severity sent to ${channel}; "critical" sends only critical alerts.`, {
    choices: SEVERITIES,
    default: fallback,
  });

export const listen = (help: string, fallback: string) => str(help, { default: fallback, check: checkListen });
export const httpUrl = (help: string, fallback: string) => str(help, { default: fallback, check: checkHttpUrl });
export const hhmm = (help: string, fallback: string) =>
  str(help, { default: fallback, pattern: HH_MM, format: 'a time of day HH:MM (24-hour)' });
export const timeZone = (help: string) => str(help, { default: 'America/New_York', check: checkTimeZone });

/**
 * Reports a channel's credential that is unset, written in clear in the file, or (env:, file:)
 * not readable now. Called only when the channel is enabled.
 */
export function credential(value: Secret | undefined, key: string, what: string, hint: string, report: Report, ctx: ParseContext): void {
  if (!value) report(key, `${what} is enabled but ${key} is not set`, hint);
  else if (value.source.kind === 'literal')
    report(key, `${key} is written in clear in the config file`, `${hint} keeps it out of the file`, 'warning');
  requireSecret(value, key, report, ctx);
}

export const dailySummaryAt = (channel: string) =>
  optionalStr(
    `When set (HH:MM in trading.timezone), a daily summary goes to ${channel} at this time: equity, the day's realized P&L, trades and win rate, worst drawdown, and the alerts of the day.`,
    { pattern: HH_MM, format: 'a time of day HH:MM (24-hour)' },
  );

/** A listen address beyond loopback, which then needs a token. */
export function isExposed(listen: string): boolean {
  const parsed = parseListen(listen);
  return parsed !== undefined && !isLoopbackHost(parsed.host);
}

/**
 * The check of a service's token: readable when set, and required when `listen` is beyond
 * loopback. `what` names the service in the message ("the bridge").
 */
export function tokenWhenExposed<K extends string>(
  key: K,
  what: string,
  envName: string,
): TableCheck<{ readonly listen: string } & { readonly [P in K]: Secret | undefined }> {
  return {
    needs: ['listen', key],
    run: (t, report, ctx) => {
      requireSecret(t[key], key, report, ctx);
      if (isExposed(t.listen) && !t[key]) {
        report(
          'listen',
          `${t.listen} is beyond loopback, and ${what} has no ${key}`,
          `set ${key} = "env:${envName}", or listen on 127.0.0.1`,
        );
      }
    },
  };
}
