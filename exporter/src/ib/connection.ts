/**
 * The gateway session: IBApiNext with a fixed client id, our own reconnect (exponential
 * backoff with jitter), our own probe (the library's watchdog cannot see a hung gateway),
 * the TWS messages with request id -1 captured from the library's logger, and a fresh set
 * of subscriptions plus an execution reconciliation after every login. Read-only: it never
 * places, modifies or cancels orders.
 *
 * It emits domain events to a `GatewaySink`; it knows nothing about metrics.
 *
 * One cohesive thing, kept in one file (about 500 lines): a single state machine. The session
 * counter, the socket/login/probe flags and the subscription registry are read by nearly every
 * method, and a session's subscriptions are dropped and rebuilt with it; the parts without that
 * state already live beside it (fills.ts, errors.ts, the kit's backoff).
 */
import { ConnectionState, EventName, IBApi, IBApiNext, LogLevel, type Contract, type Execution, type CommissionReport } from '@stoqey/ib';
import type { Subscription } from 'rxjs';
import type { Fill, PositionUpdate } from '../accounting/ledger.js';
import { backoffDelay, type BackoffOptions, type Logger } from '@traderadmin/kit';
import { fillFrom, ibFilterTime, positionFrom } from './fills.js';
import { parseTwsInfoLine } from './errors.js';

/** What the gateway session tells the rest of the exporter. */
export interface GatewaySink {
  /** An IB message code (an error with a request id, or a request-id -1 notice). */
  ibMessage(code: number, message: string, reqId: number | undefined): void;
  /** connected = socket up, logged in (nextValidId seen) and the last probe answered. */
  status(s: GatewayStatus): void;
  reconnected(): void;
  rtt(seconds: number): void;
  accountValue(account: string, tag: string, value: number, currency: string): void;
  /** IB's daily P&L of an account (reqPnL), when the gateway sends it. */
  dailyPnl(account: string, dailyPnl: number): void;
  /** A full position snapshot of these accounts (after (re)subscribing). */
  positionsSnapshot(accounts: string[], positions: PositionUpdate[]): void;
  position(update: PositionUpdate): void;
  /** Fills in time order. `live` false: a rebuild of today at start-up (counters stay). */
  fills(fills: Fill[], live: boolean): void;
  /** Before the first rebuild: today's fills and the positions, to seed the ledger. */
  seed(positions: PositionUpdate[], todaysFills: Fill[]): void;
  commission(execId: string, commission: number): void;
  /** Account or market data arrived. */
  dataSync(): void;
}

export interface GatewayStatus {
  socket: boolean;
  loggedIn: boolean;
  answering: boolean;
  dataFlowing: boolean;
  /** Why it is not fully up (empty when it is). */
  reason: string;
}

export interface GatewayOptions {
  host: string;
  port: number;
  clientId: number;
  /** Accounts to export; empty = every account the gateway manages. */
  accounts: readonly string[];
  probeIntervalMs: number;
  probeTimeoutMs: number;
  reconnectMinMs: number;
  reconnectMaxMs: number;
  /** Time zone of execution times without one (the TWS login zone). */
  timeZone: string;
  /** Start of the current trading day, epoch ms: executions from then on are "today". */
  dayStart: () => number;
  clock: { now(): number };
  logger: Logger;
  sink: GatewaySink;
  /** @default Math.random */
  random?: () => number;
}

/** `ConnectionStatus.Connecting` of @stoqey/ib's socket (src/core/io/socket.ts). */
const SOCKET_CONNECTING = 2;
/** IB code 1101: connectivity restored, data lost: every subscription must be made again. */
const DATA_LOST = 1101;

function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${what} unanswered after ${ms} ms`)), ms);
    p.then(
      (v) => {
        clearTimeout(timer);
        resolve(v);
      },
      (e) => {
        clearTimeout(timer);
        reject(e);
      },
    );
  });
}

export class IbGateway {
  private ib: IBApiNext | undefined;
  private raw: IBApi | undefined;
  private stopped = true;
  private socket = false;
  private loggedIn = false;
  private answering = false;
  private dataFlowing = false;
  private everLoggedIn = false;
  private lostAfterLogin = false;
  private connectFailCounted = false;
  private seeded = false;
  private buffered: Fill[] = [];
  private attempt = 0;
  private session = 0;
  private reconnectTimer: NodeJS.Timeout | undefined;
  private loginTimer: NodeJS.Timeout | undefined;
  private probeTimer: NodeJS.Timeout | undefined;
  private probing = false;
  private readonly named = new Map<string, Subscription>();
  private readonly factories = new Map<string, () => Subscription>();
  private readonly failures = new Map<string, number>();
  private readonly retryTimers = new Set<NodeJS.Timeout>();
  private stateSub: Subscription | undefined;
  private errorSub: Subscription | undefined;
  private lastReason = 'not started';
  /** The library's state starts Disconnected; only a transition to it means a loss. */
  private lastState: ConnectionState = ConnectionState.Disconnected;
  private readonly backoff: BackoffOptions;

  constructor(private readonly o: GatewayOptions) {
    this.backoff = { minMs: o.reconnectMinMs, maxMs: o.reconnectMaxMs, random: o.random };
  }

  /** Starts connecting; never throws for an unreachable gateway (it keeps retrying). */
  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    const sink = this.o.sink;
    const log = this.o.logger;
    const ib = new IBApiNext({
      host: this.o.host,
      port: this.o.port,
      // Reconnects are ours (backoff + jitter); the library's would retry at a fixed pace.
      reconnectInterval: 0,
      logger: {
        info: (tag, ...args) => {
          if (this.stopped) return;
          const parsed = parseTwsInfoLine(tag, args.length === 1 ? args[0] : args);
          if (parsed) {
            sink.ibMessage(parsed.code, parsed.message, -1);
            if (parsed.code === DATA_LOST) this.onDataLost();
          } else log.debug(`ib: ${args.map(String).join(' ')}`, { tag });
        },
        warn: (tag, ...args) => log.warn(`ib: ${args.map(String).join(' ')}`, { tag }),
        error: (tag, ...args) => log.warn(`ib: ${args.map(String).join(' ')}`, { tag }),
        debug: (tag, ...args) => log.debug(`ib: ${args.map(String).join(' ')}`, { tag }),
      },
    });
    // Request-id -1 messages (1100, 1102, 2104, 2110 ...) only reach the logger, and only at
    // INFO. Set the client-side filter only: `ib.logLevel = …` would also send message 14.
    ib.logger.logLevel = LogLevel.INFO;
    this.ib = ib;
    // The underlying IBApi: live executions (request id -1) and nextValidId have no
    // IBApiNext observable; the commission reports of reconciliations arrive here too.
    this.raw = (ib as unknown as { api: IBApi }).api;
    this.raw.on(EventName.nextValidId, () => this.onLogin());
    this.raw.on(EventName.execDetails, (reqId: number, contract: Contract, execution: Execution) => {
      if (reqId !== -1) return; // replies to our own reqExecutions come back through todaysFills()
      const fill = fillFrom(contract, execution, this.o.timeZone, this.o.clock.now());
      if (!fill || !this.wanted(fill.account)) return;
      if (this.seeded) sink.fills([fill], true);
      else this.buffered.push(fill);
    });
    this.raw.on(EventName.commissionReport, (report: CommissionReport) => {
      if (report.execId && typeof report.commission === 'number' && Number.isFinite(report.commission))
        sink.commission(report.execId, report.commission);
    });
    this.errorSub = ib.error.subscribe((e) => {
      const reqId = e.reqId;
      // Connection refused while the gateway is down: one count per outage, not one per retry.
      if (e.code === 502) {
        if (this.connectFailCounted) return;
        this.connectFailCounted = true;
      }
      sink.ibMessage(e.code, e.error?.message ?? String(e.error), reqId);
    });
    this.stateSub = ib.connectionState.subscribe((state) => this.onState(state));
    this.probeTimer = setInterval(() => void this.probe(), this.o.probeIntervalMs);
    this.connect();
  }

  private wanted(account: string): boolean {
    return this.o.accounts.length === 0 || this.o.accounts.includes(account);
  }

  private connect(): void {
    if (this.stopped || !this.ib) return;
    this.reconnectTimer = undefined;
    this.o.logger.info('connecting to the gateway', { host: this.o.host, port: this.o.port, clientId: this.o.clientId });
    this.ib.connect(this.o.clientId);
    // A gateway that accepts the socket but never completes the handshake or sends
    // nextValidId stays "Connecting"/"Connected" forever: give it a deadline.
    clearTimeout(this.loginTimer);
    this.loginTimer = setTimeout(() => {
      if (!this.loggedIn) this.forceReconnect(`no login (nextValidId) within ${this.o.probeTimeoutMs} ms`);
    }, this.o.probeTimeoutMs);
  }

  private onState(state: ConnectionState): void {
    if (this.stopped || state === this.lastState) return;
    this.lastState = state;
    const socket = state === ConnectionState.Connected;
    this.socket = socket;
    if (state === ConnectionState.Disconnected) {
      const wasUp = this.loggedIn;
      this.loggedIn = false;
      this.answering = false;
      this.dataFlowing = false;
      this.session++;
      if (wasUp) {
        this.lostAfterLogin = true;
        this.attempt = 0;
      }
      this.publish(wasUp ? 'connection lost' : this.lastReason || 'disconnected');
      this.scheduleReconnect();
    } else {
      this.publish(socket ? 'waiting for login (nextValidId)' : 'connecting');
    }
  }

  private scheduleReconnect(): void {
    if (this.stopped || this.reconnectTimer) return;
    clearTimeout(this.loginTimer);
    const delay = backoffDelay(++this.attempt, this.backoff);
    this.o.logger.info('reconnecting to the gateway', { inMs: delay, attempt: this.attempt });
    this.reconnectTimer = setTimeout(() => this.connect(), delay);
  }

  /** Drops the session (also a half-open or hung one) and lets the reconnect loop take over. */
  private forceReconnect(reason: string): void {
    if (this.stopped || !this.ib || !this.raw) return;
    this.o.logger.warn('dropping the gateway session', { reason });
    this.lastReason = reason;
    this.answering = false;
    this.publish(reason);
    this.ib.disconnect();
    // IBApiNext only closes a socket that finished its handshake; close a half-open one too.
    if (this.socketStatus() >= SOCKET_CONNECTING) IBApi.prototype.disconnect.call(this.raw);
    // The Disconnected transition (if there was one) schedules the reconnect; make sure.
    this.socket = false;
    this.loggedIn = false;
    this.scheduleReconnect();
  }

  /** The library socket's status (0 disconnected … 3 connected); its connect() refuses unless 0. */
  private socketStatus(): number {
    return (this.raw as unknown as { controller?: { socket?: { status?: number } } })?.controller?.socket?.status ?? 0;
  }

  private onLogin(): void {
    if (this.stopped || this.loggedIn) return;
    this.loggedIn = true;
    this.connectFailCounted = false;
    clearTimeout(this.loginTimer);
    const session = ++this.session;
    const again = this.everLoggedIn;
    this.everLoggedIn = true;
    this.o.logger.info(again ? 'gateway session re-established' : 'gateway session established');
    if (again && this.lostAfterLogin) this.o.sink.reconnected();
    this.lostAfterLogin = false;
    this.publish('waiting for the first probe answer');
    void this.probe();
    void this.setupSession(session).catch((error: Error) => {
      if (session !== this.session) return;
      this.o.logger.warn('gateway session setup failed; retrying with a new session', { error: error.message });
      this.forceReconnect(`session setup failed: ${error.message}`);
    });
  }

  /**
   * 1101: the gateway is back on IB's servers but dropped every subscription (IB: "data lost",
   * requests must be made again). Without this, prices and account values freeze until the
   * next reconnect. A new session makes them fresh and fetches the fills missed meanwhile.
   */
  private onDataLost(): void {
    if (this.stopped || !this.loggedIn) return;
    this.o.logger.info('gateway reports data lost (1101): subscribing again');
    const session = ++this.session;
    void this.setupSession(session).catch((error: Error) => {
      if (session !== this.session) return;
      this.o.logger.warn('gateway session setup failed; retrying with a new session', { error: error.message });
      this.forceReconnect(`session setup failed: ${error.message}`);
    });
  }

  /** Fresh subscriptions and the fills missed while away. */
  private async setupSession(session: number): Promise<void> {
    const ib = this.ib!;
    const sink = this.o.sink;
    const timeout = Math.max(this.o.probeTimeoutMs, 5000);
    this.unwatchAll();
    const accounts =
      this.o.accounts.length > 0 ? [...this.o.accounts] : await withTimeout(ib.getManagedAccounts(), timeout, 'managed accounts');
    if (session !== this.session) return;

    let resolveSnapshot: (p: PositionUpdate[]) => void = () => {};
    const snapshot = new Promise<PositionUpdate[]>((r) => (resolveSnapshot = r));
    this.watch('positions', session, () => {
      let gotSnapshot = false;
      return ib.getPositions().subscribe({
        next: (u) => {
          if (!gotSnapshot) {
            // The first emission (after POSITION_END) carries only `all`.
            gotSnapshot = true;
            const list: PositionUpdate[] = [];
            for (const [account, ps] of u.all) if (this.wanted(account)) for (const p of ps) list.push(positionFrom(p));
            sink.positionsSnapshot(accounts, list);
            resolveSnapshot(list);
            this.markData();
            return;
          }
          // Later: only the deltas; `all` is corrupted after a close (splice without count).
          for (const map of [u.added, u.changed]) for (const [, ps] of map ?? []) for (const p of ps) this.position(positionFrom(p));
          for (const [, ps] of u.removed ?? []) for (const p of ps) this.position({ ...positionFrom(p), quantity: 0 });
          this.markData();
        },
        error: (e: Error) => this.watchFailed('positions', e, session),
      });
    });
    for (const account of accounts) {
      const name = `account updates of ${account}`;
      this.watch(name, session, () =>
        ib.getAccountUpdates(account).subscribe({
          next: (u) => {
            for (const delta of [u.added, u.changed]) {
              for (const [acct, tags] of delta?.value ?? []) {
                if (!this.wanted(acct)) continue;
                for (const [tag, byCurrency] of tags)
                  for (const [currency, v] of byCurrency) {
                    const n = Number(v.value);
                    if (v.value !== '' && Number.isFinite(n)) sink.accountValue(acct, tag, n, currency);
                  }
              }
              for (const [, ps] of delta?.portfolio ?? []) for (const p of ps) this.position(positionFrom(p));
            }
            for (const [, ps] of u.removed?.portfolio ?? []) for (const p of ps) this.position({ ...positionFrom(p), quantity: 0 });
            this.markData();
          },
          error: (e: Error) => this.watchFailed(name, e, session),
        }),
      );
    }

    for (const account of accounts) {
      const name = `daily P&L of ${account}`;
      this.watch(name, session, () =>
        ib.getPnL(account).subscribe({
          next: (p) => {
            // IB sends Double.MAX_VALUE for "not known yet".
            const daily = p.dailyPnL;
            if (this.wanted(account) && daily !== undefined && Number.isFinite(daily) && Math.abs(daily) < 1e300)
              sink.dailyPnl(account, daily);
          },
          error: (e: Error) => this.watchFailed(name, e, session),
        }),
      );
    }

    const filter = { time: ibFilterTime(this.o.dayStart()) };
    if (!this.seeded) {
      // First session of this process: rebuild today from the day's executions.
      const positions = await withTimeout(snapshot, timeout, 'positions snapshot');
      if (session !== this.session) return;
      const fills = await this.todaysFills(filter, timeout);
      if (session !== this.session) return;
      sink.seed(positions, fills);
      sink.fills(fills, false);
      this.seeded = true;
      const live = this.buffered.sort((a, b) => a.time - b.time);
      this.buffered = [];
      if (live.length > 0) sink.fills(live, true);
      this.o.logger.info("rebuilt today's statistics from the gateway's executions", { fills: fills.length });
      this.markData();
    } else {
      // Reconnected: whatever filled while we were away (known execIds are skipped).
      const fills = await this.todaysFills(filter, timeout);
      if (session !== this.session) return;
      sink.fills(fills, true);
    }
  }

  private async todaysFills(filter: { time: string }, timeout: number): Promise<Fill[]> {
    // One reqExecutions at a time: IBApiNext feeds every execution to every pending request.
    const details = await withTimeout(this.ib!.getExecutionDetails(filter), timeout, 'executions');
    const since = this.o.dayStart();
    const now = this.o.clock.now();
    const out: Fill[] = [];
    for (const d of details) {
      const f = fillFrom(d.contract, d.execution, this.o.timeZone, now);
      if (f && this.wanted(f.account) && f.time >= since) out.push(f);
    }
    return out.sort((a, b) => a.time - b.time);
  }

  private position(u: PositionUpdate): void {
    if (this.wanted(u.account)) this.o.sink.position(u);
  }

  /** Keeps a subscription alive for this session: the factory runs again after an error. */
  private watch(name: string, session: number, factory: () => Subscription): void {
    if (session !== this.session || this.stopped) return;
    this.factories.set(name, factory);
    this.named.get(name)?.unsubscribe();
    this.named.set(name, factory());
  }

  /**
   * A TWS error with our request id errors the observable and cancels the request
   * (IBApiNext). Resubscribe that one (a new request id) after a backoff; a bad account
   * must not tear down the whole session in a loop.
   */
  private watchFailed(name: string, e: Error | { error?: Error; code?: number }, session: number): void {
    if (session !== this.session || this.stopped) return;
    const message = e instanceof Error ? e.message : (e.error?.message ?? String(e.code));
    const failures = (this.failures.get(name) ?? 0) + 1;
    this.failures.set(name, failures);
    // One doubling more than a reconnect: the session is up, only this subscription failed.
    const delay = backoffDelay(failures + 1, this.backoff);
    this.o.logger.warn(`subscription to ${name} failed; resubscribing`, { error: message, inMs: delay });
    const timer = setTimeout(() => {
      this.retryTimers.delete(timer);
      const factory = this.factories.get(name);
      if (factory) this.watch(name, session, factory);
    }, delay);
    this.retryTimers.add(timer);
  }

  private markData(): void {
    this.o.sink.dataSync();
    // Ready once today's statistics are rebuilt too: until then a scrape shows a day without trades.
    if (!this.dataFlowing && this.seeded) {
      this.dataFlowing = true;
      this.publish('');
    }
  }

  private async probe(): Promise<void> {
    if (this.stopped || !this.ib || !this.socket || this.probing) return;
    this.probing = true;
    const session = this.session;
    const started = performance.now();
    try {
      await withTimeout(this.ib.getCurrentTime(), this.o.probeTimeoutMs, 'probe (reqCurrentTime)');
      if (session !== this.session) return;
      this.o.sink.rtt((performance.now() - started) / 1000);
      this.attempt = 0;
      if (!this.answering) {
        this.answering = true;
        this.publish('');
      }
    } catch (error) {
      if (session === this.session) this.forceReconnect((error as Error).message);
    } finally {
      this.probing = false;
    }
  }

  private publish(reason: string): void {
    const s: GatewayStatus = {
      socket: this.socket,
      loggedIn: this.loggedIn,
      answering: this.answering,
      dataFlowing: this.dataFlowing,
      reason: '',
    };
    if (!s.socket) s.reason = `not connected to ${this.o.host}:${this.o.port}${reason ? ` (${reason})` : ''}`;
    else if (!s.loggedIn) s.reason = 'connected, waiting for login (nextValidId)';
    else if (!s.answering) s.reason = reason || 'logged in, waiting for the first probe answer';
    else if (!s.dataFlowing)
      s.reason = this.seeded ? 'logged in, no account data received yet' : "logged in, rebuilding today's statistics from the gateway";
    if (s.socket && s.loggedIn && s.answering) this.lastReason = '';
    this.o.sink.status(s);
  }

  private unwatchAll(): void {
    for (const t of this.retryTimers) clearTimeout(t);
    this.retryTimers.clear();
    for (const sub of this.named.values()) sub.unsubscribe();
    this.named.clear();
    this.factories.clear();
    this.failures.clear();
  }

  /** Disconnects and stops every timer; the gateway sees a clean close. */
  stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    clearTimeout(this.reconnectTimer);
    clearTimeout(this.loginTimer);
    clearInterval(this.probeTimer);
    this.unwatchAll();
    this.stateSub?.unsubscribe();
    this.errorSub?.unsubscribe();
    this.ib?.disconnect();
    if (this.raw && this.socketStatus() >= SOCKET_CONNECTING) IBApi.prototype.disconnect.call(this.raw);
    this.raw?.removeAllListeners();
    this.socket = this.loggedIn = this.answering = false;
  }
}
