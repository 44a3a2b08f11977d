/**
 * The whole chain for the scenarios, every part real: the IB Gateway emulator, the exporter
 * reading it through @stoqey/ib, Prometheus with the generated rules, Alertmanager with the
 * generated routes, the alert bridge, and loopback SMTP, Slack, Twilio and webhook peers.
 *
 * Time is expressed the way Alertmanager's acceptance tests do: `at(t)` waits until t seconds
 * after the chain started, and `want(channel, between(a, b), match)` expects a notification
 * to arrive in that window (and none before it).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { loadConfig, type LoadedConfig } from '@traderadmin/config';
import { startEmulator, type Emulator } from '@traderadmin/emulator';
import { silentLogger, startExporter, type RunningExporter } from '@traderadmin/exporter';
import { startBridge, type Logger as BridgeLogger, type RunningBridge } from '@traderadmin/alert-bridge';
import { generate, writeGenerated } from '@traderadmin/rules-gen';
import {
  freePort,
  startAlertmanager,
  startPrometheus,
  startSlackPeer,
  startSmtpPeer,
  startTwilioPeer,
  startWebhookPeer,
  type ManagedProcess,
  type SlackPeer,
  type SmtpPeer,
  type TwilioPeer,
  type WebhookPeer,
} from '@traderadmin/test-support';

export type Channel = 'email' | 'slack' | 'sms' | 'webhook';
export const ACCOUNT = 'DU1234567';

export interface ChainOptions {
  /** [alerts_config.thresholds] values that differ from the defaults. */
  thresholds?: Record<string, number>;
  /** Channels to enable; each gets its loopback peer. @default all four */
  channels?: Channel[];
  /** @default 15 */
  cooldownMinutes?: number;
  /** Mean seconds between the emulator's own trades; 0: only what the scenario injects. @default 0 */
  tradeIntervalSeconds?: number;
}

/** A notification as a channel's peer received it. */
export interface Received {
  channel: Channel;
  /** Seconds after the chain started that the harness first saw it. */
  at: number;
  text: string;
}

/** A time window in seconds after the chain started. */
export const between = (from: number, to: number) => ({ from, to });

function collectingLogger(lines: string[], fields: Record<string, unknown> = {}): BridgeLogger {
  const write = (level: string) => (msg: string, more?: Record<string, unknown>) =>
    lines.push(JSON.stringify({ level, msg, ...fields, ...more }));
  return {
    debug: write('debug'),
    info: write('info'),
    warn: write('warn'),
    error: write('error'),
    child: (f) => collectingLogger(lines, { ...fields, ...f }),
  };
}

export class Chain {
  readonly startedAt = Date.now();
  /** Every line the bridge logged, for failure messages and secret checks. */
  readonly bridgeLog: string[] = [];
  private readonly seen = new Map<string, Received>();
  private readonly stops: Array<() => Promise<void>> = [];
  private poller?: NodeJS.Timeout;

  emulator!: Emulator;
  exporter!: RunningExporter;
  bridge!: RunningBridge;
  prometheus!: ManagedProcess;
  alertmanager!: ManagedProcess;
  smtp!: SmtpPeer;
  slack!: SlackPeer;
  twilio!: TwilioPeer;
  webhook!: WebhookPeer;
  loaded!: LoadedConfig;
  configFile = '';
  env: NodeJS.ProcessEnv = {};

  private constructor(
    readonly dir: string,
    readonly options: ChainOptions,
  ) {}

  static async start(dir: string, options: ChainOptions = {}): Promise<Chain> {
    const chain = new Chain(dir, options);
    try {
      await chain.startAll();
    } catch (error) {
      await chain.stop();
      throw error;
    }
    return chain;
  }

  private async startAll(): Promise<void> {
    const channels = new Set(this.options.channels ?? ['email', 'slack', 'sms', 'webhook']);
    this.smtp = await startSmtpPeer();
    this.stops.push(() => this.smtp.stop());
    this.slack = await startSlackPeer();
    this.stops.push(() => this.slack.stop());
    this.twilio = await startTwilioPeer();
    this.stops.push(() => this.twilio.stop());
    this.webhook = await startWebhookPeer();
    this.stops.push(() => this.webhook.stop());

    const ports = { exporter: await freePort(), bridge: await freePort(), prometheus: await freePort(), alertmanager: await freePort() };
    this.emulator = await startEmulator({
      accounts: [ACCOUNT],
      seed: 11,
      tradeIntervalSeconds: this.options.tradeIntervalSeconds ?? 0,
      eventsUrl: `http://127.0.0.1:${ports.exporter}/api/v1/events`,
    });
    this.stops.push(() => this.emulator.close());

    this.env = {
      ...process.env,
      FEATURE_SLACK_WEBHOOK_URL: this.slack.webhookUrl,
      FEATURE_TWILIO_ACCOUNT_SID: this.twilio.accountSid,
      FEATURE_TWILIO_AUTH_TOKEN: this.twilio.authToken,
    };
    const thresholds = Object.entries(this.options.thresholds ?? {}).map(([k, v]) => `${k} = ${v}`);
    const text = [
      '[alerts_config]',
      `cooldown_minutes = ${this.options.cooldownMinutes ?? 15}`,
      '[alerts_config.thresholds]',
      ...thresholds,
      '[alerts_config.notifications.email]',
      `enabled = ${channels.has('email')}`,
      'recipients = ["trader@example.com"]',
      'from = "alerts@traderadmin.test"',
      'smtp_host = "127.0.0.1"',
      `smtp_port = ${this.smtp.port}`,
      'smtp_tls = "none"',
      '[alerts_config.notifications.slack]',
      `enabled = ${channels.has('slack')}`,
      'webhook_url = "env:FEATURE_SLACK_WEBHOOK_URL"',
      '[alerts_config.notifications.sms]',
      `enabled = ${channels.has('sms')}`,
      'account_sid = "env:FEATURE_TWILIO_ACCOUNT_SID"',
      'auth_token = "env:FEATURE_TWILIO_AUTH_TOKEN"',
      'to = ["+15555550100"]',
      `api_base_url = "${this.twilio.url}"`,
      'min_severity = "warning"',
      '[alerts_config.notifications.webhook]',
      `enabled = ${channels.has('webhook')}`,
      `urls = ["${this.webhook.url}/hook"]`,
      '[broker]',
      `port = ${this.emulator.port}`,
      `accounts = ["${ACCOUNT}"]`,
      'probe_interval_seconds = 1',
      'probe_timeout_seconds = 3',
      '[exporter]',
      `listen = "127.0.0.1:${ports.exporter}"`,
      '[prometheus]',
      `listen = "127.0.0.1:${ports.prometheus}"`,
      'scrape_interval_seconds = 1',
      'evaluation_interval_seconds = 1',
      '[alertmanager]',
      `listen = "127.0.0.1:${ports.alertmanager}"`,
      'group_wait_seconds = 1',
      'group_interval_seconds = 1',
      '[alert_bridge]',
      `listen = "127.0.0.1:${ports.bridge}"`,
      'data_dir = "bridge-data"',
      'retry_min_seconds = 0.2',
      'retry_max_seconds = 2',
    ].join('\n');
    mkdirSync(this.dir, { recursive: true });
    this.configFile = path.join(this.dir, 'config.toml');
    writeFileSync(this.configFile, `${text}\n`);
    this.loaded = loadConfig(this.configFile, { env: this.env });

    this.exporter = await startExporter(this.loaded, { logger: silentLogger, env: this.env });
    this.stops.push(() => this.exporter.close());
    this.bridge = await startBridge(this.loaded, { env: this.env, logger: collectingLogger(this.bridgeLog), watchdogCheckMs: 0 });
    this.stops.push(() => this.bridge.close());

    const generated = path.join(this.dir, 'generated');
    const files = generate(this.loaded);
    writeGenerated(generated, files);
    this.alertmanager = await startAlertmanager({
      config: files.get('alertmanager.yml')!.content,
      dir: generated,
      port: ports.alertmanager,
      storagePath: path.join(this.dir, 'alertmanager-data'),
    });
    this.stops.push(() => this.alertmanager.stop());
    this.prometheus = await startPrometheus({
      config: files.get('prometheus.yml')!.content,
      dir: generated,
      port: ports.prometheus,
      storagePath: path.join(this.dir, 'prometheus-data'),
      // Firing alerts are re-sent every second instead of every minute: a snappy chain.
      args: ['--rules.alert.resend-delay=1s'],
    });
    this.stops.push(() => this.prometheus.stop());
    this.poller = setInterval(() => this.collect(), 100);
  }

  /** Seconds since the chain started. */
  now(): number {
    return (Date.now() - this.startedAt) / 1000;
  }

  /** Waits until `t` seconds after the chain started. */
  async at(t: number): Promise<void> {
    const wait = this.startedAt + t * 1000 - Date.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
  }

  /** Posts events to the exporter's events API, as an orchestrator or scanner would. */
  async pushEvents(events: unknown[]): Promise<void> {
    const res = await fetch(`${this.exporter.url}/api/v1/events`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ events }),
    });
    if (!res.ok) throw new Error(`events API answered ${res.status}: ${await res.text()}`);
  }

  /** Notifications received so far, in the order they were seen. */
  received(channel?: Channel): Received[] {
    this.collect();
    return [...this.seen.values()].filter((r) => !channel || r.channel === channel).sort((a, b) => a.at - b.at);
  }

  /**
   * Expects a notification on `channel` matching `match` inside the window: none before
   * `from`, and one by `to` at the latest. Returns it.
   */
  async want(channel: Channel, window: { from: number; to: number }, match: RegExp): Promise<Received> {
    for (;;) {
      const hit = this.received(channel).find((r) => match.test(r.text));
      if (hit) {
        if (hit.at < window.from)
          throw new Error(`${channel}: ${match} arrived at ${hit.at.toFixed(1)} s, before the window ${window.from}–${window.to} s`);
        return hit;
      }
      if (this.now() > window.to)
        throw new Error(`${channel}: no notification matching ${match} by ${window.to} s; received:\n${this.describeReceived()}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  /** How many notifications on `channel` match. */
  count(channel: Channel, match: RegExp): number {
    return this.received(channel).filter((r) => match.test(r.text)).length;
  }

  describeReceived(): string {
    const lines = this.received().map((r) => `  ${r.at.toFixed(1)} s ${r.channel}: ${r.text.slice(0, 160).replace(/\s+/g, ' ')}`);
    return lines.length ? lines.join('\n') : '  (nothing)';
  }

  private collect(): void {
    const add = (key: string, channel: Channel, text: string) => {
      if (!this.seen.has(key)) this.seen.set(key, { channel, at: this.now(), text });
    };
    this.smtp?.mails.forEach((m, i) => add(`email-${i}`, 'email', `${m.parsed.subject ?? ''}\n${m.parsed.text ?? ''}`));
    this.slack?.messages().forEach((m, i) => add(`slack-${i}`, 'slack', JSON.stringify(m)));
    this.twilio?.messages().forEach((m, i) => add(`sms-${i}`, 'sms', m.body));
    this.webhook?.accepted().forEach((m, i) => add(`webhook-${i}`, 'webhook', JSON.stringify(m.body)));
  }

  async stop(): Promise<void> {
    if (this.poller) clearInterval(this.poller);
    for (const stop of this.stops.reverse()) await stop().catch(() => undefined);
    this.stops.length = 0;
  }
}
