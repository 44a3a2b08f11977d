/**
 * @traderadmin/emulator: an IB Gateway emulator. A TCP server speaking the TWS API socket
 * protocol well enough for the real @stoqey/ib client, backed by a seeded simulated paper
 * account, with a control API for tests and demos. It is a test peer, never a venue.
 */
import { EmulatorControl } from './control/control.js';
import { startControlServer as startHttp, type ControlServer } from './control/http.js';
import { EventsPoster } from './events.js';
import { MAX_SERVER_VERSION, MIN_SERVER_VERSION } from './protocol/messages.js';
import { GatewayServer } from './server/gateway.js';
import { checkTimeZone, silentLogger, systemClock, type Logger, type TimerClock, type TimerHandle } from '@traderadmin/kit';
import { InputError, Simulation } from './sim/engine.js';

// The kit's clock and logger, for callers that drive an emulator with a manual clock or a silent logger.
export type { Clock, Logger, TimerClock, TimerHandle } from '@traderadmin/kit';
export { ManualClock, silentLogger, systemClock } from '@traderadmin/kit';
export { EmulatorControl } from './control/control.js';
export type {
  AccountState,
  EmulatorState,
  ErrorRequest,
  FillRequest,
  FillResult,
  PositionState,
  RejectRequest,
} from './control/control.js';
export { CONTROL_ACTIONS, type ControlServer } from './control/http.js';
export { InputError, EMULATOR_CLIENT_ID } from './sim/engine.js';
export { DEFAULT_UNIVERSE } from './sim/market.js';
export { Codes } from './server/errors.js';
export { MAX_SERVER_VERSION, MIN_SERVER_VERSION } from './protocol/messages.js';
export type { OrderLatencyEvent } from './events.js';

export interface EmulatorOptions {
  /** Where the gateway listens. @default "127.0.0.1" */
  host?: string;
  /** @default 0 (a free port) */
  port?: number;
  /** Simulated paper accounts. @default ["DU1234567"] */
  accounts?: string[];
  /** @default 42 */
  seed?: number;
  /** TWS API server version to speak, 135..193. @default 193 */
  serverVersion?: number;
  /** Cash each account starts with. @default 100000 */
  startingCash?: number;
  /** How often prices move and subscribers get updates. @default 1000 */
  tickIntervalMs?: number;
  /** Mean seconds between orders of the built-in strategy; 0 disables it. @default 20 */
  tradeIntervalSeconds?: number;
  /** The exporter's events API, e.g. http://127.0.0.1:9464/api/v1/events: order_latency events go there. */
  eventsUrl?: string;
  /** Bearer token for eventsUrl; never logged. */
  eventsToken?: string;
  clock?: TimerClock;
  logger?: Logger;
  /** Time zone of the trading day and of the times the gateway sends. @default "America/New_York" */
  timeZone?: string;
  /** Standard deviation of one tick's log return. @default 0.0008 */
  volatility?: number;
  /**
   * Open positions each account holds at start (10 shares each, from before today), in the
   * built-in symbols then generated ones (SIM0007…): load tests. @default 0
   */
  positions?: number;
  /** Injected fetch for the events API (tests). */
  fetch?: typeof fetch;
}

/** A running emulator. */
export interface Emulator {
  host: string;
  port: number;
  control: EmulatorControl;
  /** Starts the HTTP control API (POST /control/<action>, GET /control/state). */
  startControlServer(listen: { host: string; port: number }): Promise<ControlServer>;
  /** Stops everything: ticks, clients, listeners and control servers. */
  close(): Promise<void>;
}

const ACCOUNT_ID = /^[A-Za-z0-9]+$/;
/** Most seeded positions per account (emulator.positions). */
export const MAX_POSITIONS = 10_000;

function defaults(
  o: EmulatorOptions,
): Required<Omit<EmulatorOptions, 'eventsUrl' | 'eventsToken' | 'fetch'>> & Pick<EmulatorOptions, 'eventsUrl' | 'eventsToken' | 'fetch'> {
  const r = {
    host: o.host ?? '127.0.0.1',
    port: o.port ?? 0,
    accounts: o.accounts ?? ['DU1234567'],
    seed: o.seed ?? 42,
    serverVersion: o.serverVersion ?? MAX_SERVER_VERSION,
    startingCash: o.startingCash ?? 100_000,
    tickIntervalMs: o.tickIntervalMs ?? 1000,
    tradeIntervalSeconds: o.tradeIntervalSeconds ?? 20,
    clock: o.clock ?? systemClock,
    logger: o.logger ?? silentLogger,
    timeZone: o.timeZone ?? 'America/New_York',
    volatility: o.volatility ?? 0.0008,
    positions: o.positions ?? 0,
    eventsUrl: o.eventsUrl,
    eventsToken: o.eventsToken,
    fetch: o.fetch,
  };
  const bad = (m: string) => new InputError(`invalid emulator options: ${m}`);
  if (!Number.isInteger(r.port) || r.port < 0 || r.port > 65535) throw bad(`port must be 0..65535, got ${r.port}`);
  if (r.accounts.length === 0) throw bad('at least one account is required');
  for (const a of r.accounts) if (!ACCOUNT_ID.test(a)) throw bad(`account ${JSON.stringify(a)} must be letters and digits`);
  if (new Set(r.accounts).size !== r.accounts.length) throw bad('accounts must be unique');
  if (!Number.isInteger(r.seed)) throw bad(`seed must be an integer, got ${r.seed}`);
  if (!Number.isInteger(r.serverVersion) || r.serverVersion < MIN_SERVER_VERSION || r.serverVersion > MAX_SERVER_VERSION)
    throw bad(`serverVersion must be ${MIN_SERVER_VERSION}..${MAX_SERVER_VERSION}, got ${r.serverVersion}`);
  if (!(r.startingCash > 0)) throw bad(`startingCash must be > 0, got ${r.startingCash}`);
  if (!Number.isInteger(r.tickIntervalMs) || r.tickIntervalMs < 10)
    throw bad(`tickIntervalMs must be an integer >= 10, got ${r.tickIntervalMs}`);
  if (!(r.tradeIntervalSeconds >= 0)) throw bad(`tradeIntervalSeconds must be >= 0, got ${r.tradeIntervalSeconds}`);
  if (!(r.volatility >= 0 && r.volatility < 0.2)) throw bad(`volatility must be in [0, 0.2), got ${r.volatility}`);
  if (!Number.isInteger(r.positions) || r.positions < 0 || r.positions > MAX_POSITIONS)
    throw bad(`positions must be an integer 0..${MAX_POSITIONS}, got ${r.positions}`);
  try {
    checkTimeZone(r.timeZone);
  } catch (error) {
    throw bad((error as Error).message);
  }
  return r;
}

/** Starts the gateway emulator; resolves once it listens. */
export async function startEmulator(options: EmulatorOptions = {}): Promise<Emulator> {
  const o = defaults(options);
  const { clock, logger } = o;
  const sim = new Simulation({
    accounts: o.accounts,
    seed: o.seed,
    startingCash: o.startingCash,
    tickIntervalMs: o.tickIntervalMs,
    tradeIntervalSeconds: o.tradeIntervalSeconds,
    timeZone: o.timeZone,
    clock,
    volatility: o.volatility,
    positions: o.positions,
  });
  const poster = o.eventsUrl ? new EventsPoster({ url: o.eventsUrl, token: o.eventsToken, logger, fetch: o.fetch }) : undefined;
  if (poster) {
    sim.on((e) => {
      if (e.type === 'latency' && e.report)
        poster.post({ type: 'order_latency', account: e.account, stage: e.stage, latency_ms: e.latencyMs });
    });
  }
  const server = new GatewayServer({ host: o.host, port: o.port, serverVersion: o.serverVersion, sim, logger });
  await server.listen();

  const waits = new Set<{ handle: TimerHandle; resolve: () => void }>();
  const later = (ms: number) =>
    new Promise<void>((resolve) => {
      const w = { handle: undefined as TimerHandle, resolve };
      w.handle = clock.setTimeout(() => {
        waits.delete(w);
        resolve();
      }, ms);
      waits.add(w);
    });
  const control = new EmulatorControl({ sim, server, serverVersion: o.serverVersion, later });

  let tickTimer: TimerHandle | undefined;
  let closed = false;
  const scheduleTick = () => {
    tickTimer = clock.setTimeout(() => {
      if (closed) return;
      try {
        sim.tick();
      } catch (error) {
        logger.error('simulation tick failed', { error: (error as Error).message });
      }
      scheduleTick();
    }, o.tickIntervalMs);
  };
  scheduleTick();

  const controlServers = new Set<ControlServer>();
  logger.info('IB Gateway emulator listening', {
    host: server.host,
    port: server.port,
    serverVersion: o.serverVersion,
    accounts: o.accounts,
  });
  return {
    host: server.host,
    port: server.port,
    control,
    async startControlServer(listen) {
      const cs = await startHttp(control, listen, logger);
      const wrapped: ControlServer = {
        url: cs.url,
        close: async () => {
          controlServers.delete(wrapped);
          await cs.close();
        },
      };
      controlServers.add(wrapped);
      return wrapped;
    },
    async close() {
      if (closed) return;
      closed = true;
      if (tickTimer !== undefined) clock.clearTimeout(tickTimer);
      for (const w of waits) {
        clock.clearTimeout(w.handle);
        w.resolve();
      }
      sim.close();
      await Promise.all([...controlServers].map((c) => c.close()));
      await server.close();
      await poster?.flush();
    },
  };
}
