/** [alerts_config.notifications.pagerduty]: PagerDuty Events API v2. */
import { bool, secret, table } from '../../schema.js';
import { credential, httpUrl, minSeverity } from '../common.js';

export const pagerduty = table(
  'PagerDuty Events API v2: a trigger per alert group (dedup key), resolved when the group resolves.',
  {
    enabled: bool('Page through PagerDuty.', false),
    routing_key: secret('Integration (routing) key of an Events API v2 service; "env:PAGERDUTY_ROUTING_KEY".'),
    api_base_url: httpUrl('Another Events API v2 endpoint (tests use a local one).', 'https://events.pagerduty.com'),
    min_severity: minSeverity('PagerDuty', 'critical'),
  },
  {
    run: (p, report, ctx) => {
      if (!p.enabled) return;
      credential(p.routing_key, 'routing_key', 'PagerDuty', 'routing_key = "env:PAGERDUTY_ROUTING_KEY"', report, ctx);
    },
  },
);
