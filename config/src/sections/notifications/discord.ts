/** [alerts_config.notifications.discord]: Discord through an incoming webhook. */
import { bool, secret, table } from '../../schema.js';
import { credential, dailySummaryAt, minSeverity } from '../common.js';

export const discord = table(
  'Discord through an incoming webhook: one embed per alert, coloured by severity.',
  {
    enabled: bool('Send alerts to Discord.', false),
    webhook_url: secret('Webhook URL (https://discord.com/api/webhooks/ID/TOKEN); it is a credential, so "env:DISCORD_WEBHOOK_URL".'),
    daily_summary_at: dailySummaryAt('Discord'),
    min_severity: minSeverity('Discord', 'warning'),
  },
  {
    run: (d, report, ctx) => {
      if (!d.enabled) return;
      credential(d.webhook_url, 'webhook_url', 'Discord', 'webhook_url = "env:DISCORD_WEBHOOK_URL"', report, ctx);
    },
  },
);
