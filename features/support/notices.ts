/**
 * What a firing or resolved notice of one alert looks like on each channel, as the bridge
 * formats it (alert-bridge/README.md "Messages"): the email subject, Slack's fallback text, the
 * SMS status tag and the webhook's JSON status. Used to count notices per channel exactly.
 */
import { CHANNELS } from '@traderadmin/config';
import type { Channel } from './chain.js';

export type NoticeStatus = 'firing' | 'resolved';

/** Channels only the scenarios about them enable (each chain with them starts more peers). */
const OPT_IN: readonly Channel[] = ['telegram', 'discord', 'pagerduty'];

/**
 * The channels every chain enables unless a scenario says otherwise, and that "every channel"
 * steps check: the config schema's CHANNELS but the opt-in ones, so a new channel is in.
 */
export const ALL_CHANNELS: Channel[] = CHANNELS.filter((c) => !OPT_IN.includes(c));

export function noticePattern(channel: Channel, alert: string, status: NoticeStatus): RegExp {
  const firing = status === 'firing';
  switch (channel) {
    case 'email':
      return new RegExp(`^\\[${firing ? 'FIRING [a-z]+' : 'RESOLVED'}\\] ${alert}\\b`);
    case 'slack':
      return new RegExp(`^\\{"text":"${firing ? 'FIRING [a-z]+' : 'RESOLVED'}: ${alert}\\b`);
    case 'sms':
      return new RegExp(`^\\[${firing ? '(?:CRIT|WARN|INFO)' : 'RESOLVED'}\\]\\n(?:.*\\n)*?${alert}\\b`);
    case 'webhook':
      return new RegExp(`^\\{"version":"1",.*?"kind":"alert","status":"${status}",.*"alertname":"${alert}"`);
    case 'telegram':
      return new RegExp(`^<b>${firing ? 'FIRING [a-z]+' : 'RESOLVED'}: ${alert}\\b`);
    case 'discord':
      return new RegExp(`^\\*\\*${firing ? 'FIRING [a-z]+' : 'RESOLVED'}: ${alert}\\b`);
    case 'pagerduty':
      return new RegExp(`^${firing ? 'trigger' : 'resolve'} ${alert}\\b`);
  }
}
