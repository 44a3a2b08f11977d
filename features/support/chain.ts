/**
 * The whole chain for the scenarios, every part real: the IB Gateway emulator, the exporter
 * reading it through @stoqey/ib, Prometheus with the generated rules, Alertmanager with the
 * generated routes, the alert bridge, and loopback SMTP, Slack, Twilio and webhook peers (and
 * Telegram Bot API, Discord and PagerDuty peers for the channels a scenario enables), all
 * started by test-support's RunningChain; this adds the scenarios' options, clock and notices.
 *
 * Time is expressed the way Alertmanager's acceptance tests do: `at(t)` waits until t seconds
 * after the chain started, and `want(channel, between(a, b), match)` expects a notification
 * to arrive in that window (and none before it).
 */
import type { ChildProcess } from 'node:child_process';
import path from 'node:path';
import type { ChannelName, LoadedConfig } from '@traderadmin/config';
import type { Emulator } from '@traderadmin/emulator';
import type { RunningExporter } from '@traderadmin/exporter';
import type { RunningPage } from '@traderadmin/console';
import { ALL_CHANNELS } from './notices.js';
import { RunningChain, captureLogger, type ManagedProcess, type PeerOf, type PeerSpecs, type TomlTable } from '@traderadmin/test-support';

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

/** config.toml of the chain, over the builder's ports and peer tables. */
function chainConfig(o: ChainOptions, channels: Set<Channel>): TomlTable {
  const enabled = (c: Channel) => ({ enabled: channels.has(c) });
  const scrape = o.scrapeIntervalSeconds ?? 1;
  return {
    alerts_config: {
      cooldown_minutes: o.cooldownMinutes ?? 15,
      thresholds: o.thresholds ?? {},
      notifications: {
        email: enabled('email'),
        slack: enabled('slack'),
        sms: { ...enabled('sms'), min_severity: 'warning' },
        webhook: enabled('webhook'),
        ...(channels.has('telegram') ? { telegram: { chat_ids: [TELEGRAM_CHAT] } } : {}),
        ...(channels.has('pagerduty') ? { pagerduty: { min_severity: 'warning' } } : {}),
      },
    },
    broker: { accounts: [ACCOUNT], probe_interval_seconds: 1, probe_timeout_seconds: 3, ...o.broker },
    exporter: {
      ...(o.latencyWindowSeconds ? { latency_window_seconds: o.latencyWindowSeconds } : {}),
      ...(o.tokens?.events ? { events_token: 'env:FEATURE_EVENTS_TOKEN' } : {}),
    },
    prometheus: { scrape_interval_seconds: scrape, evaluation_interval_seconds: scrape },
    alertmanager: { group_wait_seconds: 1, group_interval_seconds: 1 },
    alert_bridge: {
      ...(o.tokens?.bridge ? { auth_token: 'env:FEATURE_BRIDGE_TOKEN' } : {}),
      retry_min_seconds: 0.2,
      retry_max_seconds: 2,
      ...o.bridge,
    },
    // The console's own port (the builder's): the links in notifications point at it.
    alerts_page: { history_dir: 'config-history', ...(o.tokens?.page ? { auth_token: 'env:FEATURE_PAGE_TOKEN' } : {}) },
  };
}

export class Chain {
  private readonly seen = new Map<string, Received>();
  private poller?: NodeJS.Timeout;
  console?: RunningPage;

  // What the steps read, from the builder (the opt-in channels' peers only when enabled).
  readonly dir: string;
  readonly configFile: string;
  readonly loaded: LoadedConfig;
  readonly env: NodeJS.ProcessEnv;
  readonly emulator: Emulator;
  readonly exporter: RunningExporter;
  /** Where the bridge listens, in process or child. */
  readonly bridgeUrl: string;
  readonly smtp: PeerOf['email'];
  readonly slack: PeerOf['slack'];
  readonly twilio: PeerOf['sms'];
  readonly webhook: PeerOf['webhook'];
  readonly telegram?: PeerOf['telegram'];
  readonly discord?: PeerOf['discord'];
  readonly pagerduty?: PeerOf['pagerduty'];

  private constructor(
    private readonly running: RunningChain<PeerSpecs>,
    readonly options: ChainOptions,
    readonly startedAt: number,
    /** Every line the bridge logged, for failure messages and secret checks. */
    readonly bridgeLog: string[],
  ) {
    this.dir = running.dir;
    this.configFile = running.configFile;
    this.loaded = running.loaded;
    this.env = running.env;
    this.emulator = running.emulator!;
    this.exporter = running.exporter!;
    this.bridgeUrl = running.bridgeUrl;
    this.smtp = running.peers.email!;
    this.slack = running.peers.slack!;
    this.twilio = running.peers.sms!;
    this.webhook = running.peers.webhook!;
    this.telegram = running.peers.telegram;
    this.discord = running.peers.discord;
    this.pagerduty = running.peers.pagerduty;
  }

  static async start(dir: string, options: ChainOptions = {}): Promise<Chain> {
    const startedAt = Date.now();
    const channels = new Set(options.channels ?? ALL_CHANNELS);
    const bridgeLog: string[] = [];
    const running = await RunningChain.start({
      dir,
      // The email, Slack, SMS and webhook peers always run (a disabled channel must get nothing).
      peers: {
        email: {},
        slack: {},
        sms: {},
        webhook: {},
        ...(channels.has('telegram') ? { telegram: { chats: [TELEGRAM_CHAT, '555000111'] } } : {}),
        ...(channels.has('discord') ? { discord: {} } : {}),
        ...(channels.has('pagerduty') ? { pagerduty: {} } : {}),
      },
      config: chainConfig(options, channels),
      env: {
        FEATURE_EVENTS_TOKEN: options.tokens?.events,
        FEATURE_BRIDGE_TOKEN: options.tokens?.bridge,
        FEATURE_PAGE_TOKEN: options.tokens?.page,
      },
      emulator: {
        accounts: [ACCOUNT],
        seed: 11,
        tradeIntervalSeconds: options.tradeIntervalSeconds ?? 0,
        eventsToExporter: true,
        eventsToken: options.tokens?.events,
      },
      exporter: true,
      bridge: options.bridgeProcess ? { process: { onLine: (line) => bridgeLog.push(line) } } : { logger: captureLogger(bridgeLog) },
      // Firing alerts are re-sent every second instead of every minute: a snappy chain.
      prometheus: { args: [`--rules.alert.resend-delay=${options.resendDelaySeconds ?? 1}s`] },
      console: true,
    });
    const chain = new Chain(running, options, startedAt, bridgeLog);
    chain.poller = setInterval(() => chain.collect(), 100);
    return chain;
  }

  /** The bridge child process, when options.bridgeProcess. */
  get bridgeChild(): ChildProcess | undefined {
    return this.running.bridgeProcess?.child;
  }

  /** Restarts replace these two: each read gets the one running now. */
  get prometheus(): ManagedProcess {
    return this.running.prometheus!;
  }

  get alertmanager(): ManagedProcess {
    return this.running.alertmanager!;
  }

  /** The console (Monitoring, Alerts, Configuration) on alerts_page.listen, started on first use. */
  async startConsole(): Promise<RunningPage> {
    if (!this.console) {
      // Loaded here: scenarios without the console need neither express nor esbuild.
      const { startAlertsPage } = await import('@traderadmin/console');
      const running = await startAlertsPage({ configFile: this.configFile, env: this.env, out: path.join(this.dir, 'generated') });
      this.console = running;
      this.running.defer(() => running.close());
    }
    return this.console;
  }

  /** Stops Prometheus (SIGTERM) and starts it again: same port, same data folder, same rules. */
  restartPrometheus(downSeconds = 0): Promise<void> {
    return this.running.restartPrometheus(downSeconds);
  }

  /** Stops Alertmanager (SIGTERM: it saves silences and its notification log) and starts it again on the same port and data. */
  restartAlertmanager(downSeconds = 0): Promise<void> {
    return this.running.restartAlertmanager(downSeconds);
  }

  /** Starts `traderadmin bridge --config <chain config>` again on the same data folder and port; resolves once it listens. */
  startBridgeProcess(): Promise<void> {
    return this.running.startBridgeProcess();
  }

  /** Kills the bridge child process (SIGKILL by default: no chance to finish anything) and waits for it to exit. */
  killBridge(signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
    return this.running.killBridge(signal);
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
    await this.running.stop();
  }
}
