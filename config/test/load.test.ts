import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, configSchema, formatProblem, loadConfig, type FieldDescription } from '../src/index.js';
import { check, problemLines } from './helpers.js';

const EXAMPLE = path.resolve(__dirname, '../config.example.toml');

describe('loading config.example.toml', () => {
  it('loads with the contract values and every default filled in', () => {
    const { config } = loadConfig(EXAMPLE, { env: {} });
    expect(config.alerts_config.thresholds).toEqual({
      max_order_latency_ms: 1000,
      min_daily_realized_pnl: -500,
      max_portfolio_drawdown_percentage_today: 5,
      max_api_errors_per_hour: 10,
      max_data_staleness_seconds: 60,
    });
    expect(config.broker).toMatchObject({ mode: 'emulator', host: '127.0.0.1', port: 4002, client_id: 17 });
    expect(config.exporter.listen).toBe('127.0.0.1:9464');
    expect(config.alert_bridge.listen).toBe('127.0.0.1:9095');
    expect(config.trading.timezone).toBe('America/New_York');
  });

  it('returns a deeply frozen object', () => {
    const { config } = loadConfig(EXAMPLE, { env: {} });
    expect(Object.isFrozen(config)).toBe(true);
    expect(Object.isFrozen(config.alerts_config.thresholds)).toBe(true);
    expect(() => {
      (config.alerts_config.thresholds as { max_order_latency_ms: number }).max_order_latency_ms = 1;
    }).toThrow(TypeError);
  });

  it('fills every default when the file is empty', () => {
    const { config, problems } = check('');
    expect(problems).toEqual([]);
    expect(config?.alerts_config.cooldown_minutes).toBe(15);
    expect(config?.alerts_config.notifications.sms.min_severity).toBe('critical');
  });

  it('comments every key of the schema in config.example.toml', () => {
    const lines = readFileSync(EXAMPLE, 'utf8').split('\n');
    const missing: string[] = [];
    const walk = (d: FieldDescription, keyPath: string[]) => {
      if (d.kind === 'table') {
        for (const [k, child] of Object.entries(d.fields ?? {})) walk(child, [...keyPath, k]);
        return;
      }
      const key = keyPath.at(-1)!;
      const index = lines.findIndex((l) => new RegExp(`^#?\\s*${key}\\s*=`).test(l.trim()) || l.trim() === `# [[${keyPath.join('.')}]]`);
      if (index < 0) {
        missing.push(`${keyPath.join('.')} (not written)`);
        return;
      }
      // The key, or the run of keys it belongs to, follows a comment line.
      let j = index - 1;
      while (j >= 0 && /^\s*#?\s*[a-z_]+\s*=/.test(lines[j]) && !/^\s*#\s*[A-Z"(]/.test(lines[j])) j--;
      if (j < 0 || !lines[j].trim().startsWith('#')) missing.push(`${keyPath.join('.')} (no comment)`);
    };
    walk(configSchema.describe(), []);
    expect(missing).toEqual([]);
  });
});

describe('problems are reported with line, key and hint', () => {
  it.each([
    [
      'an unknown key, with a did-you-mean',
      '[alerts_config.thresholds]\nmax_order_latncy_ms = 200\n',
      '2 error alerts_config.thresholds.max_order_latncy_ms: unknown key "max_order_latncy_ms" in [alerts_config.thresholds]',
    ],
    ['a wrong type', '[alerts_config]\nenabled = "yes"\n', '2 error alerts_config.enabled: expected true or false, got a string "yes"'],
    [
      'a number in quotes',
      '[alerts_config.thresholds]\nmin_daily_realized_pnl = "-500"\n',
      '2 error alerts_config.thresholds.min_daily_realized_pnl: expected a number, got a string "-500"',
    ],
    ['an out-of-range port', '[broker]\nport = 70000\n', '2 error broker.port: 70000 is out of range: must be between 1 and 65535'],
    [
      'a fractional latency',
      '[alerts_config.thresholds]\nmax_order_latency_ms = 200.5\n',
      '2 error alerts_config.thresholds.max_order_latency_ms: expected an integer, got the number 200.5',
    ],
    [
      'a zero drawdown',
      '[alerts_config.thresholds]\nmax_portfolio_drawdown_percentage_today = 0\n',
      '2 error alerts_config.thresholds.max_portfolio_drawdown_percentage_today: 0 is out of range: must be greater than 0 and at most 100 %',
    ],
    [
      'a percentage given as a fraction',
      '[alerts_config.thresholds]\nmax_portfolio_drawdown_percentage_today = 0.05\n',
      '2 warning alerts_config.thresholds.max_portfolio_drawdown_percentage_today: 0.05 means 0.05 %, not 5 %',
    ],
    [
      'a cooldown that is not whole minutes',
      '[alerts_config]\ncooldown_minutes = 7.5\n',
      '2 error alerts_config.cooldown_minutes: 7.5 is not a whole number of minutes; Alertmanager durations cannot express it and it would be rounded',
    ],
    ['a bad enum', '[broker]\nmode = "ibk"\n', '2 error broker.mode: "ibk" is not one of "emulator", "ibkr"'],
    [
      'a bad time zone',
      '[trading]\ntimezone = "New York"\n',
      '2 error trading.timezone: "New York" is not an IANA time zone (for example "America/New_York")',
    ],
    [
      'a bad listen address',
      '[exporter]\nlisten = "9464"\n',
      '2 error exporter.listen: "9464" is not HOST:PORT (for example "127.0.0.1:9464")',
    ],
    [
      'a bad phone number',
      '[alerts_config.notifications.sms]\nto = ["555-0100"]\n',
      '2 error alerts_config.notifications.sms.to[0]: "555-0100" is not a phone number in E.164 form (+ and 7 to 15 digits)',
    ],
    [
      'a string where a list is expected',
      '[alerts_config.notifications.email]\nrecipients = "a@example.com"\n',
      '2 error alerts_config.notifications.email.recipients: expected a list, got a string "a@example.com"',
    ],
    [
      'market hours the wrong way round',
      '[trading]\nmarket_open = "16:00"\nmarket_close = "09:30"\n',
      '3 error trading.market_close: market_close 09:30 is not after market_open 16:00',
    ],
  ])('%s', (_name, text, expected) => {
    expect(problemLines(text)).toEqual([expected]);
  });

  it('gives the hint for a typo', () => {
    const [p] = check('[alerts_config.thresholds]\nmax_order_latncy_ms = 200\n').problems;
    expect(p.hint).toBe('did you mean "max_order_latency_ms"?');
  });

  it('reports a cooldown Alertmanager would silently round, with the real cooldown', () => {
    const lines = problemLines('[alerts_config]\ncooldown_minutes = 15\n[alertmanager]\ngroup_interval_seconds = 420\n');
    expect(lines).toEqual([
      '2 error alerts_config.cooldown_minutes: a 15-minute cooldown is not a multiple of alertmanager.group_interval_seconds (420 s): Alertmanager re-sends only on group_interval ticks, so the real cooldown would be 21 minutes',
    ]);
  });

  it('refuses a bridge dedup window as long as the cooldown, which would swallow reminders', () => {
    expect(problemLines('[alerts_config]\ncooldown_minutes = 5\n[alert_bridge]\ndedup_window_seconds = 300\n')).toEqual([
      "4 error alert_bridge.dedup_window_seconds: 300 s is not shorter than the 5-minute cooldown: the bridge would drop Alertmanager's reminders as duplicates",
    ]);
    expect(problemLines('[alerts_config]\ncooldown_minutes = 5\n[alert_bridge]\ndedup_window_seconds = 299\n')).toEqual([]);
  });

  it('lists every problem at once, in file order', () => {
    const text = [
      '[alerts_config]',
      'enabled = "yes"',
      '[alerts_config.thresholds]',
      'max_order_latncy_ms = 200',
      'max_portfolio_drawdown_percentage_today = 0.05',
      '[alerts_config.notifications.slack]',
      'enabled = true',
      'webhook_url = "env:SLACK_HOOK_FOR_TEST"',
      '[broker]',
      'port = 0',
    ].join('\n');
    expect(problemLines(text).map((l) => l.split(':')[0])).toEqual([
      '2 error alerts_config.enabled',
      '4 error alerts_config.thresholds.max_order_latncy_ms',
      '5 warning alerts_config.thresholds.max_portfolio_drawdown_percentage_today',
      '8 error alerts_config.notifications.slack.webhook_url',
      '10 error broker.port',
    ]);
  });

  it('locates TOML syntax errors by line and column', () => {
    const { problems } = check('[alerts_config]\nenabled = tru\n');
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ line: 2, severity: 'error' });
    expect(problems[0].column).toBeGreaterThan(0);
    expect(problems[0].message).toMatch(/^TOML syntax: /);
  });

  it('requires the environment variables of enabled channels only', () => {
    const text = '[alerts_config.notifications.slack]\nenabled = true\nwebhook_url = "env:SLACK_HOOK_FOR_TEST"\n';
    expect(problemLines(text)).toEqual([
      '3 error alerts_config.notifications.slack.webhook_url: environment variable SLACK_HOOK_FOR_TEST is not set',
    ]);
    expect(problemLines(text, { SLACK_HOOK_FOR_TEST: 'https://hooks.slack.test/T/B/x' })).toEqual([]);
    expect(problemLines(text.replace('enabled = true', 'enabled = false'))).toEqual([]);
  });

  it('refuses an events API beyond loopback without a token', () => {
    expect(problemLines('[exporter]\nlisten = "0.0.0.0:9464"\n')).toEqual([
      '2 error exporter.listen: 0.0.0.0:9464 is beyond loopback, and the events API has no events_token',
    ]);
  });

  it('points a missing required key of an enabled channel at its table', () => {
    const lines = problemLines('[alerts_config.notifications.email]\nenabled = true\nrecipients = []\n');
    expect(lines).toEqual(['3 error alerts_config.notifications.email.recipients: email is enabled but has no recipients']);
  });
});

describe('loadConfig', () => {
  it('throws a ConfigError naming the file when it does not exist', () => {
    expect(() => loadConfig('/nonexistent/config.toml')).toThrowError(ConfigError);
    try {
      loadConfig('/nonexistent/config.toml');
    } catch (error) {
      expect((error as ConfigError).problems[0]).toMatchObject({ file: '/nonexistent/config.toml', message: 'file not found' });
    }
  });

  it('hashes the bytes it read', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'cfg-'));
    const file = path.join(dir, 'config.toml');
    writeFileSync(file, '[alerts_config]\ncooldown_minutes = 30\n');
    const a = loadConfig(file, { env: {} });
    writeFileSync(file, '[alerts_config]\ncooldown_minutes = 31\n');
    const b = loadConfig(file, { env: {} });
    expect(a.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(a.sha256).not.toBe(b.sha256);
  });

  it('formats a problem as file:line: severity: key: message with the hint below', () => {
    const [p] = check('[broker]\nmode = "ibk"\n').problems;
    expect(formatProblem(p)).toBe(
      'config.toml:2: error: broker.mode: "ibk" is not one of "emulator", "ibkr"\n    hint: did you mean "ibkr"?',
    );
  });
});
