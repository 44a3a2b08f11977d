/** The traderadmin generate / validate / explain / diff commands, run as a user runs them. */
import { existsSync, mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { assertContainsEach, requireBinaries } from '@traderadmin/test-support';
import { explain } from '../src/index.js';
import { EXAMPLE, EXAMPLE_FILE, cli, loaded, tempDir, withKeys } from './helpers.js';

function configFile(text: string): string {
  const file = path.join(tempDir('cli-'), 'config.toml');
  writeFileSync(file, text);
  return file;
}

describe('traderadmin generate', () => {
  it('writes every file with progress lines and exits 0', () => {
    const out = path.join(tempDir(), 'gen');
    const res = cli(['generate', '--config', EXAMPLE_FILE, '--out', out]);
    expect(res.code).toBe(0);
    expect(res.stdout).toMatch(/^reading .*config\.example\.toml \(sha256 [0-9a-f]{12}\)$/m);
    expect(res.stdout).toContain(`written   ${path.join(out, 'rules.yml')}`);
    expect(res.stdout).toMatch(/✓ 15 files in .* \(15 written, 0 unchanged\)/);
    expect(readdirSync(out).sort()).toEqual(['alertmanager.yml', 'prometheus.yml', 'rules.yml', 'tests']);
    const again = cli(['generate', '--config', EXAMPLE_FILE, '--out', out]);
    expect(again.stdout).toMatch(/\(0 written, 15 unchanged\)/);
  });

  it('--create-local-token makes the token as up does (docker compose), and Prometheus and Alertmanager then ask for it', () => {
    const dir = tempDir('cli-');
    mkdirSync(path.join(dir, 'config'));
    const file = path.join(dir, 'config/config.toml');
    writeFileSync(file, EXAMPLE);
    const res = cli(['generate', '--config', file, '--out', path.join(dir, 'data/generated'), '--create-local-token']);
    expect(res.code, res.stderr).toBe(0);
    const token = path.join(dir, 'data/secrets/token');
    expect(res.stdout).toContain(`created the local API token ${token}`);
    expect(statSync(token).mode & 0o777).toBe(0o600);
    expect(readFileSync(path.join(dir, 'data/generated/secrets/engine_password'), 'utf8')).toBe(readFileSync(token, 'utf8'));
    expect(readFileSync(path.join(dir, 'data/generated/secrets/web.yml'), 'utf8')).toContain('  traderadmin: $2b$10$');
  });

  it('an invalid config writes nothing, exits 1 and lists every problem with line and key', () => {
    const out = path.join(tempDir(), 'gen');
    const file = configFile(
      withKeys({
        'alerts_config.cooldown_minutes': '0',
        'prometheus.scrape_interval_seconds': '"5s"',
        'alertmanager.group_wait_seconds': '-1',
      }),
    );
    const res = cli(['generate', '--config', file, '--out', out]);
    expect(res.code).toBe(1);
    const lines = res.stderr.trim().split('\n');
    expect(lines.filter((l) => l.includes(': error: '))).toHaveLength(3);
    expect(res.stderr).toMatch(/config\.toml:\d+: error: alerts_config\.cooldown_minutes: 0 is out of range/);
    expect(res.stderr).toMatch(/config\.toml:\d+: error: prometheus\.scrape_interval_seconds: expected an integer/);
    expect(res.stderr).toMatch(/config\.toml:\d+: error: alertmanager\.group_wait_seconds/);
    expect(lines.at(-1)).toMatch(/3 problems; nothing written$/);
    expect(existsSync(out)).toBe(false);
  });

  it('an invalid config leaves a previous generation untouched', () => {
    const out = path.join(tempDir(), 'gen');
    expect(cli(['generate', '--config', EXAMPLE_FILE, '--out', out]).code).toBe(0);
    const rules = readFileSync(path.join(out, 'rules.yml'), 'utf8');
    const res = cli(['generate', '--config', configFile(withKeys({ 'alerts_config.thresholds.max_order_latency_ms': '0' })), '--out', out]);
    expect(res.code).toBe(1);
    expect(readFileSync(path.join(out, 'rules.yml'), 'utf8')).toBe(rules);
  });
});

describe('traderadmin validate', () => {
  it('keeps its output for a valid config', () => {
    const res = cli(['validate', '--config', EXAMPLE_FILE]);
    expect(res.code).toBe(0);
    expect(res.stdout.trim()).toBe(`✓ ${EXAMPLE_FILE} is valid`);
  });

  it('reports a tool failure at the config line that caused it', () => {
    requireBinaries('amtool');
    // Alertmanager cannot load this time zone name: the schema accepts it only if the
    // platform knows it, so use an amtool that rejects every config to prove the mapping.
    const dir = tempDir('fake-amtool-');
    const fake = path.join(dir, 'amtool');
    writeFileSync(fake, '#!/bin/sh\n[ "$1" = "--version" ] && exit 0\necho "error: receiver bridge-slack: bad url" >&2\nexit 1\n', {
      mode: 0o755,
    });
    const file = configFile(
      withKeys({ 'alerts_config.notifications.slack.enabled': 'true', 'alerts_config.notifications.slack.webhook_url': '"env:SLACK_URL"' }),
    );
    const res = cli(['validate', '--config', file], { AMTOOL_BIN: fake, SLACK_URL: 'https://hooks.example/x' });
    expect(res.code).toBe(1);
    const line =
      readFileSync(file, 'utf8')
        .split('\n')
        .findIndex((l) => l.trim() === '[alerts_config.notifications.slack]') + 1;
    expect(res.stderr).toContain(
      `${file}:${line}: error: alerts_config.notifications.slack: amtool check-config: error: receiver bridge-slack: bad url`,
    );
    expect(res.stderr).toContain('✗');
  });
});

describe('traderadmin explain', () => {
  it('shows when each channel hears about OrderLatencyHigh', () => {
    const file = configFile(
      withKeys(
        {
          'alerts_config.thresholds.max_order_latency_ms': '200',
          'alerts_config.notifications.email.enabled': 'true',
          'alerts_config.notifications.sms.enabled': 'true',
        },
        EXAMPLE,
      ),
    );
    const res = cli(['explain', '--config', file, '--alert', 'OrderLatencyHigh'], {
      SMTP_PASSWORD: 'x',
      TWILIO_ACCOUNT_SID: 'x',
      TWILIO_AUTH_TOKEN: 'x',
    });
    expect(res.code).toBe(0);
    expect(res.stdout).toContain('OrderLatencyHigh [warning]');
    expect(res.stdout).toContain('threshold: 200 ms (alerts_config.thresholds.max_order_latency_ms = 200)');
    expect(res.stdout).toContain('fires 0–2 s after the condition starts to hold (scrape ≤ 1 s + evaluation ≤ 1 s)');
    expect(res.stdout).toContain(
      'email    first 0–2 s after the condition holds, then every 15 min while it fires, resolved message ≤ 3 s after it clears',
    );
    expect(res.stdout).toContain('sms      not notified: severity warning is below min_severity = "critical"');
    expect(res.stdout).toContain('slack    not notified: alerts_config.notifications.slack.enabled = false');
    // Warning-only: no critical twin exists to mute it (explain reads the generated inhibit rules).
    expect(res.stdout).not.toContain('muted while firing');
  });

  it('explains time intervals, disabled alerts and unknown names', () => {
    const on = explain(loaded(withKeys({ 'alerts_config.notifications.webhook.enabled': 'true' })), 'MarketDataStale')[0];
    expect(on.channels.find((c) => c.channel === 'webhook')).toMatchObject({
      notified: true,
      firstMinSeconds: 0,
      firstMaxSeconds: 1,
      repeatSeconds: 900,
      note: 'only inside market hours: monday:friday 09:30–16:00 America/New_York except 20 exchange holidays (trading.market_holidays, 2026-01-01…2027-12-24); outside them it waits for the next group_interval tick inside them',
    });
    const broker = explain(loaded(withKeys({ 'alerts_config.notifications.webhook.enabled': 'true' })), 'BrokerDisconnected')[0];
    expect(broker.channels.find((c) => c.channel === 'webhook')!.note).toBe('muted during the restart window 23:45–00:45 America/New_York');
    expect(explain(loaded(withKeys({ 'alerts_config.enabled': 'false' })), 'OrderLatencyHigh')[0].notes).toEqual([
      'not generated: alerts_config.enabled = false',
    ]);
    const watchdog = explain(loaded(EXAMPLE), 'Watchdog')[0];
    expect(watchdog.channels).toEqual([expect.objectContaining({ channel: 'watchdog', repeatSeconds: 60, firstMaxSeconds: 1 })]);
    expect(() => explain(loaded(EXAMPLE), 'Nope')).toThrow('unknown alert "Nope"; one of: OrderLatencyHigh,');
  });
});

describe('traderadmin diff', () => {
  it('names threshold, receiver and route changes against the files on disk, and never shows secrets', () => {
    const out = path.join(tempDir(), 'gen');
    expect(cli(['generate', '--config', EXAMPLE_FILE, '--out', out]).code).toBe(0);
    const file = configFile(
      withKeys({
        'alerts_config.thresholds.max_portfolio_drawdown_percentage_today': '2.5',
        'alerts_config.notifications.slack.enabled': 'true',
        'alert_bridge.auth_token': '"env:BRIDGE_TOKEN"',
      }),
    );
    const env = { SLACK_WEBHOOK_URL: 'https://hooks.example/abc', BRIDGE_TOKEN: 'very-secret-token' };
    const res = cli(['diff', '--config', file, '--out', out], env);
    expect(res.code).toBe(3);
    assertContainsEach(res.stdout, [
      '~ alert DrawdownTodayExceeded: threshold 0.05 → 0.025',
      '+ receiver bridge-slack added',
      '+ route to bridge-slack: severity=~"warning|critical"',
      '~ secret secrets/alert_bridge_token added',
      'secrets/alert_bridge_token: added (content not shown)',
      '+      - url: http://127.0.0.1:9095/api/v1/alertmanager/slack',
    ]);
    expect(res.stdout).not.toContain('very-secret-token');
    expect(cli(['diff', '--config', EXAMPLE_FILE, '--out', out]).stdout.trim()).toBe('no changes');
  });
});
