/**
 * What a firing or resolved notice of one alert looks like on each channel, as the bridge
 * formats it (alert-bridge/README.md "Messages"): the email subject, Slack's fallback text, the
 * SMS status tag and the webhook's JSON status. Used to count notices per channel exactly.
 */
import type { Channel } from './chain.js';

export type NoticeStatus = 'firing' | 'resolved';

/**
 * The channels every chain enables unless a scenario says otherwise, and that "every channel"
 * steps check: the one list (chain.ts and the steps use it). Telegram, Discord and PagerDuty
 * are enabled by the scenarios about them.
 */
export const ALL_CHANNELS: Channel[] = ['email', 'slack', 'sms', 'webhook'];

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
