/**
 * The bridge assembled: config (swappable on reload), outbox, delivery worker, watchdog,
 * metrics, silences and the HTTP server. startBridge() is the library entry point and the
 * composition root: it only builds the parts (wiring/, one file per job) in order and starts them.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  CHANNELS,
  consoleUrl,
  engineFetch,
  enginePassword,
  resolveFromConfig,
  type ChannelName,
  type Config,
  type LoadedConfig,
} from '@traderadmin/config';
import { DeliveryWorker, type RateLimits } from './delivery/worker.js';
import type { LinkContext } from './format/view.js';
import { createApp, type ReloadResult } from './http/server.js';
import { createLogger, redactingLogger, type Logger } from '@traderadmin/kit';
import type { BridgeMetrics } from './metrics.js';
import { buildNotifiers } from './notifiers/index.js';
import type { Outbox } from './outbox/store.js';
import { SilenceClient } from './silences.js';
import { systemClock, type Clock } from './types.js';
import { HeartbeatPinger } from './heartbeat.js';
import { connectUrl, httpStackReader } from './stack.js';
import type { RunningTelegramBot } from './telegram/bot.js';
import { SilenceKeys } from './telegram/keys.js';
import { DailySummary } from './summary/daily.js';
import { createApi } from './wiring/api.js';
import { createEnqueue, newReceiptId } from './wiring/enqueue.js';
import { listenAddress, listenOn } from './wiring/listen.js';
import { LiveConfig } from './wiring/live.js';
import { openOutbox } from './wiring/outbox.js';
import { BridgeSecrets } from './wiring/redaction.js';
import { reloadConfig } from './wiring/reload.js';
import { startBotFor } from './wiring/telegram.js';
import { every } from './wiring/timers.js';
import { createWatchdog } from './wiring/watchdog.js';

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

/** Channel -> daily summary time, for the enabled channels that ask for one. */
function summarySchedule(config: Config): Partial<Record<ChannelName, string>> {
  const out: Partial<Record<ChannelName, string>> = {};
  for (const c of CHANNELS) {
    const n = config.alerts_config.notifications[c] as { enabled: boolean; daily_summary_at?: string };
    if (n.enabled && n.daily_summary_at) out[c] = n.daily_summary_at;
  }
  return out;
}

/**
 * Starts the bridge: opens the outbox under alert_bridge.data_dir (relative to the config
 * file), delivers what a previous run left, and listens on alert_bridge.listen.
 */
export async function startBridge(loaded: LoadedConfig, deps: BridgeDeps = {}): Promise<RunningBridge> {
  const clock = deps.clock ?? systemClock;
  const env = deps.env ?? process.env;
  const secrets = new BridgeSecrets(env);
  secrets.use(loaded);
  const { level, format } = loaded.config.logging;
  const logger = deps.logger ? redactingLogger(deps.logger, secrets.redactor) : createLogger({ level, format, redactor: secrets.redactor });
  const fetchFn = deps.fetch ?? fetch;
  const dataDir = resolveFromConfig(loaded, loaded.config.alert_bridge.data_dir);
  const telegramKeys = new SilenceKeys();
  const build = (config: Config) =>
    buildNotifiers({ config, links: linksOf(config), fetch: fetchFn, clock, timeoutMs: deps.providerTimeoutMs, env, telegramKeys });
  const live = new LiveConfig(loaded, build(loaded.config));
  const cfg = () => live.config;

  // Read at scrape time, after the watchdog below exists.
  const { outbox, metrics, unlock } = await openOutbox(
    dataDir,
    clock,
    logger,
    () => watchdog.lastBeatMs(),
    () => cfg().alert_bridge.dedup_window_seconds * 1000,
  );

  const worker = new DeliveryWorker({
    outbox,
    notifiers: () => live.notifiers,
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
  const wake = () => worker.wake();
  const enqueue = createEnqueue({ live, outbox, metrics, logger, clock, wake });
  const watchdog = createWatchdog({ dir: dataDir, live, clock, logger, enqueue });
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

  const alertmanagerUrl = () => deps.alertmanagerApiUrl ?? `http://${cfg().alertmanager.listen}`;
  const prometheusUrl = () => deps.prometheusApiUrl ?? connectUrl(cfg().prometheus.listen);
  // Prometheus and Alertmanager ask for the stack's credential (engineAuth.ts); nothing else gets it.
  const engine = engineFetch({
    urls: () => [alertmanagerUrl(), prometheusUrl()],
    password: () => enginePassword(live.loaded, env),
    fetch: fetchFn,
  });
  const silences = new SilenceClient(alertmanagerUrl, engine, () => clock.now());
  const stack = httpStackReader(
    {
      exporter: () => deps.exporterApiUrl ?? connectUrl(cfg().exporter.listen),
      alertmanager: alertmanagerUrl,
      prometheus: prometheusUrl,
    },
    engine,
  );
  const telegramDeps = { live, env, fetch: fetchFn, logger, clock, stack, silences, keys: telegramKeys };
  let telegramBot: RunningTelegramBot | undefined;
  const dailySummary = new DailySummary({
    schedule: () => summarySchedule(cfg()),
    timeZone: () => cfg().trading.timezone,
    now: () => clock.now(),
    stack,
    enqueue: async (channel, n) => void (await enqueue(channel, n, newReceiptId(clock.now()))),
    dir: dataDir,
    logger,
  });
  let accepting = true;
  let closing: Promise<void> | undefined;

  const reload = (): Promise<ReloadResult> =>
    reloadConfig({
      live,
      secrets,
      env,
      logger,
      buildNotifiers: build,
      restart: async (config) => {
        await telegramBot?.stop();
        telegramBot = startBotFor(config, telegramDeps);
      },
      wake,
    });
  const api = createApi({
    live,
    secrets,
    env,
    logger,
    clock,
    outbox,
    metrics,
    enqueue,
    watchdog,
    silences,
    reload,
    wake,
    accepting: () => accepting,
    runbooksFile: () => deps.runbooksFile ?? path.join(REPO_ROOT, 'docs', 'runbooks.md'),
  });

  const { server, url } = await (async () => {
    const listen = listenAddress(deps.listen ?? loaded.config.alert_bridge.listen);
    return listenOn(createApp(api, { listenHost: listen.host }), listen);
  })().catch((error: unknown) => {
    unlock();
    throw error;
  });

  worker.start();
  heartbeat.start();
  telegramBot = startBotFor(loaded.config, telegramDeps);
  const summaryTimer = every(deps.summaryCheckMs ?? 30_000, () => dailySummary.check(), logger, 'daily summary check failed');
  const watchdogTimer = every(deps.watchdogCheckMs ?? 5000, () => watchdog.check(), logger, 'watchdog check failed');
  const prune = () => outbox.pruneDelivered(cfg().alert_bridge.dedup_window_seconds * 1000);
  const pruneTimer = every(60_000, prune, logger, 'prune failed');
  await prune();
  logger.info('alert bridge listening', { url, data_dir: dataDir, channels: [...live.notifiers.keys()], pending: outbox.pending().length });

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
      for (const n of live.notifiers.values()) await n.close().catch(() => undefined);
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
