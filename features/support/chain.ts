/**
 * The whole chain for the scenarios, every part real: the IB Gateway emulator, the exporter
 * reading it through @stoqey/ib, Prometheus with the generated rules, Alertmanager with the
 * generated routes, the alert bridge, and loopback SMTP, Slack, Twilio and webhook peers (and
 * Telegram Bot API, Discord and PagerDuty peers for the channels a scenario enables).
 *
 * Time is expressed the way Alertmanager's acceptance tests do: `at(t)` waits until t seconds
 * after the chain started, and `want(channel, between(a, b), match)` expects a notification
 * to arrive in that window (and none before it).
 */
import type { ChildProcess } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { loadConfig, type ChannelName, type LoadedConfig } from '@traderadmin/config';
import { startEmulator, type Emulator } from '@traderadmin/emulator';
import { silentLogger, startExporter, type RunningExporter } from '@traderadmin/exporter';
import { startBridge, type Logger as BridgeLogger, type RunningBridge } from '@traderadmin/alert-bridge';
import type { RunningPage } from '@traderadmin/console';
import { ALL_CHANNELS } from './notices.js';
import {
  freePort,
  startAlertmanager,
  startGeneratedStack,
  startPrometheus,
  startBridgeProcess,
  startSlackPeer,
  startSmtpPeer,
  startTwilioPeer,
  startWebhookPeer,
  startTelegramPeer,
  startDiscordPeer,
  startPagerDutyPeer,
  type TelegramPeer,
  type DiscordPeer,
  type PagerDutyPeer,
  type ManagedProcess,
  type SlackPeer,
  type SmtpPeer,
  type TwilioPeer,
  type WebhookPeer,
  type AlertmanagerOptions,
  type BridgeProcess,
  type PrometheusOptions,
} from '@traderadmin/test-support';

export type Channel = ChannelName;
export const ACCOUNT = 'DU1234567';
/** The Telegram chat the chain's bot sends to and obeys. */
export const TELEGRAM_CHAT = '123456789';

export interface ChainOptions {
  /** [alerts_config.thresholds] values that differ from the defaults. */
  thresholds?: Record<string, number>;
  /** Channels to enable; each gets its loopback peer. @default ALL_CHANNELS (features/support/notices.ts) */
  channels?: Channel[];
  /** exporter.latency_window_seconds (how long one slow order keeps OrderLatencyHigh firing). @default 60 */
  latencyWindowSeconds?: number;
  /** @default 15 */
  cooldownMinutes?: number;
  /** Mean seconds between the emulator's own trades; 0: only what the scenario injects. @default 0 */
  tradeIntervalSeconds?: number;
  /** [broker] keys that differ from the chain's (probe, reconnect backoff). */
  broker?: Record<string, number | string>;
  /** [alert_bridge] keys that differ from the chain's (max_attempts, retry range, ...). */
  bridge?: Record<string, number | string>;
  /**
   * Run the bridge as a `traderadmin bridge` child process, as users do, so that a scenario
   * can SIGKILL it mid-delivery and start it again on the same data folder and port.
   */
  bridgeProcess?: boolean;
  /** Prometheus --rules.alert.resend-delay; a firing alert stays valid in Alertmanager 4× this. @default 1 */
  resendDelaySeconds?: number;
  /** Tokens, set through env: (exporter.events_token, alert_bridge.auth_token). */
  tokens?: { events?: string; bridge?: string; page?: string };
  /** Prometheus scrape and evaluation interval. @default 1 */
  scrapeIntervalSeconds?: number;
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
  /** Started only when the channel is enabled. */
  telegram?: TelegramPeer;
  discord?: DiscordPeer;
  pagerduty?: PagerDutyPeer;
  loaded!: LoadedConfig;
  console?: RunningPage;
  configFile = '';
  env: NodeJS.ProcessEnv = {};
  private bridgeProcess?: BridgeProcess;
  /** Where the bridge listens, in-process or child. */
  bridgeUrl = '';
  private prometheusOptions!: PrometheusOptions;
  private alertmanagerOptions!: AlertmanagerOptions;

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
    const channels = new Set(this.options.channels ?? ALL_CHANNELS);
    this.smtp = await startSmtpPeer();
    this.stops.push(() => this.smtp.stop());
    this.slack = await startSlackPeer();
    this.stops.push(() => this.slack.stop());
    this.twilio = await startTwilioPeer();
    this.stops.push(() => this.twilio.stop());
    this.webhook = await startWebhookPeer();
    this.stops.push(() => this.webhook.stop());
    if (channels.has('telegram')) {
      const peer = (this.telegram = await startTelegramPeer({ chats: [TELEGRAM_CHAT, '555000111'] }));
      this.stops.push(() => peer.stop());
    }
    if (channels.has('discord')) {
      const peer = (this.discord = await startDiscordPeer());
      this.stops.push(() => peer.stop());
    }
    if (channels.has('pagerduty')) {
      const peer = (this.pagerduty = await startPagerDutyPeer());
      this.stops.push(() => peer.stop());
    }

    const ports = {
      exporter: await freePort(),
      bridge: await freePort(),
      prometheus: await freePort(),
      alertmanager: await freePort(),
      console: await freePort(),
    };
    this.emulator = await startEmulator({
      accounts: [ACCOUNT],
      seed: 11,
      tradeIntervalSeconds: this.options.tradeIntervalSeconds ?? 0,
      eventsUrl: `http://127.0.0.1:${ports.exporter}/api/v1/events`,
      eventsToken: this.options.tokens?.events,
    });
    this.stops.push(() => this.emulator.close());

    this.env = {
      ...process.env,
      FEATURE_SLACK_WEBHOOK_URL: this.slack.webhookUrl,
      FEATURE_TWILIO_ACCOUNT_SID: this.twilio.accountSid,
      FEATURE_TWILIO_AUTH_TOKEN: this.twilio.authToken,
      FEATURE_TELEGRAM_BOT_TOKEN: this.telegram?.token,
      FEATURE_DISCORD_WEBHOOK_URL: this.discord?.webhookUrl,
      FEATURE_PAGERDUTY_ROUTING_KEY: this.pagerduty?.routingKey,
      FEATURE_EVENTS_TOKEN: this.options.tokens?.events,
      FEATURE_BRIDGE_TOKEN: this.options.tokens?.bridge,
      FEATURE_PAGE_TOKEN: this.options.tokens?.page,
    };
    const keys = (defaults: Record<string, number | string>, overrides: Record<string, number | string> = {}) =>
      Object.entries({ ...defaults, ...overrides }).map(([k, v]) => `${k} = ${typeof v === 'string' ? JSON.stringify(v) : v}`);
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
      ...(this.telegram
        ? [
            '[alerts_config.notifications.telegram]',
            'enabled = true',
            'bot_token = "env:FEATURE_TELEGRAM_BOT_TOKEN"',
            `chat_ids = ["${TELEGRAM_CHAT}"]`,
            `api_base_url = "${this.telegram.url}"`,
          ]
        : []),
      ...(this.discord
        ? ['[alerts_config.notifications.discord]', 'enabled = true', 'webhook_url = "env:FEATURE_DISCORD_WEBHOOK_URL"']
        : []),
      ...(this.pagerduty
        ? [
            '[alerts_config.notifications.pagerduty]',
            'enabled = true',
            'routing_key = "env:FEATURE_PAGERDUTY_ROUTING_KEY"',
            `api_base_url = "${this.pagerduty.url}"`,
            'min_severity = "warning"',
          ]
        : []),
      '[broker]',
      `port = ${this.emulator.port}`,
      `accounts = ["${ACCOUNT}"]`,
      ...keys({ probe_interval_seconds: 1, probe_timeout_seconds: 3 }, this.options.broker),
      '[exporter]',
      `listen = "127.0.0.1:${ports.exporter}"`,
      ...(this.options.latencyWindowSeconds ? [`latency_window_seconds = ${this.options.latencyWindowSeconds}`] : []),
      ...(this.options.tokens?.events ? ['events_token = "env:FEATURE_EVENTS_TOKEN"'] : []),
      '[prometheus]',
      `listen = "127.0.0.1:${ports.prometheus}"`,
      `scrape_interval_seconds = ${this.options.scrapeIntervalSeconds ?? 1}`,
      `evaluation_interval_seconds = ${this.options.scrapeIntervalSeconds ?? 1}`,
      '[alertmanager]',
      `listen = "127.0.0.1:${ports.alertmanager}"`,
      'group_wait_seconds = 1',
      'group_interval_seconds = 1',
      '[alert_bridge]',
      `listen = "127.0.0.1:${ports.bridge}"`,
      'data_dir = "bridge-data"',
      ...(this.options.tokens?.bridge ? ['auth_token = "env:FEATURE_BRIDGE_TOKEN"'] : []),
      ...keys({ retry_min_seconds: 0.2, retry_max_seconds: 2 }, this.options.bridge),
      // The console's own port: the links in notifications point at it.
      '[alerts_page]',
      `listen = "127.0.0.1:${ports.console}"`,
      'history_dir = "config-history"',
      ...(this.options.tokens?.page ? ['auth_token = "env:FEATURE_PAGE_TOKEN"'] : []),
    ].join('\n');
    mkdirSync(this.dir, { recursive: true });
    this.configFile = path.join(this.dir, 'config.toml');
    writeFileSync(this.configFile, `${text}\n`);
    this.loaded = loadConfig(this.configFile, { env: this.env });

    this.exporter = await startExporter(this.loaded, { logger: silentLogger, env: this.env });
    this.stops.push(() => this.exporter.close());
    this.bridgeUrl = `http://127.0.0.1:${ports.bridge}`;
    if (this.options.bridgeProcess) {
      await this.startBridgeProcess();
      this.stops.push(() => this.killBridge('SIGTERM'));
    } else {
      this.bridge = await startBridge(this.loaded, { env: this.env, logger: collectingLogger(this.bridgeLog), watchdogCheckMs: 0 });
      this.stops.push(() => this.bridge.close());
    }

    const stack = await startGeneratedStack(this.loaded, this.dir, {
      alertmanagerPort: ports.alertmanager,
      prometheusPort: ports.prometheus,
      // Firing alerts are re-sent every second instead of every minute: a snappy chain.
      prometheusArgs: [`--rules.alert.resend-delay=${this.options.resendDelaySeconds ?? 1}s`],
      generate: { env: this.env },
    });
    // Restarts replace these two, so the chain stops whichever runs at the end.
    this.alertmanagerOptions = stack.alertmanagerOptions;
    this.alertmanager = stack.alertmanager;
    this.stops.push(() => this.alertmanager.stop());
    this.prometheusOptions = stack.prometheusOptions!;
    this.prometheus = stack.prometheus!;
    this.stops.push(() => this.prometheus.stop());
    this.poller = setInterval(() => this.collect(), 100);
  }

  /** The console (Monitoring, Alerts, Configuration) on alerts_page.listen, started on first use. */
  async startConsole(): Promise<RunningPage> {
    if (!this.console) {
      // Loaded here: scenarios without the console need neither express nor esbuild.
      const { startAlertsPage } = await import('@traderadmin/console');
      this.console = await startAlertsPage({ configFile: this.configFile, env: this.env, out: path.join(this.dir, 'generated') });
      const running = this.console;
      this.stops.push(() => running.close());
    }
    return this.console;
  }

  /** Stops Prometheus (SIGTERM) and starts it again: same port, same data folder, same rules. */
  async restartPrometheus(downSeconds = 0): Promise<void> {
    await this.prometheus.stop();
    await new Promise((r) => setTimeout(r, downSeconds * 1000));
    this.prometheus = await startPrometheus(this.prometheusOptions);
  }

  /** Stops Alertmanager (SIGTERM: it saves silences and its notification log) and starts it again on the same port and data. */
  async restartAlertmanager(downSeconds = 0): Promise<void> {
    await this.alertmanager.stop();
    await new Promise((r) => setTimeout(r, downSeconds * 1000));
    this.alertmanager = await startAlertmanager(this.alertmanagerOptions);
  }

  /** Starts `traderadmin bridge --config <chain config>` with the chain's environment; resolves once it listens. */
  async startBridgeProcess(): Promise<void> {
    this.bridgeProcess = await startBridgeProcess({
      configFile: this.configFile,
      cwd: this.dir,
      env: this.env,
      url: this.bridgeUrl,
      onLine: (line) => this.bridgeLog.push(line),
    });
  }

  /** The bridge child process, when options.bridgeProcess. */
  get bridgeChild(): ChildProcess | undefined {
    return this.bridgeProcess?.child;
  }

  /** Kills the bridge child process (SIGKILL by default: no chance to finish anything) and waits for it to exit. */
  async killBridge(signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
    await this.bridgeProcess?.kill(signal);
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
      headers: {
        'content-type': 'application/json',
        ...(this.options.tokens?.events ? { authorization: `Bearer ${this.options.tokens.events}` } : {}),
      },
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
    // Telegram: what the bot sent to the chat (alerts, and its answers to commands).
    this.telegram?.sent.forEach((m, i) => add(`telegram-${i}`, 'telegram', m.text));
    this.discord?.messages().forEach((m, i) => add(`discord-${i}`, 'discord', `${m.content ?? ''}\n${JSON.stringify(m.embeds ?? [])}`));
    // PagerDuty: "trigger <summary>" or "resolve <summary of the trigger it closes>", then the event.
    const summaries = new Map<string, string>();
    this.pagerduty?.events().forEach((e, i) => {
      if (e.payload?.summary && e.dedup_key) summaries.set(e.dedup_key, e.payload.summary);
      add(`pagerduty-${i}`, 'pagerduty', `${e.event_action} ${summaries.get(e.dedup_key ?? '') ?? ''}\n${JSON.stringify(e)}`);
    });
  }

  async stop(): Promise<void> {
    if (this.poller) clearInterval(this.poller);
    for (const stop of this.stops.reverse()) await stop().catch(() => undefined);
    this.stops.length = 0;
  }
}
