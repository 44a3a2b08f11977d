/**
 * Test kit of the bridge: loopback peers for every channel, a config that points at them
 * (secrets in 0600 files, never inline), a log capture, and the secret-leak assertion.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadConfig, type LoadedConfig } from '@traderadmin/config';
import {
  captureLogger,
  startSlackPeer,
  startSmtpPeer,
  startTwilioPeer,
  startWebhookPeer,
  type SlackPeer,
  type SmtpPeer,
  type TwilioPeer,
  type WebhookPeer,
} from '@traderadmin/test-support';

/** The bridge tests' log capture is test-support's (features read the bridge's log the same way). */
export { captureLogger };
import { afterAll, beforeAll, expect } from 'vitest';
import { startBridge, type BridgeDeps, type RunningBridge, type AmPayload, type AmAlert } from '../src/index.js';

export const BRIDGE_TOKEN = 'bridge-token-7f3a9c1e5b2d';
export const SMTP_PASSWORD = 'smtp-pass-9d8e7f6a5b4c';
export const WEBHOOK_TOKEN = 'webhook-bearer-1a2b3c4d5e6f';

/** Fails when any secret appears in any of the texts (log lines, error messages, API answers). */
export function assertNoSecrets(texts: string[], secrets: string[]): void {
  for (const secret of secrets) {
    const hits = texts.filter((t) => t.includes(secret));
    expect(hits, `secret ${secret.slice(0, 3)}… leaked in ${hits.length} line(s): ${hits[0]?.slice(0, 300)}`).toEqual([]);
  }
}

export interface Peers {
  smtp: SmtpPeer;
  slack: SlackPeer;
  twilio: TwilioPeer;
  webhook: WebhookPeer;
  stop(): Promise<void>;
}

export async function startPeers(): Promise<Peers> {
  const [smtp, slack, twilio, webhook] = await Promise.all([
    startSmtpPeer({ user: 'alerts', password: SMTP_PASSWORD }),
    startSlackPeer(),
    startTwilioPeer(),
    startWebhookPeer(),
  ]);
  return {
    smtp,
    slack,
    twilio,
    webhook,
    stop: async () => {
      await Promise.all([smtp.stop(), slack.stop(), twilio.stop(), webhook.stop()]);
    },
  };
}

export interface ConfigOptions {
  dir: string;
  peers: Peers;
  /** Extra TOML lines appended to [alert_bridge]. */
  bridge?: string;
  alertmanagerListen?: string;
  listen?: string;
  minSeverity?: string;
  smsTo?: string[];
  emailTo?: string[];
  maxAttempts?: number;
  /** Channels to leave disabled. */
  disabled?: string[];
}

/** Writes config.toml (and 0600 secret files) with every channel on the peers; returns its path. */
export function writeConfig(o: ConfigOptions): string {
  const secret = (name: string, value: string) => {
    const file = path.join(o.dir, name);
    writeFileSync(file, value, { mode: 0o600 });
    return `file:${file}`;
  };
  const sev = o.minSeverity ?? 'info';
  const text = `
[alerts_config.notifications.email]
enabled = true
recipients = ${JSON.stringify(o.emailTo ?? ['trader@example.com', 'ops@example.com'])}
from = "alerts@traderadmin.test"
smtp_host = "127.0.0.1"
smtp_port = ${o.peers.smtp.port}
smtp_user = "alerts"
smtp_password = "${secret('smtp_password', SMTP_PASSWORD)}"
smtp_tls = "none"
min_severity = "${sev}"

[alerts_config.notifications.slack]
enabled = true
webhook_url = "${secret('slack_url', o.peers.slack.webhookUrl)}"
min_severity = "${sev}"

[alerts_config.notifications.sms]
enabled = true
account_sid = "${secret('twilio_sid', o.peers.twilio.accountSid)}"
auth_token = "${secret('twilio_token', o.peers.twilio.authToken)}"
from = "+15555550199"
to = ${JSON.stringify(o.smsTo ?? ['+15555550100'])}
api_base_url = "${o.peers.twilio.url}"
min_severity = "${sev}"

[alerts_config.notifications.webhook]
enabled = true
urls = ["${o.peers.webhook.url}/hook?token=webhookurlsecret123"]
bearer_token = "${secret('webhook_token', WEBHOOK_TOKEN)}"
min_severity = "${sev}"

[alertmanager]
listen = "${o.alertmanagerListen ?? '127.0.0.1:9093'}"

[grafana]
url = "http://grafana.test:3000"

[alert_bridge]
listen = "${o.listen ?? '127.0.0.1:9095'}"
auth_token = "${secret('bridge_token', BRIDGE_TOKEN)}"
data_dir = "data"
max_attempts = ${o.maxAttempts ?? 4}
${o.bridge ?? ''}
`;
  let out = text;
  for (const ch of o.disabled ?? [])
    out = out.replace(`[alerts_config.notifications.${ch}]\nenabled = true`, `[alerts_config.notifications.${ch}]\nenabled = false`);
  const file = path.join(o.dir, 'config.toml');
  writeFileSync(file, out);
  return file;
}

/** Every secret of a test config, for assertNoSecrets. */
export function allSecrets(peers: Peers): string[] {
  return [
    BRIDGE_TOKEN,
    SMTP_PASSWORD,
    WEBHOOK_TOKEN,
    peers.twilio.authToken,
    peers.slack.webhookUrl,
    'slacksecrettoken0123456789',
    'webhookurlsecret123',
  ];
}

export function tempDir(prefix = 'bridge-'): { dir: string; remove(): void } {
  const dir = mkdtempSync(path.join(tmpdir(), prefix));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Fast timings for tests. */
export const FAST: BridgeDeps = {
  listen: '127.0.0.1:0',
  retryMinMs: 40,
  retryMaxMs: 200,
  pollMs: 20,
  rateLimits: { slack: 0, sms: 0, email: 0, webhook: 0 },
  watchdogCheckMs: 0,
  random: () => 0.5,
};

export async function start(file: string, deps: BridgeDeps = {}): Promise<{ bridge: RunningBridge; loaded: LoadedConfig }> {
  const loaded = loadConfig(file);
  const bridge = await startBridge(loaded, { ...FAST, ...deps });
  return { bridge, loaded };
}

/** POSTs an Alertmanager webhook to the bridge. */
export async function post(
  bridge: { url: string },
  channel: string,
  payload: unknown,
  token: string | null = BRIDGE_TOKEN,
): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(`${bridge.url}/api/v1/alertmanager/${channel}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: typeof payload === 'string' ? payload : JSON.stringify(payload),
  });
  const text = await res.text();
  return { status: res.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
}

export function alert(over: Partial<AmAlert> & { labels?: Record<string, string>; annotations?: Record<string, string> } = {}): AmAlert {
  return {
    status: 'firing',
    startsAt: '2026-11-21T10:00:00.000Z',
    endsAt: '0001-01-01T00:00:00Z',
    generatorURL: 'http://prometheus.test/graph',
    fingerprint: 'a1b2c3d4e5f60718',
    ...over,
    labels: { alertname: 'OrderLatencyHigh', severity: 'warning', account: 'DU1234567', ...over.labels },
    annotations: {
      summary: 'Order round trip on DU1234567 took 1,250 ms',
      description: 'Slowest order round trip in the last minute: 1,250 ms (limit 1,000 ms).',
      runbook_url: 'http://127.0.0.1:9095/runbooks#orderlatencyhigh',
      dashboard_url: 'http://grafana.test:3000/d/trader-overview/trading-overview?var-account=DU1234567',
      ...over.annotations,
    },
  };
}

export function payload(over: Partial<AmPayload> = {}, alerts: AmAlert[] = [alert()]): AmPayload {
  const status = alerts.some((a) => a.status === 'firing') ? 'firing' : 'resolved';
  return {
    version: '4',
    groupKey: '{}/{severity=~"info|warning|critical"}:{alertname="OrderLatencyHigh", account="DU1234567"}',
    truncatedAlerts: 0,
    status,
    receiver: 'bridge-webhook',
    groupLabels: { alertname: 'OrderLatencyHigh', account: 'DU1234567' },
    commonLabels: alerts.length === 1 ? alerts[0].labels : { alertname: 'OrderLatencyHigh' },
    commonAnnotations: {},
    externalURL: 'http://127.0.0.1:9093',
    alerts,
    ...over,
  };
}

/** Reads one sample from a Prometheus text exposition; 0 when absent. */
export async function metric(bridge: { url: string }, series: string): Promise<number> {
  const text = await (await fetch(`${bridge.url}/metrics`)).text();
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line ? Number(line.slice(series.length + 1)) : 0;
}

/** What `bridgeOnPeers` gives a test file; peers, bridge and configFile exist from its beforeAll on. */
export interface BridgeOnPeers {
  readonly peers: Peers;
  readonly bridge: RunningBridge;
  /** The temp folder with config.toml, its secret files and the outbox. */
  readonly dir: string;
  readonly configFile: string;
  readonly log: ReturnType<typeof captureLogger>;
  /** Fails when a secret of the config shows in the bridge's log or in any of `texts`. */
  assertNoSecrets(texts: string[]): void;
}

/**
 * One bridge for a whole test file, on fresh loopback peers, its config in a temp folder and its
 * log captured: started in beforeAll, closed with the peers and the folder in afterAll. `setup`
 * runs once the peers are up and may write files into `dir` the bridge is to read.
 */
export function bridgeOnPeers(
  setup: (dir: string) => { config?: Omit<ConfigOptions, 'dir' | 'peers'>; deps?: BridgeDeps } = () => ({}),
): BridgeOnPeers {
  const tmp = tempDir();
  const log = captureLogger();
  let peers: Peers | undefined;
  let bridge: RunningBridge | undefined;
  let configFile: string | undefined;
  beforeAll(async () => {
    peers = await startPeers();
    const { config, deps } = setup(tmp.dir);
    configFile = writeConfig({ dir: tmp.dir, peers, ...config });
    ({ bridge } = await start(configFile, { logger: log, ...deps }));
  });
  afterAll(async () => {
    await bridge?.close();
    await peers?.stop();
    tmp.remove();
  });
  const started = <T>(value: T | undefined, what: string): T => {
    if (value === undefined) throw new Error(`${what} is started in beforeAll: use it inside a test`);
    return value;
  };
  return {
    get peers() {
      return started(peers, 'peers');
    },
    get bridge() {
      return started(bridge, 'bridge');
    },
    dir: tmp.dir,
    get configFile() {
      return started(configFile, 'configFile');
    },
    log,
    assertNoSecrets: (texts) => assertNoSecrets([...log.lines, ...texts], allSecrets(started(peers, 'peers'))),
  };
}
