/** [prometheus] and its [[prometheus.remote_write]] targets. */
import { checkHttpUrl, checkListen } from '../formats.js';
import { int, list, optionalStr, requireSecret, secret, str, table, tableList } from '../schema.js';
import { listen } from './common.js';

const remoteWrite = table(
  'A long-term store that Prometheus also writes to (Grafana Mimir, Thanos Receive, Cortex).',
  {
    url: str('remote_write endpoint, for example "https://mimir.example.com/api/v1/push".', { check: checkHttpUrl }),
    name: optionalStr('Name shown in Prometheus metrics for this queue.'),
    bearer_token: secret('Bearer token; written to a file beside prometheus.yml, never into it.'),
    basic_auth_user: optionalStr('Basic auth user.'),
    basic_auth_password: secret('Basic auth password; written to a file, never into prometheus.yml.'),
    tenant_id: optionalStr('Sent as X-Scope-OrgID (Mimir and Cortex multi-tenancy).'),
  },
  {
    run: (rw, report, ctx) => {
      requireSecret(rw.bearer_token, 'bearer_token', report, ctx);
      requireSecret(rw.basic_auth_password, 'basic_auth_password', report, ctx);
      if (rw.bearer_token && rw.basic_auth_user)
        report('bearer_token', 'bearer_token and basic_auth_user are both set; Prometheus allows one');
      if (rw.basic_auth_user && !rw.basic_auth_password)
        report('basic_auth_password', 'basic_auth_user is set but basic_auth_password is not');
    },
  },
);

export const prometheus = table('Prometheus, run by "traderadmin up" and configured by "traderadmin generate".', {
  listen: listen('Prometheus web address.', '127.0.0.1:9090'),
  scrape_interval_seconds: int("How often the exporter's account-level series, which the trading alerts read, are scraped.", {
    default: 1,
    min: 1,
    max: 300,
    unit: 's',
  }),
  evaluation_interval_seconds: int('How often rules are evaluated.', { default: 1, min: 1, max: 300, unit: 's' }),
  position_scrape_interval_seconds: int(
    "How often the exporter's per-position series (trader_position_*) are scraped, on their own job; no alert reads them, and at fund size they are most of the exporter's series.",
    { default: 10, min: 1, max: 300, unit: 's' },
  ),
  stack_scrape_interval_seconds: int(
    "How often the stack's own parts are scraped (the alert bridge, traderadmin up, Prometheus, Alertmanager), on their jobs; only AlertDeliveryFailing and PartCrashLooping read them, up to this late. Never faster than scrape_interval_seconds.",
    { default: 10, min: 1, max: 300, unit: 's' },
  ),
  retention: str('How long samples are kept on disk.', {
    default: '15d',
    pattern: /^\d+(ms|s|m|h|d|w|y)$/,
    format: 'a duration such as 15d',
  }),
  external_url: optionalStr('URL under which users reach Prometheus (links in alerts).', { check: checkHttpUrl }),
  remote_write: tableList('Zero or more [[prometheus.remote_write]] targets.', remoteWrite),
  alertmanagers: list(
    'Other Alertmanagers of the cluster (their web address, HOST:PORT) that Prometheus also sends alerts to, besides alertmanager.listen.',
    str('An Alertmanager.', { check: checkListen }),
    { unique: true },
  ),
});
