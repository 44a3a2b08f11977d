/** [alerts_config.notifications.slack]: Slack through an incoming webhook. */
import { bool, requireSecret, secret, table } from '../../schema.js';
import { minSeverity } from '../common.js';

export const slack = table(
  'Slack through an incoming webhook.',
  {
    enabled: bool('Send alerts to Slack.', false),
    webhook_url: secret('Incoming webhook URL; it is a credential, so "env:SLACK_WEBHOOK_URL" keeps it out of this file.'),
    min_severity: minSeverity('Slack', 'warning'),
  },
  {
    run: (s, report, ctx) => {
      if (!s.enabled) return;
      if (!s.webhook_url) report('webhook_url', 'Slack is enabled but webhook_url is not set', 'webhook_url = "env:SLACK_WEBHOOK_URL"');
      else if (s.webhook_url.source.kind === 'literal') {
        report(
          'webhook_url',
          'the webhook URL is written in clear in the config file',
          'webhook_url = "env:SLACK_WEBHOOK_URL" keeps the credential out of the file',
          'warning',
        );
      }
      requireSecret(s.webhook_url, 'webhook_url', report, ctx);
    },
  },
);
