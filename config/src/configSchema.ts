/**
 * The schema of config.toml. Keys under [alerts_config], [broker], [exporter] and
 * [alert_bridge] named in shared/spec/contract.md are public API: never rename them.
 * Every key here is commented in config/config.example.toml (a test checks both agree).
 */
import { E164, EMAIL, HH_MM, checkHttpUrl, checkListen, checkTimeZone, minutesOfDay } from './formats.js';
import { bool, int, list, num, optionalStr, requireSecret, secret, str, table, tableList, type Infer, type Report } from './schema.js';
import { isLoopbackHost, parseListen } from './formats.js';

const SEVERITIES = ['info', 'warning', 'critical'] as const;
export type AlertSeverity = (typeof SEVERITIES)[number];

const minSeverity = (channel: string, fallback: AlertSeverity) =>
  str<AlertSeverity>(`Lowest alert severity sent to ${channel}; "critical" sends only critical alerts.`, {
    choices: SEVERITIES,
    default: fallback,
  });

const listen = (help: string, fallback: string) => str(help, { default: fallback, check: checkListen });
const hhmm = (help: string, fallback: string) => str(help, { default: fallback, pattern: HH_MM, format: 'a time of day HH:MM (24-hour)' });
const timeZone = (help: string) => str(help, { default: 'America/New_York', check: checkTimeZone });

const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;

/**
 * NYSE full-day closures, from the exchange's published calendar (nyse.com/markets/hours-calendars).
 * Early closes (13:00) are not listed: the market is open that morning. Extend it every year.
 */
// prettier-ignore
export const NYSE_HOLIDAYS: readonly string[] = [
  // 2026
  '2026-01-01', '2026-01-19', '2026-02-16', '2026-04-03', '2026-05-25', '2026-06-19', '2026-07-03', '2026-09-07', '2026-11-26', '2026-12-25',
  // 2027
  '2027-01-01', '2027-01-18', '2027-02-15', '2027-03-26', '2027-05-31', '2027-06-18', '2027-07-05', '2027-09-06', '2027-11-25', '2027-12-24',
];

/** A calendar date YYYY-MM-DD that exists (no 2026-02-30). */
function checkDate(value: string): string | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  const d = m ? new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]))) : undefined;
  if (!d || d.toISOString().slice(0, 10) !== value) return `"${value}" is not a date YYYY-MM-DD (for example "2026-11-26")`;
  return undefined;
}

const thresholds = table(
  'Alert thresholds. Each one generates an alert rule; see the contract for what fires when.',
  {
    max_order_latency_ms: int('OrderLatencyHigh fires when one order round trip in the latency window takes longer than this.', {
      default: 1000,
      min: 1,
      max: 600_000,
      unit: 'ms',
    }),
    min_daily_realized_pnl: num(
      'DailyRealizedPnlBelowLimit fires when realized P&L today falls below this (account currency; negative for a loss).',
      {
        default: -500,
      },
    ),
    max_portfolio_drawdown_percentage_today: num(
      'DrawdownTodayExceeded fires when equity is this many percent below start-of-day equity (5.0 means 5 %).',
      {
        default: 5,
        min: 0,
        exclusiveMin: true,
        max: 100,
        unit: '%',
      },
    ),
    max_api_errors_per_hour: int('ApiErrorsExcessive fires when more than this many API errors happened in the last hour.', {
      default: 10,
      min: 0,
      max: 1_000_000,
    }),
    max_data_staleness_seconds: int('MarketDataStale fires, during market hours only, when no data sync happened for longer than this.', {
      default: 60,
      min: 1,
      max: 86_400,
      unit: 's',
    }),
  },
  {
    needs: ['max_portfolio_drawdown_percentage_today'],
    run: (t, report) => {
      const pct = t.max_portfolio_drawdown_percentage_today;
      if (pct < 1) {
        report(
          'max_portfolio_drawdown_percentage_today',
          `${pct} means ${pct} %, not ${pct * 100} %`,
          `this is a percentage: write ${+(pct * 100).toFixed(6)} for ${+(pct * 100).toFixed(6)} %; keep ${pct} only if you mean a drawdown of ${pct} %`,
          'warning',
        );
      }
    },
  },
  {
    needs: ['min_daily_realized_pnl'],
    run: (t, report) => {
      if (t.min_daily_realized_pnl > 0) {
        report(
          'min_daily_realized_pnl',
          `${t.min_daily_realized_pnl} is a profit: the alert fires on every day that has not made it yet`,
          'a loss limit is negative, for example -500',
          'warning',
        );
      }
    },
  },
);

const email = table(
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

const slack = table(
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

const sms = table(
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
    api_base_url: str('Another Twilio-compatible endpoint (tests use a local one).', {
      default: 'https://api.twilio.com',
      check: checkHttpUrl,
    }),
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

const webhook = table(
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

/** Reports a secret-valued key that is enabled but unset, or written in clear in the file. */
function credential(value: { source: { kind: string } } | undefined, key: string, what: string, hint: string, report: Report): void {
  if (!value) report(key, `${what} is enabled but ${key} is not set`, hint);
  else if (value.source.kind === 'literal')
    report(key, `${key} is written in clear in the config file`, `${hint} keeps it out of the file`, 'warning');
}

const dailySummaryAt = (channel: string) =>
  optionalStr(
    `When set (HH:MM in trading.timezone), a daily summary goes to ${channel} at this time: equity, the day's realized P&L, trades and win rate, worst drawdown, and the alerts of the day.`,
    { pattern: HH_MM, format: 'a time of day HH:MM (24-hour)' },
  );

const telegram = table(
  'Telegram through a bot (Bot API): alerts with silence buttons, and /status, /alerts, /silence, /unsilence by long polling.',
  {
    enabled: bool('Send alerts to Telegram.', false),
    bot_token: secret('Bot token from @BotFather; "env:TELEGRAM_BOT_TOKEN" keeps it out of this file.'),
    chat_ids: list(
      'Chats that receive alerts; only these are obeyed (commands and buttons from other chats are ignored and logged).',
      str('A chat id.', { pattern: /^-?\d{1,20}$/, format: 'a numeric chat id' }),
      { unique: true },
    ),
    api_base_url: str('Another Bot API server (a local one, or tests).', { default: 'https://api.telegram.org', check: checkHttpUrl }),
    commands: bool('Answer /status, /alerts, /silence and /unsilence, and the silence buttons (long polling; no public URL needed).', true),
    daily_summary_at: dailySummaryAt('Telegram'),
    min_severity: minSeverity('Telegram', 'warning'),
  },
  {
    run: (t, report, ctx) => {
      if (!t.enabled) return;
      if (t.chat_ids.length === 0) report('chat_ids', 'Telegram is enabled but chat_ids is empty', 'chat_ids = ["123456789"]');
      credential(t.bot_token, 'bot_token', 'Telegram', 'bot_token = "env:TELEGRAM_BOT_TOKEN"', report);
      requireSecret(t.bot_token, 'bot_token', report, ctx);
    },
  },
);

const discord = table(
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
      credential(d.webhook_url, 'webhook_url', 'Discord', 'webhook_url = "env:DISCORD_WEBHOOK_URL"', report);
      requireSecret(d.webhook_url, 'webhook_url', report, ctx);
    },
  },
);

const pagerduty = table(
  'PagerDuty Events API v2: a trigger per alert group (dedup key), resolved when the group resolves.',
  {
    enabled: bool('Page through PagerDuty.', false),
    routing_key: secret('Integration (routing) key of an Events API v2 service; "env:PAGERDUTY_ROUTING_KEY".'),
    api_base_url: str('Another Events API v2 endpoint (tests use a local one).', {
      default: 'https://events.pagerduty.com',
      check: checkHttpUrl,
    }),
    min_severity: minSeverity('PagerDuty', 'critical'),
  },
  {
    run: (p, report, ctx) => {
      if (!p.enabled) return;
      credential(p.routing_key, 'routing_key', 'PagerDuty', 'routing_key = "env:PAGERDUTY_ROUTING_KEY"', report);
      requireSecret(p.routing_key, 'routing_key', report, ctx);
    },
  },
);

const alertsConfig = table(
  'What is alerted, and where it goes.',
  {
    enabled: bool('Master switch: false generates no alert rules (recording rules and the Watchdog stay).', true),
    cooldown_minutes: num('The same alert (same name and account) is not re-sent within this time while it keeps firing.', {
      default: 15,
      min: 1,
      max: 10_080,
      unit: 'min',
    }),
    runbook_base_url: str('Base of the runbook_url annotation of every alert; "#<alert name lower-case>" is appended.', {
      default: 'http://127.0.0.1:9095/runbooks',
      check: checkHttpUrl,
    }),
    thresholds,
    notifications: table('Notification channels.', { email, slack, sms, webhook, telegram, discord, pagerduty }),
  },
  {
    needs: ['cooldown_minutes'],
    run: (a, report) => {
      if (!Number.isInteger(a.cooldown_minutes)) {
        report(
          'cooldown_minutes',
          `${a.cooldown_minutes} is not a whole number of minutes; Alertmanager durations cannot express it and it would be rounded`,
          `write ${Math.round(a.cooldown_minutes)}`,
        );
      }
    },
  },
);

const broker = table('The IB Gateway or TWS the exporter reads from.', {
  mode: str<'emulator' | 'ibkr'>('"emulator": the built-in IB Gateway emulator; "ibkr": a real TWS / IB Gateway.', {
    default: 'emulator',
    choices: ['emulator', 'ibkr'],
  }),
  host: str('Gateway host.', { default: '127.0.0.1' }),
  port: int('Gateway API port (IB Gateway: 4001 live, 4002 paper; TWS: 7496 live, 7497 paper).', { default: 4002, min: 1, max: 65535 }),
  client_id: int('API client id, fixed so that reconnects take the same session; must not be used by your strategies.', {
    default: 17,
    min: 0,
    max: 2_147_483_647,
  }),
  name: str('Value of the "gateway" label on connection metrics.', { default: 'ib-gateway' }),
  accounts: list(
    'Accounts to export; empty means every account the gateway manages.',
    str('An account id.', { pattern: /^[A-Za-z0-9]+$/, format: 'an account id' }),
    { unique: true },
  ),
  probe_interval_seconds: int('How often the exporter probes the gateway with a request of its own.', {
    default: 5,
    min: 1,
    max: 300,
    unit: 's',
  }),
  probe_timeout_seconds: int('A probe unanswered this long counts as a hung gateway and forces a reconnect.', {
    default: 10,
    min: 1,
    max: 300,
    unit: 's',
  }),
  reconnect_min_seconds: num('First reconnect delay; it doubles (with jitter) up to reconnect_max_seconds.', {
    default: 1,
    min: 0.1,
    max: 600,
    unit: 's',
  }),
  reconnect_max_seconds: num('Longest reconnect delay.', { default: 30, min: 1, max: 3600, unit: 's' }),
  restart_window_start: hhmm(
    "Start of the gateway's nightly restart window (local to trading.timezone); BrokerDisconnected does not page inside it.",
    '23:45',
  ),
  restart_window_end: hhmm('End of the nightly restart window.', '00:45'),
});

const emulator = table('The built-in IB Gateway emulator, used when broker.mode = "emulator".', {
  seed: int('Random seed: the same seed gives the same prices and trades.', { default: 42, min: 0, max: 2 ** 31 - 1 }),
  accounts: list('Simulated paper accounts.', str('An account id.', { pattern: /^[A-Za-z0-9]+$/, format: 'an account id' }), {
    default: ['DU1234567'],
    minItems: 1,
    unique: true,
  }),
  server_version: int('TWS API server version to speak (193 current, 135 oldest with full P&L).', { default: 193, min: 135, max: 193 }),
  starting_cash: num('Cash each simulated account starts the day with.', { default: 100_000, min: 0, exclusiveMin: true }),
  tick_interval_ms: int('How often simulated prices move.', { default: 1000, min: 10, max: 60_000, unit: 'ms' }),
  trade_interval_seconds: num('Average time between trades of the built-in strategy.', { default: 20, min: 0.1, max: 3600, unit: 's' }),
  positions: int('Open positions each simulated account holds at start, for load tests (0: none; built-in symbols, then generated ones).', {
    default: 0,
    min: 0,
    max: 10_000,
  }),
  control_listen: listen('Where the emulator control API listens (tests and demos inject fills, errors and faults).', '127.0.0.1:4010'),
});

const trading = table(
  'The trading day.',
  {
    timezone: timeZone('Time zone of the trading day, market hours and the restart window.'),
    day_start: hhmm('When "today" begins for daily P&L, trades today and start-of-day equity.', '00:00'),
    market_open: hhmm('Market hours start: MarketDataStale only fires inside market hours.', '09:30'),
    market_close: hhmm('Market hours end.', '16:00'),
    market_days: list('Trading days.', str<(typeof WEEKDAYS)[number]>('A weekday.', { choices: WEEKDAYS }), {
      default: ['mon', 'tue', 'wed', 'thu', 'fri'],
      minItems: 1,
      unique: true,
    }),
    market_holidays: list(
      'Exchange holidays (YYYY-MM-DD, in the trading time zone): no market hours that day, so MarketDataStale does not notify. Defaults to the NYSE closures of 2026 and 2027.',
      str('A date YYYY-MM-DD.', { check: checkDate, format: 'a date YYYY-MM-DD' }),
      { default: [...NYSE_HOLIDAYS], unique: true },
    ),
  },
  {
    needs: ['market_open', 'market_close'],
    run: (t, report) => {
      if (minutesOfDay(t.market_open) >= minutesOfDay(t.market_close)) {
        report('market_close', `market_close ${t.market_close} is not after market_open ${t.market_open}`);
      }
    },
  },
);

const exporter = table(
  'The exporter: IBKR and events in, Prometheus metrics out.',
  {
    listen: listen('Where /metrics and the events API listen.', '127.0.0.1:9464'),
    events_token: secret('When set, POST /api/v1/events needs "Authorization: Bearer <token>". Required when listen is not loopback.'),
    max_event_body_bytes: int('Largest accepted events request body.', { default: 1_048_576, min: 1024, max: 67_108_864, unit: 'bytes' }),
    latency_window_seconds: int('Window of trader_order_latency_max_seconds.', { default: 60, min: 5, max: 3600, unit: 's' }),
    breakeven_tolerance: num('A closed trade whose P&L is within ± this amount counts as breakeven.', {
      default: 0.01,
      min: 0,
      unit: 'currency',
    }),
    heartbeat_components: list(
      'External components expected to send heartbeats; each gets ComponentDown when it stops.',
      str('A component name.', { pattern: /^[a-z][a-z0-9_-]*$/, format: 'a lower-case name' }),
      {
        default: ['orchestrator', 'scanner'],
        unique: true,
      },
    ),
    heartbeat_timeout_seconds: int('A component is down after this long without a heartbeat.', {
      default: 60,
      min: 5,
      max: 86_400,
      unit: 's',
    }),
  },
  {
    needs: ['listen', 'events_token'],
    run: (e, report, ctx) => {
      requireSecret(e.events_token, 'events_token', report, ctx);
      if (isExposed(e.listen) && !e.events_token) {
        report(
          'listen',
          `${e.listen} is beyond loopback, and the events API has no events_token`,
          'set events_token = "env:EXPORTER_EVENTS_TOKEN", or listen on 127.0.0.1',
        );
      }
    },
  },
);

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

const prometheus = table('Prometheus, run by "traderadmin up" and configured by "traderadmin generate".', {
  listen: listen('Prometheus web address.', '127.0.0.1:9090'),
  scrape_interval_seconds: int(
    'How often targets are scraped (the exporter without its per-position series, the bridge, Prometheus, Alertmanager).',
    {
      default: 1,
      min: 1,
      max: 300,
      unit: 's',
    },
  ),
  evaluation_interval_seconds: int('How often rules are evaluated.', { default: 1, min: 1, max: 300, unit: 's' }),
  position_scrape_interval_seconds: int(
    "How often the exporter's per-position series (trader_position_*) are scraped, on their own job; no alert reads them, and at fund size they are most of the exporter's series.",
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

const alertmanager = table('Alertmanager, run by "traderadmin up" and configured by "traderadmin generate".', {
  listen: listen('Alertmanager web address.', '127.0.0.1:9093'),
  group_wait_seconds: int('How long Alertmanager waits to batch the first notification of a new alert group.', {
    default: 0,
    min: 0,
    max: 3600,
    unit: 's',
  }),
  group_interval_seconds: int('How long before a group that changed is notified again; the cooldown must be a multiple of it.', {
    default: 1,
    min: 1,
    max: 86_400,
    unit: 's',
  }),
  external_url: optionalStr('URL under which users reach Alertmanager (silence links).', { check: checkHttpUrl }),
  cluster_listen: optionalStr('Gossip address for an Alertmanager cluster, for example "0.0.0.0:9094"; unset runs a single instance.', {
    check: checkListen,
  }),
  peers: list('Other Alertmanager cluster members, HOST:PORT.', str('A peer.', { check: checkListen }), { unique: true }),
});

const alertBridge = table(
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
  {
    needs: ['listen', 'auth_token'],
    run: (b, report, ctx) => {
      requireSecret(b.auth_token, 'auth_token', report, ctx);
      if (isExposed(b.listen) && !b.auth_token) {
        report(
          'listen',
          `${b.listen} is beyond loopback, and the bridge has no auth_token`,
          'set auth_token = "env:ALERT_BRIDGE_TOKEN", or listen on 127.0.0.1',
        );
      }
    },
  },
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

const alertsPage = table(
  'The alerts configuration page ("traderadmin page"): edit, test and apply [alerts_config] from a browser.',
  {
    listen: listen('Where the page listens; beyond loopback it needs auth_token.', '127.0.0.1:9096'),
    auth_token: secret('Token the page asks for before it shows or changes anything; required when listen is not loopback.'),
    history_dir: str('Where applied configurations are kept, for "go back" (relative to the config file).', {
      default: '../data/config-history',
    }),
    history_keep: int('How many applied configurations the history keeps.', { default: 50, min: 1, max: 10_000 }),
    refresh_seconds: int("How often the console's Monitoring and Alerts views refresh.", { default: 5, min: 1, max: 300, unit: 's' }),
  },
  {
    needs: ['listen', 'auth_token'],
    run: (p, report, ctx) => {
      requireSecret(p.auth_token, 'auth_token', report, ctx);
      if (isExposed(p.listen) && !p.auth_token) {
        report(
          'listen',
          `${p.listen} is beyond loopback, and the alerts page has no auth_token`,
          'set auth_token = "env:ALERTS_PAGE_TOKEN", or listen on 127.0.0.1',
        );
      }
    },
  },
);

/** Host (lower case, no brackets) and port (scheme default when absent) of an http(s) URL; undefined for env:/file: or bad URLs. */
function urlHostPort(value: string): { host: string; port: number } | undefined {
  if (value.startsWith('env:') || value.startsWith('file:')) return undefined;
  try {
    const url = new URL(value);
    const port = url.port ? Number(url.port) : url.protocol === 'https:' ? 443 : 80;
    return { host: url.hostname.replace(/^\[|\]$/g, '').toLowerCase(), port };
  } catch {
    return undefined;
  }
}

/** A listen host and a URL host reach the same listener: equal, both loopback, or a wildcard listen reached over loopback. */
function sameHost(listenHost: string, urlHost: string): boolean {
  const l = listenHost.toLowerCase();
  if (l === urlHost) return true;
  if (isLoopbackHost(urlHost) && (isLoopbackHost(l) || l === '0.0.0.0' || l === '::')) return true;
  return false;
}

function isExposed(listen: string): boolean {
  const parsed = parseListen(listen);
  return parsed !== undefined && !isLoopbackHost(parsed.host);
}

const supervisor = table('"traderadmin up" as a service manager: restarts a part that exits, and serves its own metrics.', {
  listen: listen('Where up serves /metrics (restarts per part, crash loops), scraped by Prometheus.', '127.0.0.1:9097'),
  crash_loop_restarts: int('This many restarts of one part within crash_loop_window_seconds make a crash loop (alert PartCrashLooping).', {
    default: 5,
    min: 2,
    max: 1000,
  }),
  crash_loop_window_seconds: int('Window of crash_loop_restarts; a part that stays up 60 s is healthy again.', {
    default: 600,
    min: 60,
    max: 86_400,
    unit: 's',
  }),
});

const grafana = table('Grafana, for links in alerts.', {
  url: optionalStr("Where users open Grafana; unset, alert messages link to the console's Monitoring view instead.", {
    check: checkHttpUrl,
  }),
});

const secrets = table('Where file: secret references may point.', {
  file_dir: optionalStr(
    'The only folder "file:PATH" secrets may be in; relative to this file\'s folder, like relative file: paths. Default: the folder of this file.',
  ),
});

export const configSchema = table(
  'TraderAdmin Monitoring configuration.',
  {
    alerts_config: alertsConfig,
    broker,
    emulator,
    trading,
    exporter,
    prometheus,
    alertmanager,
    alert_bridge: alertBridge,
    alerts_page: alertsPage,
    supervisor,
    grafana,
    secrets,
  },
  {
    needs: ['alerts_config', 'alertmanager'],
    run: (c, report) => {
      const cooldownSeconds = c.alerts_config.cooldown_minutes * 60;
      const gi = c.alertmanager.group_interval_seconds;
      if (Number.isInteger(c.alerts_config.cooldown_minutes) && cooldownSeconds % gi !== 0) {
        const effective = Math.ceil(cooldownSeconds / gi) * gi;
        report(
          'alerts_config.cooldown_minutes',
          `a ${c.alerts_config.cooldown_minutes}-minute cooldown is not a multiple of alertmanager.group_interval_seconds (${gi} s): Alertmanager re-sends only on group_interval ticks, so the real cooldown would be ${effective / 60} minutes`,
          `make group_interval_seconds a divisor of ${cooldownSeconds} (for example 60)`,
        );
      }
    },
  },
  {
    needs: ['alerts_config', 'alert_bridge'],
    run: (c, report) => {
      // Alertmanager's reminder after the cooldown carries the same idempotency key as the first
      // notification; a dedup window that long would swallow it.
      const cooldownSeconds = c.alerts_config.cooldown_minutes * 60;
      if (c.alert_bridge.dedup_window_seconds >= cooldownSeconds) {
        report(
          'alert_bridge.dedup_window_seconds',
          `${c.alert_bridge.dedup_window_seconds} s is not shorter than the ${c.alerts_config.cooldown_minutes}-minute cooldown: the bridge would drop Alertmanager's reminders as duplicates`,
          `set it below ${cooldownSeconds} (for example ${Math.max(1, Math.floor(cooldownSeconds / 2))})`,
        );
      }
    },
  },
  {
    needs: ['alerts_config', 'exporter', 'alert_bridge', 'prometheus', 'alertmanager', 'alerts_page', 'emulator'],
    run: (c, report) => {
      // A webhook aimed at one of the stack's own listeners would feed every alert back into
      // the stack (at best a 4xx dead letter, at worst a notification loop): refuse it.
      const own: Array<[string, string]> = [
        ['exporter.listen', c.exporter.listen],
        ['alert_bridge.listen', c.alert_bridge.listen],
        ['prometheus.listen', c.prometheus.listen],
        ['alertmanager.listen', c.alertmanager.listen],
        ['alerts_page.listen', c.alerts_page.listen],
        ['emulator.control_listen', c.emulator.control_listen],
      ];
      c.alerts_config.notifications.webhook.urls.forEach((url, i) => {
        const target = urlHostPort(url);
        if (!target) return;
        const hit = own.find(([, listen]) => {
          const l = parseListen(listen);
          return l !== undefined && l.port === target.port && sameHost(l.host, target.host);
        });
        if (hit) {
          report(
            `alerts_config.notifications.webhook.urls[${i}]`,
            `${target.host}:${target.port} is ${hit[0]}, the stack's own address: it would loop alerts back into the stack`,
            'point the webhook at a receiver outside TraderAdmin',
          );
        }
      });
    },
  },
  {
    needs: ['broker'],
    run: (c, report) => {
      if (c.broker.reconnect_min_seconds > c.broker.reconnect_max_seconds) {
        report(
          'broker.reconnect_min_seconds',
          `${c.broker.reconnect_min_seconds} s is longer than reconnect_max_seconds (${c.broker.reconnect_max_seconds} s)`,
        );
      }
      if (c.broker.probe_timeout_seconds < c.broker.probe_interval_seconds) {
        report(
          'broker.probe_timeout_seconds',
          'is shorter than probe_interval_seconds: a slow answer would be taken for a hung gateway',
          undefined,
          'warning',
        );
      }
    },
  },
);

export type Config = Infer<typeof configSchema>;
export type AlertsConfig = Config['alerts_config'];
export type Thresholds = AlertsConfig['thresholds'];
export type Notifications = AlertsConfig['notifications'];
export type ChannelName = keyof Notifications;
/** Every channel, in display order: the one list the bridge, rules-gen, the CLI and the console derive theirs from. */
export const CHANNELS: readonly ChannelName[] = ['email', 'slack', 'sms', 'webhook', 'telegram', 'discord', 'pagerduty'];
