/* eslint-disable @typescript-eslint/no-explicit-any -- assertions walk parsed YAML documents freely */
import { spawnSync } from 'node:child_process';
import { readFileSync, readdirSync, statSync, writeFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import bcrypt from 'bcryptjs';
import { parse } from 'yaml';
import {
  ALERT_NAMES,
  GENERATED_MARK,
  alertmanagerArgs,
  decimal,
  generate,
  readGenerated,
  restartWindowTimes,
  shift,
  toolAvailable,
  weekdayRanges,
  writeGenerated,
} from '../src/index.js';
import { add, money, mul } from '../src/decimal.js';
import { goG, humanizeDuration, render, toTemplate } from '../src/template.js';
import { EXAMPLE, VARIANT_ENV, loaded, tempDir, variantText, withKeys } from './helpers.js';

type Rule = {
  alert?: string;
  record?: string;
  expr: string;
  for?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
};
const rulesOf = (text: string): Rule[] => (parse(text) as { groups: Array<{ rules: Rule[] }> }).groups.flatMap((g) => g.rules);
const gen = (keys: Record<string, string>, env: NodeJS.ProcessEnv = {}) => generate(loaded(withKeys(keys), env), { env });
const text = (files: ReturnType<typeof generate>, p: string) => files.get(p)!.content;

describe('exact decimals', () => {
  it.each([
    [350, -3, '0.35'],
    [1, -3, '0.001'],
    [5, -2, '0.05'],
    [0.35, -2, '0.0035'],
    [2.5, -2, '0.025'],
    [1e-7, 0, '0.0000001'],
    [-500.1, 0, '-500.1'],
    [123456, -3, '123.456'],
  ])('shift(%s, %s) is %s', (n, places, want) => expect(shift(n, places)).toBe(want));

  it('adds, multiplies and prints money without float noise', () => {
    expect(add(-500, '-0.01')).toBe('-500.01');
    expect(add(0.1, 0.2)).toBe('0.3');
    expect(mul(5.1, -1000)).toBe('-5100');
    expect(money(-500)).toBe('-500.00');
    expect(money(-1234.5)).toBe('-1234.50');
    expect(money(-0.075)).toBe('-0.075');
    expect(decimal(-0)).toBe('0');
  });
});

describe('Prometheus template functions, mirrored for expected test annotations', () => {
  it.each([
    [0.35, '350ms'],
    [1.001, '1.001s'],
    [65, '1m 5s'],
    [3725, '1h 2m 5s'],
    [90061, '1d 1h 1m 1s'],
    [0, '0s'],
  ])('humanizeDuration(%s) = %s', (v, want) => expect(humanizeDuration(v)).toBe(want));

  it('formats %.4g like Go', () => {
    expect(goG(5.001, 4)).toBe('5.001');
    expect(goG(100, 4)).toBe('100');
    expect(goG(12345, 4)).toBe('1.234e+04');
    expect(goG(0.000012, 4)).toBe('1.2e-05');
    expect(goG(0.0001234, 4)).toBe('0.0001234');
    expect(goG(-2.5, 4)).toBe('-2.5');
    expect(goG(0.99995, 4)).toBe('1'); // 0.99995 is 0.9999500000000000055… in binary: rounds up, then trims
  });

  it.each([
    [-500.01, '-500.01'],
    [0.125, '0.12'],
    [0.375, '0.38'],
    [-0.001, '-0.00'],
    [1234567.891, '1234567.89'],
    [0.5, '0.50'],
  ])('printf "%%.2f" %s = %s (half to even on the exact value, like Go)', (v, want) =>
    expect(render([{ value: 'money' }], {}, v)).toBe(want),
  );

  it.each([
    [11, '11'],
    [0.5, '0'],
    [1.5, '2'],
    [2.5, '2'],
  ])('printf "%%.0f" %s = %s', (v, want) => expect(render([{ value: 'count' }], {}, v)).toBe(want));

  it('writes the template and renders the same text', () => {
    const t = [
      'took ',
      { value: 'duration' as const },
      ' on ',
      { label: 'account' },
      { optionalLabel: 'gateway', before: ' via ', after: '' },
      ' {{ x }}',
    ];
    expect(toTemplate(t)).toBe(
      'took {{ $value | humanizeDuration }} on {{ $labels.account }}{{ with $labels.gateway }} via {{ . }}{{ end }} {{ "{{" }} x }}',
    );
    expect(render(t, { account: 'DU1' }, 0.35)).toBe('took 350ms on DU1 {{ x }}');
  });
});

describe('generate', () => {
  it('is deterministic, sorted, and heads every non-secret file with the source sha256', () => {
    const l = loaded(EXAMPLE);
    const a = generate(l);
    const b = generate(l);
    expect([...a.keys()]).toEqual([...a.keys()].sort());
    expect([...a.entries()]).toEqual([...b.entries()]);
    expect([...a.keys()]).toEqual(
      expect.arrayContaining(['prometheus.yml', 'rules.yml', 'alertmanager.yml', 'tests/OrderLatencyHigh.yml']),
    );
    for (const [p, f] of a) {
      if (f.secret) continue;
      expect(f.content, p).toContain(`# ${GENERATED_MARK}`);
      expect(f.content, p).toContain(`# source sha256: ${l.sha256}`);
    }
  });

  it('copies thresholds exactly: 350 ms is 0.35 s, 0.35 % is 0.0035, money as written', () => {
    const files = gen({
      'alerts_config.thresholds.max_order_latency_ms': '350',
      'alerts_config.thresholds.max_portfolio_drawdown_percentage_today': '0.35',
      'alerts_config.thresholds.min_daily_realized_pnl': '-1234.56',
      'alerts_config.thresholds.max_api_errors_per_hour': '7',
      'alerts_config.thresholds.max_data_staleness_seconds': '45',
    });
    const rules = rulesOf(text(files, 'rules.yml'));
    const expr = (name: string) => rules.find((r) => r.alert === name)!.expr;
    expect(expr('OrderLatencyHigh')).toBe('max by (account, stage) (trader_order_latency_max_seconds) > 0.35');
    expect(expr('DrawdownTodayExceeded')).toBe('account:trader_drawdown_today:ratio > 0.0035');
    expect(expr('DailyRealizedPnlBelowLimit')).toBe('min by (account, currency) (trader_realized_pnl_today) < -1234.56');
    expect(expr('ApiErrorsExcessive')).toBe('sum(component:trader_api_errors:increase1h) > 7');
    expect(expr('MarketDataStale')).toBe('time() - max by (source) (trader_last_data_sync_timestamp_seconds) > 45');
    expect(text(files, 'rules.yml')).not.toMatch(/\d\.\d*0000000\d/);
    const latency = rules.find((r) => r.alert === 'OrderLatencyHigh')!;
    expect(latency.annotations!.description).toContain('above the 350 ms limit');
    expect(rules.find((r) => r.alert === 'DailyRealizedPnlBelowLimit')!.annotations!.description).toContain('below the limit of -1234.56');
    expect(rules.find((r) => r.alert === 'DrawdownTodayExceeded')!.annotations!.description).toContain('more than the 0.35 % limit');
  });

  it("links every alert to the console's views when [grafana] url is not set (the stack without Docker)", () => {
    const rules = rulesOf(
      text(
        gen({ 'alerts_page.listen': '"0.0.0.0:9196"', 'alerts_page.auth_token': '"env:T"' }, { T: 'a-long-enough-token-0123456789' }),
        'rules.yml',
      ),
    );
    const link = (name: string) => rules.find((r) => r.alert === name)!.annotations!.dashboard_url;
    expect(link('OrderLatencyHigh')).toBe('http://127.0.0.1:9196/monitoring?account={{ $labels.account }}');
    expect(link('ExporterDown')).toBe('http://127.0.0.1:9196/monitoring');
    expect(link('AlertDeliveryFailing')).toBe('http://127.0.0.1:9196/alerts');
  });

  it('writes every contract alert with severity, summary, description, runbook_url and dashboard_url; threshold alerts have no for', () => {
    const files = gen({
      'alerts_config.runbook_base_url': '"https://wiki.example.com/runbooks"',
      'grafana.url': '"https://grafana.example.com/"',
    });
    const rules = rulesOf(text(files, 'rules.yml'));
    expect(new Set(rules.filter((r) => r.alert).map((r) => r.alert))).toEqual(new Set(ALERT_NAMES));
    for (const r of rules.filter((x) => x.alert)) {
      expect(Object.keys(r.annotations!).sort()).toEqual(['dashboard_url', 'description', 'runbook_url', 'summary']);
      expect(r.annotations!.runbook_url).toBe(`https://wiki.example.com/runbooks#${r.alert!.toLowerCase()}`);
      expect(r.annotations!.dashboard_url).toMatch(
        /^https:\/\/grafana\.example\.com\/d\/(trader-overview\/trading-overview|alerts-delivery\/alerts-and-delivery)/,
      );
      expect(['info', 'warning', 'critical', 'none']).toContain(r.labels!.severity);
    }
    for (const name of [
      'OrderLatencyHigh',
      'DailyRealizedPnlBelowLimit',
      'DrawdownTodayExceeded',
      'ApiErrorsExcessive',
      'MarketDataStale',
    ]) {
      expect(rules.find((r) => r.alert === name)!.for, name).toBeUndefined();
    }
    expect(rules.find((r) => r.alert === 'OrderLatencyHigh')!.annotations!.dashboard_url).toBe(
      'https://grafana.example.com/d/trader-overview/trading-overview?var-account={{ $labels.account }}',
    );
    expect(rules.find((r) => r.alert === 'Watchdog')!.labels!.severity).toBe('none');
    expect(rules.filter((r) => r.record).map((r) => r.record)).toEqual([
      'account:trader_win_rate_today:ratio',
      'account:trader_drawdown_today:ratio',
      'component:trader_api_errors:rate5m',
      'component:trader_api_errors:increase1h',
      'account:trader_avg_win_today:currency',
      'account:trader_avg_loss_today:currency',
    ]);
  });

  it('ComponentDown watches exactly the configured components, stale or absent', () => {
    const rules = rulesOf(
      text(gen({ 'exporter.heartbeat_components': '["risk"]', 'exporter.heartbeat_timeout_seconds': '90' }), 'rules.yml'),
    );
    const cd = rules.filter((r) => r.alert === 'ComponentDown');
    expect(cd.map((r) => r.expr)).toEqual([
      'time() - max by (component) (trader_component_last_heartbeat_timestamp_seconds{component="risk"}) > 90',
      '(absent(trader_component_last_heartbeat_timestamp_seconds{component="risk"}) and on () present_over_time(trader_component_last_heartbeat_timestamp_seconds{component="risk"}[1d]))',
    ]);
    expect(cd[1].for).toBe('90s');
    expect(rulesOf(text(gen({ 'exporter.heartbeat_components': '[]' }), 'rules.yml')).some((r) => r.alert === 'ComponentDown')).toBe(false);
  });

  it('alerts_config.enabled = false keeps recording rules, Watchdog, ExporterDown, AlertDeliveryFailing and PartCrashLooping only', () => {
    const files = gen({ 'alerts_config.enabled': 'false' });
    const rules = rulesOf(text(files, 'rules.yml'));
    expect(rules.filter((r) => r.alert).map((r) => r.alert)).toEqual([
      'ExporterDown',
      'AlertDeliveryFailing',
      'PartCrashLooping',
      'Watchdog',
    ]);
    expect(rules.filter((r) => r.record)).toHaveLength(6);
    expect([...files.keys()].filter((p) => p.startsWith('tests/'))).toEqual([
      'tests/AlertDeliveryFailing.yml',
      'tests/ExporterDown.yml',
      'tests/PartCrashLooping.yml',
      'tests/Watchdog.yml',
      'tests/recording-rules.yml',
      'tests/thresholds-disabled.yml',
    ]);
  });

  it('prometheus.yml scrapes the four parts and up itself at the configured intervals, wildcard listens as loopback', () => {
    const files = gen(
      {
        'prometheus.scrape_interval_seconds': '15',
        'prometheus.evaluation_interval_seconds': '30',
        'exporter.listen': '"0.0.0.0:9464"',
        'exporter.events_token': '"env:T"',
      },
      { T: 'x' },
    );
    const doc = parse(text(files, 'prometheus.yml')) as Record<string, any>;
    expect(doc.global).toEqual({ scrape_interval: '15s', evaluation_interval: '30s' });
    expect(doc.rule_files).toEqual(['rules.yml']);
    expect(doc.alerting.alertmanagers[0].static_configs[0].targets).toEqual(['127.0.0.1:9093']);
    expect(doc.scrape_configs.map((s: any) => [s.job_name, s.static_configs[0].targets[0]])).toEqual([
      ['trader-exporter', '127.0.0.1:9464'],
      ['trader-exporter-positions', '127.0.0.1:9464'],
      ['alert-bridge', '127.0.0.1:9095'],
      ['prometheus', '127.0.0.1:9090'],
      ['alertmanager', '127.0.0.1:9093'],
      ['traderadmin-up', '127.0.0.1:9097'],
    ]);
    // Alerts read the account-level scope; the positions come on their own job, never faster.
    expect(doc.scrape_configs[0]).toMatchObject({ params: { scope: ['account'] } });
    expect(doc.scrape_configs[0].scrape_interval).toBeUndefined();
    expect(doc.scrape_configs[1]).toMatchObject({ params: { scope: ['positions'] }, scrape_interval: '15s' });
    // The stack's own parts: never faster than the trading series either.
    expect(doc.scrape_configs.slice(2).map((s: any) => s.scrape_interval)).toEqual(['15s', '15s', '15s', '15s']);
  });

  it('scrapes the per-position series on their own, slower job by default', () => {
    const doc = parse(text(gen({}), 'prometheus.yml')) as Record<string, any>;
    expect(doc.global).toEqual({ scrape_interval: '1s', evaluation_interval: '1s' });
    expect(doc.scrape_configs[1]).toMatchObject({
      job_name: 'trader-exporter-positions',
      scrape_interval: '10s',
      params: { scope: ['positions'] },
    });
    // The bridge, Prometheus, Alertmanager and up: every 10 s, the trading series every second.
    expect(doc.scrape_configs.slice(2).map((s: any) => [s.job_name, s.scrape_interval])).toEqual([
      ['alert-bridge', '10s'],
      ['prometheus', '10s'],
      ['alertmanager', '10s'],
      ['traderadmin-up', '10s'],
    ]);
  });

  it("scrapes the stack's own parts at prometheus.stack_scrape_interval_seconds", () => {
    const doc = parse(text(gen({ 'prometheus.stack_scrape_interval_seconds': '30' }), 'prometheus.yml')) as Record<string, any>;
    expect(doc.scrape_configs.slice(2).map((s: any) => s.scrape_interval)).toEqual(['30s', '30s', '30s', '30s']);
    expect(doc.scrape_configs[0].scrape_interval).toBeUndefined();
  });

  it('remote_write and bridge secrets go to 0600 files, never into the YAML', () => {
    const l = loaded(
      variantText('odd numbers, three components, remote_write and a cluster').replace(
        '# auth_token = "env:ALERT_BRIDGE_TOKEN"',
        'auth_token = "env:ALERT_BRIDGE_TOKEN"',
      ),
      VARIANT_ENV,
    );
    const files = generate(l, { env: VARIANT_ENV });
    const prom = parse(text(files, 'prometheus.yml')) as Record<string, any>;
    expect(prom.remote_write).toEqual([
      {
        url: 'https://mimir.example.com/api/v1/push',
        name: 'mimir',
        headers: { 'X-Scope-OrgID': 'trading' },
        authorization: { type: 'Bearer', credentials_file: 'secrets/remote_write_0_bearer_token' },
      },
      {
        url: 'https://thanos-receive.example.com/api/v1/receive',
        basic_auth: { username: 'trader', password_file: 'secrets/remote_write_1_password' },
      },
    ]);
    const am = parse(text(files, 'alertmanager.yml')) as Record<string, any>;
    for (const r of am.receivers.filter((x: any) => x.webhook_configs)) {
      expect(r.webhook_configs[0].http_config).toEqual({
        authorization: { type: 'Bearer', credentials_file: 'secrets/alert_bridge_token' },
      });
    }
    expect(files.get('secrets/remote_write_0_bearer_token')).toEqual({ content: 'mimir-s3cr3t\n', mode: 0o600, secret: true });
    expect(files.get('secrets/alert_bridge_token')!.content).toBe('bridge-token-s3cr3t\n');
    for (const [p, f] of files) {
      if (f.secret) continue;
      for (const s of Object.values(VARIANT_ENV)) expect(f.content, p).not.toContain(s);
    }
    const dir = tempDir();
    writeGenerated(dir, files);
    expect(statSync(path.join(dir, 'secrets/remote_write_1_password')).mode & 0o777).toBe(0o600);
    expect(statSync(path.join(dir, 'secrets')).mode & 0o777).toBe(0o700);
  });

  it('with a token, Prometheus and Alertmanager ask for basic auth and Prometheus sends it to its own only', () => {
    const text = withKeys({ 'prometheus.alertmanagers': '["10.0.0.2:9093", "127.0.0.1:9093"]' });
    const files = generate(loaded(text), { localToken: 'local-token-0123456789' });
    const prom = parse(files.get('prometheus.yml')!.content) as Record<string, any>;
    const auth = { username: 'traderadmin', password_file: 'secrets/engine_password' };
    // Another machine's Alertmanager has a credential of its own (or none): it never gets ours.
    expect(prom.alerting.alertmanagers).toEqual([
      { static_configs: [{ targets: ['127.0.0.1:9093'] }], basic_auth: auth },
      { static_configs: [{ targets: ['10.0.0.2:9093'] }] },
    ]);
    const jobs = Object.fromEntries((prom.scrape_configs as any[]).map((j) => [j.job_name, j.basic_auth]));
    expect(jobs).toMatchObject({ prometheus: auth, alertmanager: auth, 'trader-exporter': undefined, 'alert-bridge': undefined });
    expect(files.get('secrets/engine_password')).toEqual({ content: 'local-token-0123456789\n', mode: 0o600, secret: true });
    const web = files.get('secrets/web.yml')!;
    expect(web).toMatchObject({ mode: 0o600, secret: true });
    const hash = /^ {2}traderadmin: (\$2b\$10\$\S{53})$/m.exec(web.content)![1];
    expect(bcrypt.compareSync('local-token-0123456789', hash)).toBe(true);
    expect(bcrypt.compareSync('local-token-012345678', hash)).toBe(false);
    // Same token, same bytes: diff and apply see no change.
    expect(generate(loaded(text), { localToken: 'local-token-0123456789' }).get('secrets/web.yml')!.content).toBe(web.content);
    if (toolAvailable('promtool')) {
      const dir = tempDir();
      writeGenerated(dir, files);
      const check = spawnSync('promtool', ['check', 'web-config', path.join(dir, 'secrets/web.yml')], { encoding: 'utf8' });
      expect(check.status, check.stderr).toBe(0);
    }

    // alert_bridge.auth_token takes the local token's place; without either, nothing asks for auth.
    const own = generate(
      loaded(
        variantText('odd numbers, three components, remote_write and a cluster').replace(
          '# auth_token = "env:ALERT_BRIDGE_TOKEN"',
          'auth_token = "env:ALERT_BRIDGE_TOKEN"',
        ),
        VARIANT_ENV,
      ),
      { env: VARIANT_ENV, localToken: 'local-token-0123456789' },
    );
    expect(own.get('secrets/engine_password')!.content).toBe('bridge-token-s3cr3t\n');
    const none = generate(loaded(text));
    expect([...none.keys()].filter((k) => k.startsWith('secrets/'))).toEqual([]);
    expect(none.get('prometheus.yml')!.content).not.toContain('basic_auth');
  });
});

describe('alertmanager.yml', () => {
  const am = (keys: Record<string, string>, env: NodeJS.ProcessEnv = {}) =>
    parse(text(gen(keys, env), 'alertmanager.yml')) as Record<string, any>;

  it('routes each enabled channel by its min_severity to the bridge, with the cooldown as repeat_interval', () => {
    const doc = am(
      {
        'alerts_config.notifications.email.enabled': 'true',
        'alerts_config.notifications.sms.enabled': 'true',
        'alerts_config.cooldown_minutes': '30',
        'alertmanager.group_interval_seconds': '300',
        'alertmanager.group_wait_seconds': '20',
        'alert_bridge.listen': '"0.0.0.0:9999"',
        'alert_bridge.auth_token': '"env:TOKEN"',
      },
      { SMTP_PASSWORD: 'x', TWILIO_ACCOUNT_SID: 'x', TWILIO_AUTH_TOKEN: 'x', TOKEN: 't' },
    );
    expect(doc.route).toMatchObject({
      receiver: 'blackhole',
      group_by: ['alertname', 'account'],
      group_wait: '20s',
      group_interval: '5m',
      repeat_interval: '30m',
    });
    expect(doc.route.routes[0]).toEqual({
      receiver: 'bridge-watchdog',
      matchers: ['alertname="Watchdog"'],
      group_by: ['alertname'],
      group_wait: '0s',
      group_interval: '1m',
      repeat_interval: '1m',
    });
    expect(doc.route.routes.slice(1).map((r: any) => [r.receiver, r.matchers, r.continue])).toEqual([
      ['bridge-email', ['severity=~"warning|critical"'], true],
      ['bridge-sms', ['severity="critical"'], true],
    ]);
    expect(doc.receivers.map((r: any) => [r.name, r.webhook_configs?.[0]?.url, r.webhook_configs?.[0]?.send_resolved])).toEqual([
      ['blackhole', undefined, undefined],
      ['bridge-email', 'http://127.0.0.1:9999/api/v1/alertmanager/email', true],
      ['bridge-sms', 'http://127.0.0.1:9999/api/v1/alertmanager/sms', true],
      ['bridge-watchdog', 'http://127.0.0.1:9999/api/v1/alertmanager/watchdog', false],
    ]);
  });

  it('MarketDataStale notifies only in market hours; the restart window, split at midnight, mutes BrokerDisconnected', () => {
    const doc = am({
      'alerts_config.notifications.webhook.enabled': 'true',
      'trading.market_days': '["mon", "tue", "thu", "fri", "sun"]',
      'trading.timezone': '"Europe/Berlin"',
      // Holidays have their own test (holidays.test.ts).
      'trading.market_holidays': '[]',
    });
    expect(doc.route.routes[1].routes).toEqual([
      { matchers: ['alertname="MarketDataStale"'], active_time_intervals: ['market-hours'] },
      { matchers: ['alertname="BrokerDisconnected"'], mute_time_intervals: ['ib-restart-window'] },
    ]);
    expect(doc.time_intervals).toEqual([
      {
        name: 'market-hours',
        time_intervals: [
          {
            // Alertmanager's week starts on Sunday: sun..tue is one range.
            weekdays: ['sunday:tuesday', 'thursday:friday'],
            times: [{ start_time: '09:30', end_time: '16:00' }],
            location: 'Europe/Berlin',
          },
        ],
      },
      {
        name: 'ib-restart-window',
        time_intervals: [
          { times: [{ start_time: '23:45', end_time: '24:00' }], location: 'Europe/Berlin' },
          { times: [{ start_time: '00:00', end_time: '00:45' }], location: 'Europe/Berlin' },
        ],
      },
    ]);
  });

  it('splits restart windows correctly', () => {
    const c = (start: string, end: string) =>
      loaded(withKeys({ 'broker.restart_window_start': `"${start}"`, 'broker.restart_window_end': `"${end}"` })).config;
    expect(restartWindowTimes(c('01:00', '02:00'))).toEqual([{ start_time: '01:00', end_time: '02:00' }]);
    expect(restartWindowTimes(c('23:00', '00:00'))).toEqual([{ start_time: '23:00', end_time: '24:00' }]);
    expect(restartWindowTimes(c('03:00', '03:00'))).toEqual([]);
    // Alertmanager refuses a range that wraps past Saturday ("saturday:sunday", "monday:sunday").
    expect(weekdayRanges(['sat', 'sun', 'mon'])).toEqual(['sunday:monday', 'saturday']);
    expect(weekdayRanges(['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'])).toEqual(['sunday:saturday']);
  });

  it('inhibits: BrokerDisconnected mutes MarketDataStale and that account’s P&L alerts; critical mutes warning', () => {
    const doc = am({});
    expect(doc.inhibit_rules).toEqual([
      { source_matchers: ['alertname="BrokerDisconnected"'], target_matchers: ['alertname="MarketDataStale"'] },
      {
        source_matchers: ['alertname="BrokerDisconnected"'],
        target_matchers: ['alertname=~"DailyRealizedPnlBelowLimit|DrawdownTodayExceeded"'],
        equal: ['account'],
      },
      { source_matchers: ['alertname="ExporterDown"'], target_matchers: ['alertname=~"ComponentDown|BrokerDisconnected|MarketDataStale"'] },
      { source_matchers: ['severity="critical"'], target_matchers: ['severity="warning"'], equal: ['alertname', 'account'] },
    ]);
  });

  it('alertmanagerArgs gives the cluster flags Alertmanager only takes on its command line', () => {
    const single = loaded(EXAMPLE).config;
    expect(alertmanagerArgs(single)).toEqual(['--web.listen-address=127.0.0.1:9093', '--cluster.listen-address=']);
    const cluster = loaded(
      withKeys({
        'alertmanager.cluster_listen': '"10.0.0.1:9094"',
        'alertmanager.peers': '["10.0.0.2:9094", "10.0.0.3:9094"]',
        'alertmanager.listen': '"10.0.0.1:9093"',
      }),
    ).config;
    expect(alertmanagerArgs(cluster, { configFile: '/etc/am.yml', storagePath: '/var/am' })).toEqual([
      '--config.file=/etc/am.yml',
      '--storage.path=/var/am',
      '--web.listen-address=10.0.0.1:9093',
      '--cluster.listen-address=10.0.0.1:9094',
      '--cluster.peer=10.0.0.2:9094',
      '--cluster.peer=10.0.0.3:9094',
    ]);
  });
});

describe('writeGenerated', () => {
  it('writes, skips unchanged files, and removes generated files that are no longer produced', () => {
    const dir = tempDir();
    const first = writeGenerated(dir, gen({}));
    expect(first.written).toContain('tests/ComponentDown.yml');
    writeFileSync(path.join(dir, 'tests/my-own.yml'), 'rule_files: []\n');
    const again = writeGenerated(dir, gen({}));
    expect(again.written).toEqual([]);
    const off = writeGenerated(dir, gen({ 'exporter.heartbeat_components': '[]' }));
    expect(off.removed).toEqual(['tests/ComponentDown.yml']);
    expect(existsSync(path.join(dir, 'tests/my-own.yml'))).toBe(true);
    expect(readdirSync(dir).filter((n) => n.includes('.tmp-'))).toEqual([]);
    expect(readGenerated(dir).get('rules.yml')).toBe(readFileSync(path.join(dir, 'rules.yml'), 'utf8'));
  });
});
