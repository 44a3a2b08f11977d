/** [alerts_config.notifications.email]: email through your SMTP server. */
import { EMAIL } from '../../formats.js';
import { bool, int, list, optionalStr, requireSecret, secret, str, table } from '../../schema.js';
import { minSeverity } from '../common.js';

export const email = table(
  'Email through your SMTP server.',
  {
    enabled: bool('Send alerts by email.', false),
    recipients: list('Addresses that receive alerts.', str('An email address.', { pattern: EMAIL, format: 'an email address' }), {
      unique: true,
    }),
    from: str('Sender address.', { default: 'alerts@example.com', pattern: EMAIL, format: 'an email address' }),
    smtp_host: str('SMTP server host name.', { default: 'smtp.example.com' }),
    smtp_port: int('SMTP port: 587 (STARTTLS), 465 (TLS) or 25.', { default: 587, min: 1, max: 65535 }),
    smtp_user: optionalStr('SMTP user name, when the server wants a login.'),
    smtp_password: secret('SMTP password: "env:NAME" or "file:PATH" keeps it out of this file.'),
    smtp_tls: str<'auto' | 'tls' | 'starttls' | 'none'>(
      '"auto": TLS on port 465, STARTTLS when offered elsewhere; "none" only for a local relay.',
      {
        default: 'auto',
        choices: ['auto', 'tls', 'starttls', 'none'],
      },
    ),
    min_severity: minSeverity('email', 'warning'),
  },
  {
    run: (e, report, ctx) => {
      if (!e.enabled) return;
      if (e.recipients.length === 0)
        report('recipients', 'email is enabled but has no recipients', 'add at least one address, or set enabled = false');
      if (e.smtp_user && !e.smtp_password)
        report('smtp_password', 'smtp_user is set but smtp_password is not', 'smtp_password = "env:SMTP_PASSWORD"');
      requireSecret(e.smtp_password, 'smtp_password', report, ctx);
    },
  },
);
