import { createHash } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { checkConfigText, formatProblem, type LoadedConfig } from '@traderadmin/config';
import { parse } from 'yaml';
import { generate } from '../src/index.js';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const EXAMPLE_FILE = path.join(ROOT, 'config/config.example.toml');
export const EXAMPLE = readFileSync(EXAMPLE_FILE, 'utf8');
export const CLI = path.join(ROOT, 'bin/traderadmin.mjs');

/**
 * config.example.toml with some keys changed: `{ 'alerts_config.thresholds.max_order_latency_ms': '200' }`.
 * A key that is not written (or commented out) is added at the top of its table; a table
 * that does not exist is appended. Values are TOML literals.
 */
export function withKeys(keys: Record<string, string>, base = EXAMPLE): string {
  let lines = base.split('\n');
  for (const [dotted, value] of Object.entries(keys)) {
    const cut = dotted.lastIndexOf('.');
    const table = dotted.slice(0, cut);
    const key = dotted.slice(cut + 1);
    const start = lines.findIndex((l) => l.trim() === `[${table}]`);
    if (start < 0) {
      lines = [...lines, '', `[${table}]`, `${key} = ${value}`];
      continue;
    }
    let end = lines.findIndex((l, i) => i > start && /^\s*\[/.test(l));
    if (end < 0) end = lines.length;
    const at = lines.findIndex((l, i) => i > start && i < end && new RegExp(`^#?\\s*${key}\\s*=`).test(l.trim()));
    if (at >= 0) {
      // A multi-line array (market_holidays) ends at its closing bracket: drop its other lines too.
      let last = at;
      if (/=\s*\[[^\]]*$/.test(lines[at])) while (last + 1 < end && !lines[last].includes(']')) last++;
      lines.splice(at, last - at + 1, `${key} = ${value}`);
    } else lines.splice(start + 1, 0, `${key} = ${value}`);
  }
  return lines.join('\n');
}

/** A LoadedConfig from TOML text, as loadConfig would give it for a file named `name`. */
export function loaded(text: string, env: NodeJS.ProcessEnv = {}, name = 'config.toml'): LoadedConfig {
  const { config, problems } = checkConfigText(text, name, { env });
  if (!config) throw new Error(`test config invalid:\n${problems.map(formatProblem).join('\n')}`);
  return {
    config,
    file: path.join('/configs', name),
    sha256: createHash('sha256').update(text).digest('hex'),
    warnings: problems.filter((p) => p.severity === 'warning'),
  };
}

export function tempDir(prefix = 'rules-gen-test-'): string {
  return mkdtempSync(path.join(tmpdir(), prefix));
}

/** Runs the traderadmin command; returns exit code and output. */
export function cli(args: string[], env: NodeJS.ProcessEnv = {}): { code: number; stdout: string; stderr: string } {
  const res = spawnSync(process.execPath, [CLI, ...args], {
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1', ...env },
    timeout: 120_000,
  });
  return { code: res.status ?? -1, stdout: res.stdout, stderr: res.stderr };
}

export function run(bin: string, args: string[], cwd: string): { code: number; output: string } {
  const res = spawnSync(bin, args, { cwd, encoding: 'utf8', timeout: 120_000 });
  return { code: res.status ?? -1, output: `${res.stdout}${res.stderr}` };
}

/** Config variants the tool tests run on (besides config.example.toml). */
export const VARIANTS: Record<string, Record<string, string>> = {
  'tight limits, every channel, 1 s intervals': {
    'alerts_config.thresholds.max_order_latency_ms': '350',
    'alerts_config.thresholds.min_daily_realized_pnl': '-1234.56',
    'alerts_config.thresholds.max_portfolio_drawdown_percentage_today': '2.5',
    'alerts_config.thresholds.max_api_errors_per_hour': '0',
    'alerts_config.thresholds.max_data_staleness_seconds': '7',
    'alerts_config.cooldown_minutes': '5',
    'alertmanager.group_interval_seconds': '30',
    'alertmanager.group_wait_seconds': '0',
    'prometheus.scrape_interval_seconds': '1',
    'prometheus.evaluation_interval_seconds': '1',
    'exporter.heartbeat_components': '["orchestrator"]',
    'exporter.heartbeat_timeout_seconds': '5',
    'alerts_config.notifications.email.enabled': 'true',
    'alerts_config.notifications.slack.enabled': 'true',
    'alerts_config.notifications.sms.enabled': 'true',
    'alerts_config.notifications.webhook.enabled': 'true',
    'alert_bridge.auth_token': '"env:ALERT_BRIDGE_TOKEN"',
    'broker.restart_window_start': '"05:00"',
    'broker.restart_window_end': '"05:30"',
    'trading.market_days': '["mon", "wed", "thu", "sat"]',
    'trading.timezone': '"Europe/London"',
  },
  'odd numbers, three components, remote_write and a cluster': {
    'alerts_config.thresholds.max_order_latency_ms': '1',
    'alerts_config.thresholds.min_daily_realized_pnl': '-0.07',
    'alerts_config.thresholds.max_portfolio_drawdown_percentage_today': '0.35',
    'alerts_config.thresholds.max_api_errors_per_hour': '999',
    'alerts_config.thresholds.max_data_staleness_seconds': '900',
    'prometheus.scrape_interval_seconds': '15',
    'prometheus.evaluation_interval_seconds': '10',
    'exporter.heartbeat_components': '["orchestrator", "scanner", "risk-engine"]',
    'exporter.heartbeat_timeout_seconds': '7',
    'alertmanager.cluster_listen': '"0.0.0.0:9094"',
    'alertmanager.peers': '["am-2.internal:9094", "am-3.internal:9094"]',
    'alerts_config.notifications.webhook.enabled': 'true',
  },
  'alerts switched off': {
    'alerts_config.enabled': 'false',
    'alerts_config.notifications.slack.enabled': 'true',
  },
};

/** Environment the variants need for their env: secrets. */
export const VARIANT_ENV: NodeJS.ProcessEnv = {
  ALERT_BRIDGE_TOKEN: 'bridge-token-s3cr3t',
  SMTP_PASSWORD: 'smtp-s3cr3t',
  SLACK_WEBHOOK_URL: 'https://hooks.slack.example/s3cr3t',
  TWILIO_ACCOUNT_SID: 'AC-s3cr3t',
  TWILIO_AUTH_TOKEN: 'twilio-s3cr3t',
  MIMIR_TOKEN: 'mimir-s3cr3t',
  THANOS_PASSWORD: 'thanos-s3cr3t',
};

export const REMOTE_WRITE = `
[[prometheus.remote_write]]
url = "https://mimir.example.com/api/v1/push"
name = "mimir"
bearer_token = "env:MIMIR_TOKEN"
tenant_id = "trading"

[[prometheus.remote_write]]
url = "https://thanos-receive.example.com/api/v1/receive"
basic_auth_user = "trader"
basic_auth_password = "env:THANOS_PASSWORD"
`;

/** A variant's config text (the remote_write one gets two [[prometheus.remote_write]] tables). */
export function variantText(name: string): string {
  const text = withKeys(VARIANTS[name]);
  return name.includes('remote_write') ? insertBefore(text, '[alertmanager]', REMOTE_WRITE) : text;
}

function insertBefore(text: string, marker: string, insert: string): string {
  const i = text.indexOf(`\n${marker}`);
  return `${text.slice(0, i)}\n${insert}${text.slice(i)}`;
}

/** One rule of rules.yml, as the tests read it. */
export type Rule = {
  alert?: string;
  record?: string;
  expr: string;
  for?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
};

/** Every rule of a rules.yml, across its groups. */
export const rulesOf = (text: string): Rule[] => (parse(text) as { groups: Array<{ rules: Rule[] }> }).groups.flatMap((g) => g.rules);

/** generate() on config.example.toml with `keys` changed (see withKeys). */
export const gen = (keys: Record<string, string>, env: NodeJS.ProcessEnv = {}) => generate(loaded(withKeys(keys), env), { env });

/** One generated file's text. */
export const text = (files: ReturnType<typeof generate>, p: string) => files.get(p)!.content;
