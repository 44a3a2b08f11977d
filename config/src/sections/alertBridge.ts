/** [alert_bridge]: Alertmanager webhooks in, notifications out. */
import { int, num, optionalStr, requireSecret, secret, str, table } from '../schema.js';
import { listen, tokenWhenExposed } from './common.js';

export const alertBridge = table(
  'The alert bridge: Alertmanager webhooks in, email, Slack, SMS, webhooks, Telegram, Discord and PagerDuty out.',
  {
    listen: listen('Where the bridge listens.', '127.0.0.1:9095'),
    auth_token: secret('Bearer token Alertmanager sends to the bridge; written to a file for Alertmanager, never into alertmanager.yml.'),
    data_dir: str('Where the durable outbox is kept (relative to the config file).', { default: '../data/alert-bridge' }),
    max_attempts: int('Delivery attempts before a notification goes to the dead-letter list.', { default: 8, min: 1, max: 100 }),
    watchdog_timeout_seconds: int('When no Watchdog alert arrives for this long, the bridge itself notifies that monitoring is down.', {
      default: 300,
      min: 30,
      max: 86_400,
      unit: 's',
    }),
    heartbeat_url: secret(
      "External dead man's switch (healthchecks.io, Dead Man's Snitch, Better Stack): pinged every heartbeat_interval_seconds while Watchdog alerts arrive, so a dead machine is noticed from outside. The URL holds the check's secret id: use env:NAME.",
    ),
    heartbeat_interval_seconds: int('How often heartbeat_url is pinged.', { default: 60, min: 5, max: 86_400, unit: 's' }),
    heartbeat_method: str<'GET' | 'POST'>('HTTP method of the heartbeat ping.', { default: 'GET', choices: ['GET', 'POST'] }),
    auth_user: optionalStr('When set, HTTP Basic auth with this user and auth_token as the password is accepted besides the bearer token.'),
    max_body_bytes: int('Largest accepted webhook request body.', { default: 1_048_576, min: 1024, max: 67_108_864, unit: 'bytes' }),
    dedup_window_seconds: int(
      "How long delivered notification keys are remembered, so a retried post or an Alertmanager cluster peer's copy (both arrive within seconds) is sent once; below the cooldown, so reminders still go out.",
      { default: 50, min: 10, max: 604_800, unit: 's' },
    ),
    retry_min_seconds: num('First retry delay; it doubles (with jitter) on each failed attempt up to retry_max_seconds.', {
      default: 2,
      min: 0.01,
      max: 3600,
      unit: 's',
    }),
    retry_max_seconds: num('Longest retry delay.', { default: 300, min: 0.01, max: 86_400, unit: 's' }),
    digest_threshold: int('When this many notifications wait for one destination (an alert storm), they go out as one digest.', {
      default: 5,
      min: 2,
      max: 1000,
    }),
  },
  tokenWhenExposed('auth_token', 'the bridge', 'ALERT_BRIDGE_TOKEN'),
  {
    needs: ['heartbeat_url'],
    run: (b, report, ctx) => requireSecret(b.heartbeat_url, 'heartbeat_url', report, ctx),
  },
  {
    needs: ['retry_min_seconds', 'retry_max_seconds'],
    run: (b, report) => {
      if (b.retry_min_seconds > b.retry_max_seconds)
        report('retry_min_seconds', `${b.retry_min_seconds} s is longer than retry_max_seconds (${b.retry_max_seconds} s)`);
    },
  },
  {
    needs: ['auth_user', 'auth_token'],
    run: (b, report) => {
      if (b.auth_user && !b.auth_token) report('auth_user', 'auth_user is set but auth_token (the Basic auth password) is not');
    },
  },
);
