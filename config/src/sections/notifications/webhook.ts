/** [alerts_config.notifications.webhook]: generic webhooks. */
import { checkHttpUrl } from '../../formats.js';
import { bool, list, requireSecret, secret, str, table } from '../../schema.js';
import { minSeverity } from '../common.js';

export const webhook = table(
  'Generic webhooks: the bridge POSTs a documented JSON body.',
  {
    enabled: bool('Send alerts to webhooks.', false),
    urls: list('Webhook URLs.', str('A URL.', { check: checkHttpUrl }), { unique: true }),
    bearer_token: secret('Sent as "Authorization: Bearer …" when set.'),
    min_severity: minSeverity('webhooks', 'info'),
  },
  {
    run: (w, report, ctx) => {
      if (!w.enabled) return;
      if (w.urls.length === 0) report('urls', 'webhooks are enabled but urls is empty');
      requireSecret(w.bearer_token, 'bearer_token', report, ctx);
    },
  },
);
