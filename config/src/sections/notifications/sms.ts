/** [alerts_config.notifications.sms]: SMS through Twilio. */
import { E164 } from '../../formats.js';
import { bool, list, requireSecret, secret, str, table } from '../../schema.js';
import { httpUrl, minSeverity } from '../common.js';

export const sms = table(
  'SMS through Twilio.',
  {
    enabled: bool('Send alerts by SMS.', false),
    provider: str<'twilio'>('SMS provider.', { default: 'twilio', choices: ['twilio'] }),
    account_sid: secret('Twilio account SID.'),
    auth_token: secret('Twilio auth token.'),
    from: str('Sending number in E.164 form.', {
      default: '+15555550199',
      pattern: E164,
      format: 'a phone number in E.164 form (+ and 7 to 15 digits)',
    }),
    to: list(
      'Numbers that receive alerts, E.164.',
      str('A phone number.', { pattern: E164, format: 'a phone number in E.164 form (+ and 7 to 15 digits)' }),
      { unique: true },
    ),
    api_base_url: httpUrl('Another Twilio-compatible endpoint (tests use a local one).', 'https://api.twilio.com'),
    min_severity: minSeverity('SMS', 'critical'),
  },
  {
    run: (s, report, ctx) => {
      if (!s.enabled) return;
      if (s.to.length === 0) report('to', 'SMS is enabled but has no numbers in "to"');
      if (!s.account_sid) report('account_sid', 'SMS is enabled but account_sid is not set', 'account_sid = "env:TWILIO_ACCOUNT_SID"');
      if (!s.auth_token) report('auth_token', 'SMS is enabled but auth_token is not set', 'auth_token = "env:TWILIO_AUTH_TOKEN"');
      requireSecret(s.account_sid, 'account_sid', report, ctx);
      requireSecret(s.auth_token, 'auth_token', report, ctx);
    },
  },
);
