/**
 * The bridge assembled: config (swappable on reload), outbox, delivery worker, watchdog,
 * metrics, silences and the HTTP server. startBridge() is the library entry point.
 */
import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Server } from 'node:http';
import {
  CHANNELS,
  ConfigError,
  consoleUrl,
  dashboardLink,
  engineFetch,
  enginePassword,
  formatProblem,
  hardenServer,
  loadConfig,
  parseListen,
  readLocalToken,
  resolveFromConfig,
  secretValues,
  type ChannelName,
  type Config,
  type LoadedConfig,
} from '@traderadmin/config';
import { DeliveryWorker, type RateLimits } from './delivery/worker.js';
import type { LinkContext } from './format/view.js';
import { ChannelUnavailableError, createApp, type BridgeApi, type ReceiveResult, type ReloadResult } from './http/server.js';
import { Redactor, jsonLogger, redactingLogger, type Logger } from './logger.js';
import { createMetrics, type BridgeMetrics } from './metrics.js';
import { buildNotifiers } from './notifiers/index.js';
import { idempotencyKey } from './outbox/key.js';
import { lockDataDir } from './outbox/lock.js';
import { Outbox } from './outbox/store.js';
import { filterBySeverity } from './payload.js';
import { SilenceClient } from './silences.js';
import { DEFAULT_TEST_MESSAGE, displayRecipient, runTestAlert, sampleNotification } from './testAlert.js';
import { systemClock, type AmPayload, type Clock, type Notification, type Notifier, type OutboxEntry } from './types.js';
import { HeartbeatPinger } from './heartbeat.js';
import { Watchdog } from './watchdog.js';
import { connectUrl, httpStackReader } from './stack.js';
import { startTelegramBot, type RunningTelegramBot } from './telegram/bot.js';
import { SilenceKeys } from './telegram/keys.js';
import { DailySummary } from './summary/daily.js';

/** Everything the bridge takes from outside; all optional. */
export interface BridgeDeps {
  clock?: Clock;
  /** Receives every log line (already redacted). @default JSON lines on stderr */
  logger?: Logger;
  fetch?: typeof fetch;
  /** [0,1) source for retry jitter. */
  random?: () => number;
  /** Overrides alert_bridge.listen (tests use "127.0.0.1:0"). */
  listen?: string;
  /** Overrides alert_bridge.retry_min_seconds / retry_max_seconds, in ms (tests use short ones). */
  retryMinMs?: number;
  retryMaxMs?: number;
  /** Minimum ms between two messages to one destination, per channel. */
  rateLimits?: Partial<RateLimits>;
  /** How often due retries are looked for. @default 250 */
  pollMs?: number;
  /** How often the external heartbeat schedule is looked at. @default 1000 */
  heartbeatTickMs?: number;
  /** How often the watchdog is checked; 0 disables the timer (tests call checkWatchdog()). @default 5000 */
  watchdogCheckMs?: number;
  /** Alertmanager API base for silences. @default http://<alertmanager.listen> */
  alertmanagerApiUrl?: string;
  /** docs/runbooks.md. @default <repo>/docs/runbooks.md */
  runbooksFile?: string;
  /** Per-request timeout of every provider call. @default PROVIDER_TIMEOUT_MS (15 s, notifiers/provider.ts) */
  providerTimeoutMs?: number;
  /** How long close() waits for deliveries in flight. @default 10000 */
  shutdownGraceMs?: number;
  /** Environment for env: secrets on reload. @default process.env */
  env?: NodeJS.ProcessEnv;
  /** Exporter base URL for /status and the daily summary. @default http://<exporter.listen> */
  exporterApiUrl?: string;
  /** Prometheus base URL for the daily summary. @default http://<prometheus.listen> */
  prometheusApiUrl?: string;
  /** How often the daily summary schedule is looked at; 0 disables the timer (tests call checkDailySummary()). @default 30000 */
  summaryCheckMs?: number;
}

/** A running bridge. */
export interface RunningBridge {
  /** http://host:port */
  url: string;
  /** Stops taking work, finishes or persists what is in flight, closes the server. */
  close(): Promise<void>;
  /** Re-reads the config file; keeps the old config when the new one is invalid. */
  reload(): Promise<ReloadResult>;
  /** The config in use. */
  config(): Config;
  outbox: Outbox;
  metrics: BridgeMetrics;
  /** Runs the watchdog check now. */
  checkWatchdog(): Promise<void>;
  /** Queues the daily summaries that are due now. */
  checkDailySummary(): Promise<void>;
  /** Data folder in use. */
  dataDir: string;
}

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

function linksOf(config: Config): LinkContext {
  // Debian's Alertmanager has no web UI: silence links open it only when external_url says where one is.
  return { alertmanagerUrl: config.alertmanager.external_url, grafanaUrl: config.grafana.url, consoleUrl: consoleUrl(config) };
}

function newReceiptId(now: number): string {
  return `${now.toString(36)}-${randomBytes(3).toString('hex')}`;
}

/**
 * Starts the bridge: opens the outbox under alert_bridge.data_dir (relative to the config
 * file), delivers what a previous run left, and listens on alert_bridge.listen.
 */
export async function startBridge(loaded: LoadedConfig, deps: BridgeDeps = {}): Promise<RunningBridge> {
  const clock = deps.clock ?? systemClock;
  const env = deps.env ?? process.env;
  const redactor = new Redactor();
  // The local token (data/secrets/token from `traderadmin up`) guards the API unless auth_token is set.
  let localToken = readLocalToken(loaded, env);
  redactor.set([...secretValues(loaded.config, env), ...(localToken ? [localToken] : [])]);
  const logger = deps.logger ? redactingLogger(deps.logger, redactor) : jsonLogger({ redactor });
  const fetchFn = deps.fetch ?? fetch;
  let current = loaded;
  const cfg = () => current.config;
  const dataDir = resolveFromConfig(loaded, loaded.config.alert_bridge.data_dir);
  const telegramKeys = new SilenceKeys();
  const build = (config: Config) =>
    buildNotifiers({ config, links: linksOf(config), fetch: fetchFn, clock, timeoutMs: deps.providerTimeoutMs, env, telegramKeys });
  let notifiers = build(loaded.config);

  // One bridge per data folder: a second one would deliver every entry twice.
  await mkdir(dataDir, { recursive: true, mode: 0o700 });
  const unlock = lockDataDir(dataDir);
  const prunedAtStart: Array<'pending' | 'dead'> = [];
  let countPrune = (list: 'pending' | 'dead'): void => void prunedAtStart.push(list);
  let outbox: Outbox;
  try {
    outbox = await Outbox.open({ dir: path.join(dataDir, 'outbox'), clock, logger, onPrune: (list) => countPrune(list) });
  } catch (error) {
    unlock();
    throw error;
  }
  const metrics = createMetrics({
    pending: () => outbox.pending(),
    dead: () => outbox.dead(),
    now: () => clock.now(),
    // Read at scrape time, after the watchdog below exists.
    lastWatchdogMs: () => watchdog.lastBeatMs(),
  });
  countPrune = (list) => {
    metrics.pruned.inc({ list });
  };
  for (const list of prunedAtStart) countPrune(list);

  const worker = new DeliveryWorker({
    outbox,
    notifiers: () => notifiers,
    settings: () => ({
      maxAttempts: cfg().alert_bridge.max_attempts,
      retryMinMs: deps.retryMinMs ?? cfg().alert_bridge.retry_min_seconds * 1000,
      retryMaxMs: deps.retryMaxMs ?? cfg().alert_bridge.retry_max_seconds * 1000,
      digestThreshold: cfg().alert_bridge.digest_threshold,
    }),
    metrics,
    logger,
    clock,
    rateLimits: deps.rateLimits,
    pollMs: deps.pollMs,
    random: deps.random,
  });

  /** Stores one notification for every recipient of a channel. */
  const enqueue = async (
    channel: ChannelName,
    notification: Notification,
    receiptId: string,
    fromWatchdog = false,
  ): Promise<{ added: OutboxEntry[]; duplicates: OutboxEntry[] }> => {
    const notifier = notifiers.get(channel);
    if (!notifier) throw new ChannelUnavailableError(`channel ${channel} is not enabled in the bridge config`);
    const now = clock.now();
    const entries = notifier.recipients().map((recipient, i): OutboxEntry => ({
      id: `${receiptId}.${channel}.${i}`,
      key: idempotencyKey(notification, channel, recipient),
      channel,
      recipient,
      notification,
      receivedAt: now,
      attempts: 0,
      nextAttemptAt: now,
    }));
    const result = await outbox.enqueue(entries);
    if (fromWatchdog && result.duplicates.length) logger.warn('watchdog notification already queued', { channel });
    for (const e of result.added) {
      metrics.received.inc({ channel });
      logger.info('notification stored', {
        notification_id: e.id,
        channel,
        recipient: displayRecipient(channel, e.recipient),
        group_key: notification.groupKey,
        status: notification.status,
        alerts: notification.alerts.length,
      });
    }
    for (const e of result.duplicates) {
      metrics.deduplicated.inc({ channel });
      logger.info('duplicate notification ignored', {
        channel,
        key: e.key.slice(0, 16),
        group_key: notification.groupKey,
        state: outbox.state(e.key),
      });
    }
    if (result.added.length) worker.wake();
    return result;
  };

  const watchdogNotify = async (status: 'firing' | 'resolved', downSince: number, message: string) => {
    const n: Notification = {
      kind: 'watchdog',
      receiver: 'bridge-watchdog',
      groupKey: `watchdog-down:${downSince}`,
      status,
      groupLabels: {},
      commonLabels: {},
      commonAnnotations: {},
      externalURL: '',
      truncatedAlerts: 0,
      alerts: [],
      message,
    };
    const receipt = newReceiptId(clock.now());
    for (const channel of notifiers.keys()) {
      try {
        await enqueue(channel, n, receipt, true);
      } catch (error) {
        logger.error('could not queue watchdog notification', { channel, error });
      }
    }
  };
  const iso = (ms: number | undefined) => (ms ? new Date(ms).toISOString().slice(0, 19).replace('T', ' ') + ' UTC' : 'never');
  const watchdog: Watchdog = new Watchdog({
    dir: dataDir,
    clock,
    logger,
    timeoutMs: () => cfg().alert_bridge.watchdog_timeout_seconds * 1000,
    onDown: (since, last) =>
      watchdogNotify(
        'firing',
        since,
        `No Watchdog alert from Alertmanager for ${cfg().alert_bridge.watchdog_timeout_seconds} s (last one: ${iso(last)}). Prometheus, Alertmanager or the route to this bridge is down: no other alert can reach you until it is fixed.`,
      ),
    // The outage began at the last Watchdog received, not at the alarm one timeout later.
    onBack: (since, back, last) =>
      watchdogNotify(
        'resolved',
        since,
        `Watchdog alerts arrive again at ${iso(back)}; monitoring was down for about ${Math.max(1, Math.round((back - (last ?? since)) / 60000))} min (last Watchdog before: ${iso(last)}).`,
      ),
  });
  await watchdog.load();
  const heartbeat = new HeartbeatPinger({
    settings: () => ({
      url: cfg().alert_bridge.heartbeat_url,
      intervalMs: cfg().alert_bridge.heartbeat_interval_seconds * 1000,
      method: cfg().alert_bridge.heartbeat_method,
    }),
    healthy: () => !watchdog.isDown(),
    fetch: fetchFn,
    logger,
    env,
    now: () => clock.now(),
    tickMs: deps.heartbeatTickMs,
  });

  // Prometheus and Alertmanager ask for the stack's credential (engineAuth.ts); nothing else gets it.
  const engineUrls = () => [
    deps.alertmanagerApiUrl ?? `http://${cfg().alertmanager.listen}`,
    deps.prometheusApiUrl ?? connectUrl(cfg().prometheus.listen),
  ];
  const engine = engineFetch({ urls: engineUrls, password: () => enginePassword(current, env), fetch: fetchFn });
  const silences = new SilenceClient(
    () => engineUrls()[0],
    engine,
    () => clock.now(),
  );
  const stack = httpStackReader(
    {
      exporter: () => deps.exporterApiUrl ?? connectUrl(cfg().exporter.listen),
      alertmanager: () => deps.alertmanagerApiUrl ?? `http://${cfg().alertmanager.listen}`,
      prometheus: () => deps.prometheusApiUrl ?? connectUrl(cfg().prometheus.listen),
    },
    engine,
  );
  /** The Telegram command bot of a config, when Telegram and its commands are on. */
  const startBot = (config: Config): RunningTelegramBot | undefined => {
    const t = config.alerts_config.notifications.telegram;
    if (!t.enabled || !t.commands) return undefined;
    let token: string;
    try {
      token = t.bot_token?.reveal(env) ?? '';
      if (!token) throw new Error('bot_token is not set');
    } catch (error) {
      logger.warn('telegram commands are off: no bot token', { error });
      return undefined;
    }
    return startTelegramBot({
      config: t,
      token,
      fetch: fetchFn,
      logger,
      stack,
      silences,
      keys: telegramKeys,
      now: () => clock.now(),
      timeZone: () => cfg().trading.timezone,
      marketOpen: () => cfg().trading.market_open,
    });
  };
  let telegramBot: RunningTelegramBot | undefined;
  const dailySummary = new DailySummary({
    schedule: () => {
      const out: Partial<Record<ChannelName, string>> = {};
      for (const c of CHANNELS) {
        const n = cfg().alerts_config.notifications[c] as { enabled: boolean; daily_summary_at?: string };
        if (n.enabled && n.daily_summary_at) out[c] = n.daily_summary_at;
      }
      return out;
    },
    timeZone: () => cfg().trading.timezone,
    now: () => clock.now(),
    stack,
    enqueue: async (channel, n) => void (await enqueue(channel, n, newReceiptId(clock.now()))),
    dir: dataDir,
    logger,
  });
  let accepting = true;
  let closing: Promise<void> | undefined;

  const reload = async (): Promise<ReloadResult> => {
    let next: LoadedConfig;
    try {
      next = loadConfig(current.file, { env });
    } catch (error) {
      const problems =
        error instanceof ConfigError ? error.problems.filter((p) => p.severity === 'error').map(formatProblem) : [(error as Error).message];
      logger.warn('config reload rejected; keeping the running config', { problems: problems.length });
      return { ok: false, problems: problems.map((p) => redactor.redact(p)), warnings: [] };
    }
    let nextNotifiers: Map<ChannelName, Notifier>;
    try {
      nextNotifiers = build(next.config);
    } catch (error) {
      const errs = error instanceof AggregateError ? error.errors.map((e: Error) => e.message) : [(error as Error).message];
      return { ok: false, problems: errs.map((p) => redactor.redact(p)), warnings: [] };
    }
    const warnings = next.warnings.map(formatProblem);
    if (next.config.alert_bridge.listen !== current.config.alert_bridge.listen)
      warnings.push('alert_bridge.listen changed: takes effect after a restart');
    if (next.config.alert_bridge.data_dir !== current.config.alert_bridge.data_dir)
      warnings.push('alert_bridge.data_dir changed: takes effect after a restart');
    const old = notifiers;
    notifiers = nextNotifiers;
    current = next;
    localToken = readLocalToken(next, env);
    redactor.set([...secretValues(next.config, env), ...(localToken ? [localToken] : [])]);
    for (const n of old.values()) await n.close().catch(() => undefined);
    await telegramBot?.stop();
    telegramBot = startBot(next.config);
    logger.info('config reloaded', { sha256: next.sha256.slice(0, 12), channels: [...notifiers.keys()] });
    worker.wake();
    return { ok: true, sha256: next.sha256, problems: [], warnings };
  };

  const api: BridgeApi = {
    logger,
    auth: () => {
      const token = cfg().alert_bridge.auth_token;
      let value: string | undefined;
      try {
        value = token ? token.reveal(env) : localToken;
      } catch {
        // A configured but unreadable token must not open the door: use an impossible value.
        value = randomBytes(32).toString('hex');
      }
      return { token: value, user: cfg().alert_bridge.auth_user };
    },
    maxBodyBytes: () => cfg().alert_bridge.max_body_bytes,
    accepting: () => accepting,
    async receive(channel: ChannelName, payload: AmPayload): Promise<ReceiveResult> {
      const minSeverity = cfg().alerts_config.notifications[channel].min_severity;
      if (!notifiers.has(channel)) throw new ChannelUnavailableError(`channel ${channel} is not enabled in the bridge config`);
      const filtered = filterBySeverity(payload, minSeverity);
      if (!filtered) return { stored: 0, duplicates: 0, filtered: payload.alerts.length, ids: [] };
      const notification: Notification = { kind: 'alert', ...filtered };
      delete (notification as Partial<AmPayload>).version;
      const { added, duplicates } = await enqueue(channel, notification, newReceiptId(clock.now()));
      return {
        stored: added.length,
        duplicates: duplicates.length,
        filtered: payload.alerts.length - filtered.alerts.length,
        ids: added.map((e) => e.id),
      };
    },
    async watchdog(payload: AmPayload) {
      if (payload.alerts.some((a) => a.status === 'firing')) await watchdog.beat();
    },
    async testAlert(channel, message) {
      const chosen = [...notifiers.values()].filter((n) => channel === 'all' || n.channel === channel);
      const now = clock.now();
      const id = `test-${newReceiptId(now)}`;
      const results = await runTestAlert(
        chosen,
        sampleNotification(message ?? DEFAULT_TEST_MESSAGE, now, dashboardLink(cfg(), 'DU1234567')),
        id,
      );
      for (const r of results)
        logger.info('test alert', { notification_id: id, channel: r.channel, recipient: r.recipient, ok: r.ok, error: r.error });
      return results;
    },
    silences,
    deadLetters: () => outbox.dead(),
    acknowledgeDead: async (id) => {
      const ok = await outbox.acknowledgeDead(id);
      if (ok) logger.info('dead letter acknowledged', { notification_id: id });
      return ok;
    },
    retryDead: async (id) => {
      const e = await outbox.requeueDead(id);
      if (e) {
        logger.info('dead letter queued again', { notification_id: e.id });
        worker.wake();
      }
      return e !== undefined;
    },
    reload,
    metrics: async () => ({ contentType: metrics.registry.contentType, body: await metrics.registry.metrics() }),
    ready: async () => {
      const checks = {
        outbox_writable: await outbox.writable(),
        accepting: accepting,
        channels: notifiers.size > 0 || CHANNELS.every((c) => !cfg().alerts_config.notifications[c].enabled),
      };
      return { ready: Object.values(checks).every(Boolean), checks };
    },
    runbooksFile: () => deps.runbooksFile ?? path.join(REPO_ROOT, 'docs', 'runbooks.md'),
    redact: (t) => redactor.redact(t),
  };

  const listenText = deps.listen ?? loaded.config.alert_bridge.listen;
  // Port 0 (any free port) is only for tests and benchmarks, so only the override accepts it.
  const listen = /:0$/.test(listenText) ? { host: listenText.slice(0, -2).replace(/^\[|\]$/g, ''), port: 0 } : parseListen(listenText);
  if (!listen) throw new Error(`listen address ${listenText} is not HOST:PORT`);
  const app = createApp(api, { listenHost: listen.host });
  const server: Server = await new Promise<Server>((resolve, reject) => {
    const s = app.listen(listen.port, listen.host, (error?: Error) => (error ? reject(error) : resolve(s)));
    s.once('error', reject);
  }).catch((error: unknown) => {
    unlock();
    throw error;
  });
  hardenServer(server);
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  const url = `http://${host}:${address.port}`;

  worker.start();
  heartbeat.start();
  telegramBot = startBot(loaded.config);
  const summaryEvery = deps.summaryCheckMs ?? 30_000;
  const summaryTimer =
    summaryEvery > 0
      ? setInterval(() => void dailySummary.check().catch((error) => logger.error('daily summary check failed', { error })), summaryEvery)
      : undefined;
  const checkEvery = deps.watchdogCheckMs ?? 5000;
  const watchdogTimer =
    checkEvery > 0
      ? setInterval(() => void watchdog.check().catch((error) => logger.error('watchdog check failed', { error })), checkEvery)
      : undefined;
  const pruneTimer = setInterval(
    () =>
      void outbox.pruneDelivered(cfg().alert_bridge.dedup_window_seconds * 1000).catch((error) => logger.error('prune failed', { error })),
    60_000,
  );
  await outbox.pruneDelivered(cfg().alert_bridge.dedup_window_seconds * 1000);
  logger.info('alert bridge listening', { url, data_dir: dataDir, channels: [...notifiers.keys()], pending: outbox.pending().length });

  const close = () => {
    closing ??= (async () => {
      accepting = false;
      clearInterval(watchdogTimer);
      clearInterval(summaryTimer);
      clearInterval(pruneTimer);
      await heartbeat.stop();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      await telegramBot?.stop();
      await worker.stop(deps.shutdownGraceMs ?? 10_000);
      server.closeAllConnections();
      await closed;
      for (const n of notifiers.values()) await n.close().catch(() => undefined);
      unlock();
      logger.info('alert bridge stopped', { pending: outbox.pending().length });
    })();
    return closing;
  };

  return {
    url,
    close,
    reload,
    config: cfg,
    outbox,
    metrics,
    checkWatchdog: () => watchdog.check(),
    checkDailySummary: () => dailySummary.check(),
    dataDir,
  };
}
