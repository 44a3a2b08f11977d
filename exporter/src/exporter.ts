/**
 * Wiring: config → gateway session → ledger → metrics → HTTP. Clock, logger and the
 * gateway are injected so that tests drive each part directly.
 */
import { readFileSync } from 'node:fs';
import type { Server } from 'node:http';
import { Registry } from 'prom-client';
import { parseListen, readLocalToken, secretValues, type Config, type LoadedConfig } from '@traderadmin/config';
import { createLogger, Redactor, systemClock, type Clock, type Logger } from '@traderadmin/kit';
import { LatencyWindows } from './accounting/latency.js';
import { Ledger, type Fill, type PositionUpdate } from './accounting/ledger.js';
import { EventIngest } from './events/ingest.js';
import { createApp, listen, type MetricsScope } from './http/server.js';
import { IbGateway, type GatewaySink, type GatewayStatus } from './ib/connection.js';
import { UPSTREAM_LOST, UPSTREAM_RESTORED, classifyIbCode } from './ib/errors.js';
import { registerAccountMetrics } from './metrics/account.js';
import { registerBrokerMetrics } from './metrics/broker.js';
import { registerComponentMetrics } from './metrics/components.js';
import { registerErrorMetrics } from './metrics/errors.js';
import { registerLatencyMetrics } from './metrics/latency.js';
import { positionsRenderer } from './metrics/positions.js';
import { registerTradeMetrics } from './metrics/trades.js';
import { buildSnapshot, type AllMetrics } from './snapshot.js';

/** The exporter's version (trader_exporter_build_info). */
export const VERSION: string = (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string })
  .version;

export interface ExporterDeps {
  /** @default the system clock */
  clock?: Clock;
  /** @default the kit logger on stderr, hiding the config's secrets */
  logger?: Logger;
  /** "host:port" overriding exporter.listen (tests: "127.0.0.1:0"). */
  listen?: string;
  /** false: no gateway session (unit tests, the bench). @default true */
  connect?: boolean;
  /** Jitter source of the reconnect backoff. @default Math.random */
  random?: () => number;
  /** Environment for env: secrets. @default process.env */
  env?: NodeJS.ProcessEnv;
}

export interface RunningExporter {
  /** Base URL, e.g. http://127.0.0.1:9464 */
  url: string;
  registry: Registry;
  /** The accounting state (tests and the bench feed it directly). */
  ledger: Ledger;
  sink: GatewaySink;
  ready(): { ready: boolean; reason: string };
  snapshot(): AllMetrics;
  /** What GET /metrics?scope= answers. */
  metrics(scope?: MetricsScope): Promise<string>;
  /** Closes the HTTP server and disconnects from the gateway. */
  close(): Promise<void>;
}

/** The parts of the exporter without the HTTP server and the socket (tests and bench). */
export function createExporterCore(config: Config, deps: Pick<ExporterDeps, 'clock' | 'logger' | 'env'> = {}) {
  const clock = deps.clock ?? systemClock;
  const logger =
    deps.logger ??
    createLogger({
      level: config.logging.level,
      format: config.logging.format,
      redactor: new Redactor(secretValues(config, deps.env ?? process.env)),
    });
  const registry = new Registry();
  const gateway = config.broker.name;
  const trades = { execution: (_a: string, _s: 'buy' | 'sell') => {}, tradeClosed: (_a: string, _o: string) => {} };
  const ledger = new Ledger({
    clock,
    timeZone: config.trading.timezone,
    dayStart: config.trading.day_start,
    breakevenTolerance: config.exporter.breakeven_tolerance,
    hooks: {
      onExecution: (account, side) => trades.execution(account, side),
      onTradeClosed: (account, outcome) => trades.tradeClosed(account, outcome),
    },
  });
  const windows = new LatencyWindows(config.exporter.latency_window_seconds * 1000);
  registerAccountMetrics(registry, ledger);
  const tradeCounters = registerTradeMetrics(registry, ledger);
  trades.execution = tradeCounters.execution;
  trades.tradeClosed = (a, o) => tradeCounters.tradeClosed(a, o as 'win' | 'loss' | 'breakeven');
  const latency = registerLatencyMetrics(registry, windows, clock, [config.alerts_config.thresholds.max_order_latency_ms / 1000]);
  const errors = registerErrorMetrics(registry, clock);
  const broker = registerBrokerMetrics(registry, gateway);
  const components = registerComponentMetrics(registry, VERSION);
  const knownAccounts = new Set<string>(config.broker.accounts);
  const ingest = new EventIngest({
    clock,
    latency,
    errors,
    components,
    knownAccounts: () => knownAccounts,
    // Named in the config (and our own): always accepted, so junk names can never lock them out.
    reserved: [...config.exporter.heartbeat_components, 'ibkr', 'exporter'],
    onExpire: (kind, name) => {
      components.forget(kind, name);
      logger.info('events API: an unnamed name expired, its slot is free', { kind, name });
    },
  });

  let status: GatewayStatus = { socket: false, loggedIn: false, answering: false, dataFlowing: false, reason: 'not connected yet' };
  const touchAccount = (account: string) => {
    if (knownAccounts.has(account) && ledger.has(account)) return;
    knownAccounts.add(account);
    ledger.book(account);
    tradeCounters.initAccount(account);
  };

  const sink: GatewaySink = {
    ibMessage(code, message, reqId) {
      const cls = classifyIbCode(code);
      errors.count('ibkr', String(code), cls);
      if (code === UPSTREAM_LOST) broker.setUpstream(false);
      if (UPSTREAM_RESTORED.has(code)) broker.setUpstream(true);
      const fields = { code, class: cls, reqId, message };
      if (cls === 'warning') logger.debug('gateway notice', fields);
      else logger.warn('gateway message', fields);
    },
    status(s) {
      status = s;
      broker.setConnected(s.socket && s.loggedIn && s.answering);
    },
    reconnected: () => broker.reconnected(),
    rtt: (seconds) => broker.rtt(seconds),
    accountValue(account, tag, value, currency) {
      touchAccount(account);
      ledger.setAccountValue(account, tag, value, currency);
    },
    dailyPnl(account, dailyPnl) {
      touchAccount(account);
      ledger.setGatewayDailyPnl(account, dailyPnl);
    },
    positionsSnapshot(accounts, positions) {
      const by = new Map<string, PositionUpdate[]>(accounts.map((a) => [a, []]));
      for (const p of positions) (by.get(p.account) ?? by.set(p.account, []).get(p.account)!).push(p);
      for (const [account, list] of by) {
        touchAccount(account);
        ledger.replacePositions(account, list);
      }
    },
    position(u) {
      touchAccount(u.account);
      ledger.updatePosition(u);
    },
    seed(positions, todaysFills) {
      seedLedger(ledger, positions, todaysFills);
    },
    fills(list: Fill[], live) {
      for (const f of list) {
        touchAccount(f.account);
        ledger.applyFill(f, { live });
      }
    },
    commission: (execId, commission) => ledger.applyCommission(execId, commission),
    dataSync: () => components.dataSync('ibkr', clock.now()),
  };

  const ready = () => {
    if (!status.socket || !status.loggedIn || !status.answering || !status.dataFlowing)
      return { ready: false, reason: status.reason || 'not ready' };
    return { ready: true, reason: '' };
  };
  const snapshot = () =>
    buildSnapshot({
      now: clock.now(),
      ledger,
      latency: windows,
      apiErrorsToday: errors.countSince(ledger.day().start),
      lastDataSync: components.lastSync(),
      brokerConnected: status.socket && status.loggedIn && status.answering,
    });
  /** The exposition text of a scope: the registry's families, the position families (written directly), or both. */
  const renderPositions = positionsRenderer(ledger);
  const metrics = async (scope: MetricsScope = 'all'): Promise<string> => {
    if (scope === 'positions') return renderPositions();
    const rest = await registry.metrics();
    return scope === 'account' ? rest : `${rest}\n${renderPositions()}`;
  };
  return { clock, logger, registry, ledger, sink, ingest, ready, snapshot, metrics, touchAccount };
}

/**
 * Seeds each instrument's lot with its position before today's fills (position now minus
 * today's net fills, at the gateway's average cost), so that replaying the fills rebuilds
 * today's realized P&L and round trips after a restart.
 */
export function seedLedger(ledger: Ledger, positions: PositionUpdate[], todaysFills: Fill[]): void {
  const net = new Map<string, { account: string; key: string; qty: number; firstPrice: number; multiplier: number }>();
  for (const f of todaysFills) {
    const k = `${f.account}\u0000${f.key}`;
    const e = net.get(k) ?? { account: f.account, key: f.key, qty: 0, firstPrice: f.price, multiplier: f.multiplier ?? 1 };
    e.qty += f.side === 'BUY' ? f.quantity : -f.quantity;
    net.set(k, e);
  }
  const seen = new Set<string>();
  for (const p of positions) {
    const k = `${p.account}\u0000${p.key}`;
    seen.add(k);
    const mult = p.multiplier && p.multiplier > 0 ? p.multiplier : 1;
    const start = p.quantity - (net.get(k)?.qty ?? 0);
    ledger.seedLot(p.account, p.key, Math.round(start * 1e8) / 1e8, (p.avgCost ?? 0) / mult, mult);
  }
  // Closed today: it started the day at minus the net fills; its cost is unknown, so the
  // first fill's price stands in (documented limitation).
  for (const [k, e] of net) if (!seen.has(k) && e.qty !== 0) ledger.seedLot(e.account, e.key, -e.qty, e.firstPrice, e.multiplier);
}

function listenAddress(text: string): { host: string; port: number } {
  const m = /^(?:\[([^\]]+)\]|([^:]+)):(\d+)$/.exec(text);
  if (!m) throw new Error(`"${text}" is not HOST:PORT`);
  return { host: m[1] ?? m[2], port: Number(m[3]) };
}

/** Starts the exporter: HTTP server first (so /healthz answers), then the gateway session. */
export async function startExporter(loaded: LoadedConfig | Config, deps: ExporterDeps = {}): Promise<RunningExporter> {
  const config: Config = 'config' in loaded && 'sha256' in loaded ? loaded.config : (loaded as Config);
  const core = createExporterCore(config, deps);
  const env = deps.env ?? process.env;
  const tokenSecret = config.exporter.events_token;
  // Without a token of its own, the local token of `traderadmin up` guards the events API.
  const localToken = 'file' in loaded && 'sha256' in loaded ? readLocalToken(loaded, env) : undefined;
  const addr = deps.listen ? listenAddress(deps.listen) : parseListen(config.exporter.listen);
  if (!addr) throw new Error(`exporter.listen "${config.exporter.listen}" is not HOST:PORT`);
  const app = createApp(
    {
      registry: core.registry,
      metrics: core.metrics,
      ready: core.ready,
      snapshot: core.snapshot,
      ingest: (body) => core.ingest.ingest(body),
      eventsToken: () => (tokenSecret ? tokenSecret.reveal(env) : localToken),
      maxEventBodyBytes: config.exporter.max_event_body_bytes,
      logger: core.logger,
    },
    { listenHost: addr.host },
  );
  const { server, url } = await listen(app, addr.host, addr.port);

  let gateway: IbGateway | undefined;
  if (deps.connect !== false) {
    gateway = new IbGateway({
      host: config.broker.host,
      port: config.broker.port,
      clientId: config.broker.client_id,
      accounts: config.broker.accounts,
      probeIntervalMs: config.broker.probe_interval_seconds * 1000,
      probeTimeoutMs: config.broker.probe_timeout_seconds * 1000,
      reconnectMinMs: config.broker.reconnect_min_seconds * 1000,
      reconnectMaxMs: config.broker.reconnect_max_seconds * 1000,
      timeZone: config.trading.timezone,
      dayStart: () => core.ledger.day().start,
      clock: core.clock,
      logger: core.logger,
      sink: core.sink,
      random: deps.random,
    });
    gateway.start();
  }
  let closed: Promise<void> | undefined;
  return {
    url,
    registry: core.registry,
    ledger: core.ledger,
    sink: core.sink,
    ready: core.ready,
    snapshot: core.snapshot,
    metrics: core.metrics,
    close() {
      closed ??= (async () => {
        gateway?.stop();
        await closeServer(server);
      })();
      return closed;
    },
  };
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeIdleConnections();
    // Scrapers keep connections alive; do not wait for them.
    setTimeout(() => server.closeAllConnections(), 2000).unref();
  });
}
