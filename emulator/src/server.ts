/**
 * The gateway side: a TCP server speaking the TWS API v100+ socket protocol, one Session
 * per client (handshake, startApi, subscriptions), fed by the simulation's events.
 * Protocol reference: shared/reference/tws-protocol.md (verified against @stoqey/ib 1.6.10).
 */
import net from 'node:net';
import * as enc from './protocol/encode.js';
import { encodeFrame, FrameReader, parseVersionRange, ProtocolError, type Field } from './protocol/framing.js';
import { ClientMsg as C, MAX_SERVER_VERSION, MIN_SERVER_VERSION } from './protocol/messages.js';
import type { Logger } from './logger.js';
import type { Account } from './sim/account.js';
import type { ExecutionRecord, SimEvent, SimOrder, Simulation } from './sim/engine.js';
import { connectionTimeText, hhmmText, parseFilterTime } from './sim/time.js';

/** TWS error/info codes the emulator sends. */
export const Codes = {
  ORDER_REJECTED: 201,
  NO_SECURITY_DEFINITION: 200,
  CLIENT_ID_IN_USE: 326,
  INVALID_REQUEST: 321,
  ORDER_NOT_FOUND: 10147,
  CONNECTIVITY_LOST: 1100,
  RESTORED_DATA_LOST: 1101,
  RESTORED_DATA_MAINTAINED: 1102,
  MARKET_DATA_FARM_BROKEN: 2103,
  MARKET_DATA_FARM_OK: 2104,
  HMDS_FARM_OK: 2106,
  SEC_DEF_FARM_OK: 2158,
} as const;

const ORDER_REJECT_TEXT = 'the IB Gateway emulator accepts orders only from its built-in strategy and control API';

type Phase = 'hello' | 'version-sent' | 'ready';

interface MktDataSub {
  symbol: string;
}

/** One connected API client. */
export class Session {
  phase: Phase = 'hello';
  serverVersion = 0;
  clientId: number | undefined;
  readonly reader = new FrameReader();
  /** Bytes received while the gateway hangs: processed on unhang, like a gateway that wakes up. */
  readonly heldInput: Buffer[] = [];
  readonly accountUpdates = new Set<string>();
  positions = false;
  readonly summaries = new Map<number, string[]>();
  readonly pnl = new Map<number, string>();
  readonly pnlSingle = new Map<number, { account: string; conId: number }>();
  readonly marketData = new Map<number, MktDataSub>();
  marketDataType = 1;
  nextOrderId = 1;

  constructor(
    readonly id: number,
    readonly socket: net.Socket,
  ) {}

  get label(): string {
    return `session ${this.id}${this.clientId === undefined ? '' : ` (client ${this.clientId})`}`;
  }

  clearSubscriptions(): void {
    this.accountUpdates.clear();
    this.positions = false;
    this.summaries.clear();
    this.pnl.clear();
    this.pnlSingle.clear();
    this.marketData.clear();
  }
}

export interface GatewayOptions {
  host: string;
  port: number;
  serverVersion: number;
  sim: Simulation;
  logger: Logger;
}

/** Summary tags the emulator answers (a subset of TWS AccountSummaryTags). */
const SUMMARY_TAGS: Record<string, (v: ReturnType<Account['valuation']>) => number> = {
  NetLiquidation: (v) => v.netLiquidation,
  TotalCashValue: (v) => v.totalCashValue,
  SettledCash: (v) => v.totalCashValue,
  BuyingPower: (v) => v.buyingPower,
  EquityWithLoanValue: (v) => v.equityWithLoanValue,
  GrossPositionValue: (v) => v.grossPositionValue,
  InitMarginReq: (v) => v.initMarginReq,
  MaintMarginReq: (v) => v.maintMarginReq,
  FullInitMarginReq: (v) => v.initMarginReq,
  FullMaintMarginReq: (v) => v.maintMarginReq,
  AvailableFunds: (v) => v.availableFunds,
  FullAvailableFunds: (v) => v.availableFunds,
  ExcessLiquidity: (v) => v.excessLiquidity,
  FullExcessLiquidity: (v) => v.excessLiquidity,
};

const money = (x: number) => x.toFixed(2);
/** Output buffered for one client beyond which it is considered gone. */
const MAX_BUFFERED_BYTES = 16 * 1024 * 1024;

export class GatewayServer {
  private server: net.Server | undefined;
  private readonly sessions = new Set<Session>();
  private sessionSeq = 0;
  private boundPort = 0;
  /** True between connectivityLost and connectivityRestored: no market or account data flows. */
  upstreamDown = false;
  hung = false;
  refusing = false;
  private readonly unsubscribe: () => void;

  constructor(private readonly options: GatewayOptions) {
    this.unsubscribe = options.sim.on((e) => this.onSimEvent(e));
  }

  get host(): string {
    return this.options.host;
  }

  get port(): number {
    return this.boundPort;
  }

  get connectionCount(): number {
    return this.sessions.size;
  }

  /** Ready sessions (handshake and startApi done). */
  clients(): Array<{ session: number; clientId: number | undefined; serverVersion: number; phase: Phase }> {
    return [...this.sessions].map((s) => ({ session: s.id, clientId: s.clientId, serverVersion: s.serverVersion, phase: s.phase }));
  }

  async listen(): Promise<void> {
    const server = net.createServer((socket) => this.onConnection(socket));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen({ host: this.options.host, port: this.boundPort || this.options.port }, () => {
        server.off('error', reject);
        resolve();
      });
    });
    server.on('error', (error) => this.options.logger.error('gateway listener error', { error: error.message }));
    this.server = server;
    this.boundPort = (server.address() as net.AddressInfo).port;
  }

  /** Stops accepting: new connections are refused by the OS (ECONNREFUSED); open ones stay. */
  async refuseConnections(): Promise<void> {
    this.refusing = true;
    const server = this.server;
    this.server = undefined;
    if (!server) return;
    // close()'s callback waits for open connections to end; the listening socket itself is
    // released at once, which is all that refusing needs.
    const closing = new Promise<void>((resolve) => server.close(() => resolve()));
    if (this.sessions.size === 0) await closing;
    else await new Promise<void>((resolve) => setImmediate(resolve));
  }

  /** Listens again on the same port. */
  async acceptConnections(): Promise<void> {
    this.refusing = false;
    if (!this.server) await this.listen();
  }

  /** Closes every client socket at once (the listener stays). */
  dropConnections(): number {
    const n = this.sessions.size;
    for (const s of this.sessions) s.socket.destroy();
    this.sessions.clear();
    return n;
  }

  /** Keeps sockets open but answers nothing and sends nothing until unhang. */
  hang(): void {
    this.hung = true;
  }

  unhang(): void {
    this.hung = false;
    for (const s of [...this.sessions]) {
      const held = s.heldInput.splice(0);
      for (const chunk of held) this.onData(s, chunk);
    }
  }

  /** Sends an error or info message to every ready client (reqId -1 = info). */
  broadcastError(code: number, message: string, reqId = -1): number {
    let n = 0;
    for (const s of this.readySessions()) {
      this.send(s, enc.errorMessage(s.serverVersion, reqId, code, message));
      n++;
    }
    return n;
  }

  connectivityLost(): void {
    this.upstreamDown = true;
    this.broadcastError(Codes.CONNECTIVITY_LOST, 'Connectivity between IB and Trader Workstation has been lost. (emulator)');
  }

  connectivityRestored(dataLost: boolean): void {
    this.upstreamDown = false;
    if (dataLost) {
      // "data lost": the gateway forgot every subscription; clients must request again.
      for (const s of this.sessions) s.clearSubscriptions();
      this.broadcastError(
        Codes.RESTORED_DATA_LOST,
        'Connectivity between IB and Trader Workstation has been restored - data lost. (emulator)',
      );
    } else {
      this.broadcastError(
        Codes.RESTORED_DATA_MAINTAINED,
        'Connectivity between IB and Trader Workstation has been restored - data maintained. (emulator)',
      );
    }
  }

  async close(): Promise<void> {
    this.unsubscribe();
    this.dropConnections();
    await this.refuseConnections();
  }

  // ---- connections and handshake ----

  private onConnection(socket: net.Socket): void {
    const session = new Session(++this.sessionSeq, socket);
    if (this.refusing) {
      socket.destroy();
      return;
    }
    socket.setNoDelay(true);
    this.sessions.add(session);
    this.options.logger.debug('client connected', { session: session.id, remote: `${socket.remoteAddress}:${socket.remotePort}` });
    socket.on('data', (chunk: Buffer) => {
      if (this.hung) session.heldInput.push(chunk);
      else this.onData(session, chunk);
    });
    socket.on('error', (error) => this.options.logger.debug('client socket error', { session: session.id, error: error.message }));
    socket.on('close', () => {
      this.sessions.delete(session);
      this.options.logger.debug('client disconnected', { session: session.id, clientId: session.clientId });
    });
  }

  private onData(session: Session, chunk: Buffer): void {
    if (session.socket.destroyed) return;
    let messages: string[][];
    try {
      messages = session.reader.push(chunk);
    } catch (error) {
      this.options.logger.warn('closing a client that does not speak the TWS API', {
        session: session.id,
        error: (error as Error).message,
      });
      session.socket.destroy();
      return;
    }
    for (const fields of messages) {
      try {
        this.onMessage(session, fields);
      } catch (error) {
        // A bad request must never bring the gateway down: log it and carry on.
        const msg = error instanceof ProtocolError ? 'protocol error' : 'request failed';
        this.options.logger.warn(msg, { session: session.id, message: fields[0], error: (error as Error).message });
        if (error instanceof ProtocolError) session.socket.destroy();
      }
      if (session.socket.destroyed) return;
    }
  }

  private onMessage(s: Session, f: string[]): void {
    if (s.phase === 'hello') {
      const range = parseVersionRange(f[0] ?? '');
      const version = Math.min(this.options.serverVersion, range.max, MAX_SERVER_VERSION);
      // Like the real gateway, refuse a range it cannot speak rather than answer below its minimum.
      if (version < range.min || version < MIN_SERVER_VERSION) {
        throw new ProtocolError(
          `client accepts server versions ${range.min}..${range.max}; the emulator speaks ${MIN_SERVER_VERSION}..${this.options.serverVersion}`,
        );
      }
      s.serverVersion = version;
      s.phase = 'version-sent';
      this.send(s, [version, connectionTimeText(this.options.sim.now(), this.options.sim.timeZone)]);
      return;
    }
    const id = Number(f[0]);
    if (s.phase === 'version-sent') {
      if (id !== C.START_API) {
        this.options.logger.debug('request before startApi ignored', { session: s.id, message: id });
        return;
      }
      this.startApi(s, Number(f[2]));
      return;
    }
    this.onRequest(s, id, f);
  }

  private startApi(s: Session, clientId: number): void {
    if (!Number.isInteger(clientId)) throw new ProtocolError(`bad client id ${clientId}`);
    if ([...this.sessions].some((o) => o !== s && o.phase === 'ready' && o.clientId === clientId)) {
      this.send(
        s,
        enc.errorMessage(
          s.serverVersion,
          -1,
          Codes.CLIENT_ID_IN_USE,
          'Unable to connect as the client id is already in use. Retry with a unique client id.',
        ),
      );
      this.options.logger.info('client id already in use: connection closed', { session: s.id, clientId });
      s.socket.end();
      return;
    }
    s.clientId = clientId;
    s.phase = 'ready';
    this.options.logger.info('client ready', { session: s.id, clientId, serverVersion: s.serverVersion });
    this.send(s, enc.managedAccounts(this.accountIds()));
    this.send(s, enc.nextValidId(s.nextOrderId));
    if (this.upstreamDown) {
      this.send(
        s,
        enc.errorMessage(s.serverVersion, -1, Codes.MARKET_DATA_FARM_BROKEN, 'Market data farm connection is broken:usfarm.emulator'),
      );
    } else {
      this.send(s, enc.errorMessage(s.serverVersion, -1, Codes.MARKET_DATA_FARM_OK, 'Market data farm connection is OK:usfarm.emulator'));
    }
    this.send(s, enc.errorMessage(s.serverVersion, -1, Codes.HMDS_FARM_OK, 'HMDS data farm connection is OK:ushmds.emulator'));
    this.send(s, enc.errorMessage(s.serverVersion, -1, Codes.SEC_DEF_FARM_OK, 'Sec-def data farm connection is OK:secdefnj.emulator'));
  }

  // ---- requests ----

  private onRequest(s: Session, id: number, f: string[]): void {
    const sim = this.options.sim;
    switch (id) {
      case C.REQ_CURRENT_TIME:
        this.send(s, enc.currentTime(sim.now() / 1000));
        return;
      case C.REQ_IDS:
        this.send(s, enc.nextValidId(s.nextOrderId));
        return;
      case C.REQ_MANAGED_ACCTS:
        this.send(s, enc.managedAccounts(this.accountIds()));
        return;
      case C.SET_SERVER_LOGLEVEL:
        return;
      case C.REQ_MARKET_DATA_TYPE:
        s.marketDataType = Number(f[2]) || 1;
        return;
      case C.REQ_ACCOUNT_DATA: {
        const subscribe = f[2] === '1' || f[2] === 'true';
        const account = f[3] ?? '';
        if (!subscribe) {
          if (account) s.accountUpdates.delete(account);
          else s.accountUpdates.clear();
          return;
        }
        // An empty code means the (first) account, as for a single-account login.
        const acct = account || this.accountIds()[0];
        if (!this.accountIds().includes(acct)) {
          this.send(
            s,
            enc.errorMessage(
              s.serverVersion,
              -1,
              Codes.INVALID_REQUEST,
              `Invalid account code ${acct} (emulator manages ${this.accountIds().join(', ')})`,
            ),
          );
          return;
        }
        s.accountUpdates.add(acct);
        if (!this.upstreamDown) this.pushAccountUpdates(s, sim.account(acct), true);
        return;
      }
      case C.REQ_POSITIONS:
        s.positions = true;
        for (const a of sim.accounts)
          for (const h of a.positions()) this.send(s, enc.position(a.id, sim.market.require(h.symbol).contract, h.quantity, h.avgCost));
        this.send(s, enc.positionEnd());
        return;
      case C.CANCEL_POSITIONS:
        s.positions = false;
        return;
      case C.REQ_ACCOUNT_SUMMARY: {
        const reqId = Number(f[2]);
        const tags = (f[4] ?? '')
          .split(',')
          .map((t) => t.trim())
          .filter(Boolean);
        s.summaries.set(reqId, tags);
        this.pushSummary(s, reqId, tags);
        this.send(s, enc.accountSummaryEnd(reqId));
        return;
      }
      case C.CANCEL_ACCOUNT_SUMMARY:
        s.summaries.delete(Number(f[2]));
        return;
      case C.REQ_PNL: {
        const reqId = Number(f[1]);
        const account = f[2] ?? '';
        if (!this.accountIds().includes(account)) {
          this.send(s, enc.errorMessage(s.serverVersion, reqId, Codes.INVALID_REQUEST, `Invalid account code ${JSON.stringify(account)}`));
          return;
        }
        s.pnl.set(reqId, account);
        if (!this.upstreamDown) this.pushPnl(s, reqId, account);
        return;
      }
      case C.CANCEL_PNL:
        s.pnl.delete(Number(f[1]));
        return;
      case C.REQ_PNL_SINGLE: {
        const reqId = Number(f[1]);
        const account = f[2] ?? '';
        const conId = Number(f[4]);
        if (!this.accountIds().includes(account)) {
          this.send(s, enc.errorMessage(s.serverVersion, reqId, Codes.INVALID_REQUEST, `Invalid account code ${JSON.stringify(account)}`));
          return;
        }
        if (!sim.market.byConId(conId)) {
          this.send(
            s,
            enc.errorMessage(s.serverVersion, reqId, Codes.NO_SECURITY_DEFINITION, 'No security definition has been found for the request'),
          );
          return;
        }
        s.pnlSingle.set(reqId, { account, conId });
        if (!this.upstreamDown) this.pushPnlSingle(s, reqId, account, conId);
        return;
      }
      case C.CANCEL_PNL_SINGLE:
        s.pnlSingle.delete(Number(f[1]));
        return;
      case C.REQ_EXECUTIONS:
        this.answerExecutions(s, f);
        return;
      case C.REQ_OPEN_ORDERS:
      case C.REQ_ALL_OPEN_ORDERS: {
        // Clients cannot place orders here, so a client's "own" orders are only the emulator's for client 0.
        const orders = id === C.REQ_ALL_OPEN_ORDERS || s.clientId === 0 ? sim.openOrders() : [];
        for (const o of orders) this.sendOrder(s, o);
        this.send(s, enc.openOrderEnd());
        return;
      }
      case C.REQ_AUTO_OPEN_ORDERS:
        return;
      case C.PLACE_ORDER: {
        const orderId = Number(f[1]);
        this.send(s, enc.errorMessage(s.serverVersion, orderId, Codes.ORDER_REJECTED, `Order rejected - reason:${ORDER_REJECT_TEXT}`));
        this.options.logger.info('placeOrder from a client rejected', { session: s.id, clientId: s.clientId, orderId });
        return;
      }
      case C.CANCEL_ORDER: {
        const orderId = Number(f[2]);
        this.send(
          s,
          enc.errorMessage(s.serverVersion, orderId, Codes.ORDER_NOT_FOUND, `OrderId ${orderId} that needs to be cancelled is not found.`),
        );
        return;
      }
      case C.REQ_MKT_DATA:
        this.startMarketData(s, f);
        return;
      case C.CANCEL_MKT_DATA:
        s.marketData.delete(Number(f[2]));
        return;
      default:
        this.options.logger.debug('unsupported request ignored', { session: s.id, message: id, fields: f.length });
    }
  }

  private answerExecutions(s: Session, f: string[]): void {
    // 7, 3, reqId, clientId, acctCode, time, symbol, secType, exchange, side
    const reqId = Number(f[2]);
    const clientId = Number(f[3] || 0);
    const [acct = '', time = '', symbol = '', secType = '', exchange = '', side = ''] = f.slice(4, 10);
    let since: number | undefined;
    try {
      since = parseFilterTime(time, this.options.sim.timeZone);
    } catch (error) {
      this.send(
        s,
        enc.errorMessage(s.serverVersion, reqId, Codes.INVALID_REQUEST, `Error validating request: ${(error as Error).message}`),
      );
      return;
    }
    const wantSide = side.toUpperCase() === 'BUY' ? 'BOT' : side.toUpperCase() === 'SELL' ? 'SLD' : side.toUpperCase();
    const matches = this.options.sim
      .executionsToday()
      .filter(
        (e) =>
          (!clientId || e.fields.clientId === clientId) &&
          (!acct || e.fields.account === acct) &&
          (since === undefined || e.timeMs >= since) &&
          (!symbol || e.symbol === symbol.toUpperCase()) &&
          (!secType || e.contract.secType === secType.toUpperCase()) &&
          (!exchange || e.fields.exchange === exchange.toUpperCase() || exchange.toUpperCase() === 'SMART') &&
          (!wantSide || e.fields.side === wantSide),
      );
    for (const e of matches) this.sendExecution(s, reqId, e);
    this.send(s, enc.executionDataEnd(reqId));
  }

  private startMarketData(s: Session, f: string[]): void {
    // 1, 11, reqId, conId, symbol, secType, lastTradeDate, strike, right, multiplier, exchange,
    // primaryExch, currency, localSymbol, tradingClass, [combo legs], deltaNeutral, genericTicks, snapshot, ...
    const reqId = Number(f[2]);
    const conId = Number(f[3] || 0);
    const market = this.options.sim.market;
    const inst = (conId && market.byConId(conId)) || market.get(f[4] ?? '');
    if (!inst || (f[5] && f[5] !== 'STK')) {
      this.send(
        s,
        enc.errorMessage(s.serverVersion, reqId, Codes.NO_SECURITY_DEFINITION, 'No security definition has been found for the request'),
      );
      return;
    }
    let i = 15;
    if (f[5] === 'BAG') i = 16 + 4 * Number(f[15] || 0);
    i += f[i] === '1' ? 4 : 1;
    const snapshot = f[i + 1] === '1';
    this.send(s, enc.marketDataType(reqId, s.marketDataType));
    if (!this.upstreamDown) this.sendQuote(s, reqId, inst.contract.symbol, true);
    if (snapshot) this.send(s, enc.tickSnapshotEnd(reqId));
    else s.marketData.set(reqId, { symbol: inst.contract.symbol });
  }

  // ---- pushes ----

  private onSimEvent(e: SimEvent): void {
    switch (e.type) {
      case 'tick':
        if (this.upstreamDown) return;
        for (const s of this.readySessions()) {
          for (const [reqId, sub] of s.marketData) this.sendQuote(s, reqId, sub.symbol, false);
          for (const acct of s.accountUpdates) this.pushAccountUpdates(s, this.options.sim.account(acct), false);
          for (const [reqId, tags] of s.summaries) this.pushSummary(s, reqId, tags);
          this.pushAllPnl(s);
        }
        return;
      case 'order':
        for (const s of this.readySessions()) this.sendOrder(s, e.order);
        return;
      case 'execution':
        this.onExecution(e.order, e.execution);
        return;
      case 'reject':
        for (const s of this.readySessions()) {
          this.sendOrder(s, e.order);
          this.send(s, enc.errorMessage(s.serverVersion, e.order.orderId, e.code, e.message));
        }
        return;
      case 'latency':
        return;
      case 'day':
        for (const s of this.readySessions()) {
          for (const acct of s.accountUpdates) this.pushAccountUpdates(s, this.options.sim.account(acct), false);
          this.pushAllPnl(s);
        }
        return;
      default: {
        const never: never = e;
        throw new Error(`unhandled simulation event ${JSON.stringify(never)}`);
      }
    }
  }

  private onExecution(order: SimOrder, x: ExecutionRecord): void {
    const sim = this.options.sim;
    const account = sim.account(order.account);
    const holding = account.holding(order.symbol);
    for (const s of this.readySessions()) {
      // Live fill: execution (reqId -1), order state, then the commission report, as TWS does.
      this.sendExecution(s, -1, x, false);
      this.sendOrder(s, order);
      this.send(s, enc.commissionReport(x.fields.execId, x.commission, x.currency, x.realizedPnl));
      if (this.upstreamDown) continue;
      if (s.positions && holding) this.send(s, enc.position(account.id, x.contract, holding.quantity, holding.avgCost));
      if (s.accountUpdates.has(account.id)) this.pushAccountUpdates(s, account, false, order.symbol);
      for (const [reqId, tags] of s.summaries) this.pushSummary(s, reqId, tags);
      this.pushAllPnl(s);
    }
  }

  private sendExecution(s: Session, reqId: number, x: ExecutionRecord, withCommission = true): void {
    this.send(s, enc.executionData(s.serverVersion, reqId, x.contract, x.fields));
    if (withCommission) this.send(s, enc.commissionReport(x.fields.execId, x.commission, x.currency, x.realizedPnl));
  }

  private sendOrder(s: Session, o: SimOrder): void {
    this.send(s, enc.openOrder(s.serverVersion, o.contract, o));
    this.send(s, enc.orderStatus(s.serverVersion, o));
  }

  private sendQuote(s: Session, reqId: number, symbol: string, initial: boolean): void {
    const inst = this.options.sim.market.require(symbol);
    const T = enc.TickType;
    this.send(s, enc.tickPrice(reqId, T.BID, inst.bid, 100));
    this.send(s, enc.tickPrice(reqId, T.ASK, inst.ask, 100));
    this.send(s, enc.tickPrice(reqId, T.LAST, inst.last, 100));
    if (initial) this.send(s, enc.tickPrice(reqId, T.CLOSE, inst.close, 0));
    this.send(s, enc.tickSize(reqId, T.VOLUME, inst.volume / 100)); // TWS sends volume in round lots
  }

  /** ACCT_VALUE rows (and PORTFOLIO_VALUE, ACCT_UPDATE_TIME); the first download ends with ACCT_DOWNLOAD_END. */
  private pushAccountUpdates(s: Session, a: Account, initial: boolean, onlySymbol?: string): void {
    const sim = this.options.sim;
    const v = a.valuation(sim.market);
    const cur = a.currency;
    const rows: Array<[string, string, string]> = [
      ['AccountCode', a.id, ''],
      ['AccountType', 'INDIVIDUAL', ''],
      ['AccountReady', 'true', ''],
      ['Currency', cur, cur],
      ['NetLiquidation', money(v.netLiquidation), cur],
      ['TotalCashValue', money(v.totalCashValue), cur],
      ['SettledCash', money(v.totalCashValue), cur],
      ['BuyingPower', money(v.buyingPower), cur],
      ['AvailableFunds', money(v.availableFunds), cur],
      ['ExcessLiquidity', money(v.excessLiquidity), cur],
      ['EquityWithLoanValue', money(v.equityWithLoanValue), cur],
      ['GrossPositionValue', money(v.grossPositionValue), cur],
      ['InitMarginReq', money(v.initMarginReq), cur],
      ['MaintMarginReq', money(v.maintMarginReq), cur],
      ['StockMarketValue', money(v.netLiquidation - v.totalCashValue), cur],
    ];
    // Ledger keys come per currency and once more as BASE, as TWS sends them.
    for (const c of [cur, 'BASE']) {
      rows.push(
        ['CashBalance', money(v.totalCashValue), c],
        ['TotalCashBalance', money(v.totalCashValue), c],
        ['NetLiquidationByCurrency', money(v.netLiquidation), c],
        ['RealizedPnL', money(v.realizedPnlToday), c],
        ['UnrealizedPnL', money(v.unrealizedPnl), c],
      );
    }
    for (const [key, value, currency] of rows) this.send(s, enc.accountValue(key, value, currency, a.id));
    for (const h of a.books()) {
      if (onlySymbol && h.symbol !== onlySymbol) continue;
      if (h.quantity === 0 && !onlySymbol) continue;
      const inst = sim.market.require(h.symbol);
      this.send(
        s,
        enc.portfolioValue({
          contract: inst.contract,
          position: h.quantity,
          marketPrice: inst.last,
          marketValue: Math.round(h.quantity * inst.last * 100) / 100,
          averageCost: h.avgCost,
          unrealizedPnl: a.unrealizedOf(h, sim.market),
          realizedPnl: h.realizedToday,
          account: a.id,
        }),
      );
    }
    this.send(s, enc.accountUpdateTime(hhmmText(sim.now(), sim.timeZone)));
    if (initial) this.send(s, enc.accountDownloadEnd(a.id));
  }

  private pushSummary(s: Session, reqId: number, tags: string[]): void {
    const sim = this.options.sim;
    for (const a of sim.accounts) {
      const v = a.valuation(sim.market);
      for (const tag of tags) {
        if (tag === 'AccountType') this.send(s, enc.accountSummary(reqId, a.id, tag, 'INDIVIDUAL', ''));
        else if (tag.startsWith('$LEDGER')) {
          const scope = tag.split(':')[1] ?? 'BASE';
          const currencies = scope === 'ALL' ? [a.currency, 'BASE'] : [scope === 'BASE' ? 'BASE' : scope];
          for (const c of currencies) {
            if (c !== 'BASE' && c !== a.currency) continue;
            for (const [k, val] of [
              ['CashBalance', v.totalCashValue],
              ['TotalCashBalance', v.totalCashValue],
              ['NetLiquidationByCurrency', v.netLiquidation],
              ['RealizedPnL', v.realizedPnlToday],
              ['UnrealizedPnL', v.unrealizedPnl],
            ] as const)
              this.send(s, enc.accountSummary(reqId, a.id, k, money(val), c));
          }
        } else {
          const get = SUMMARY_TAGS[tag];
          if (get) this.send(s, enc.accountSummary(reqId, a.id, tag, money(get(v)), a.currency));
        }
      }
    }
  }

  private pushAllPnl(s: Session): void {
    for (const [reqId, account] of s.pnl) this.pushPnl(s, reqId, account);
    for (const [reqId, sub] of s.pnlSingle) this.pushPnlSingle(s, reqId, sub.account, sub.conId);
  }

  private pushPnl(s: Session, reqId: number, account: string): void {
    const v = this.options.sim.account(account).valuation(this.options.sim.market);
    this.send(s, enc.pnl(s.serverVersion, reqId, v.dailyPnl, v.unrealizedPnl, v.realizedPnlToday));
  }

  private pushPnlSingle(s: Session, reqId: number, account: string, conId: number): void {
    const sim = this.options.sim;
    const inst = sim.market.byConId(conId);
    if (!inst) return;
    const a = sim.account(account);
    const h = a.holding(inst.contract.symbol);
    if (!h) {
      this.send(s, enc.pnlSingle(s.serverVersion, reqId, 0, 0, 0, 0, 0));
      return;
    }
    const value = Math.round(h.quantity * inst.last * 100) / 100;
    this.send(
      s,
      enc.pnlSingle(s.serverVersion, reqId, h.quantity, a.dailyOf(h, sim.market), a.unrealizedOf(h, sim.market), h.realizedToday, value),
    );
  }

  // ---- plumbing ----

  private accountIds(): string[] {
    return this.options.sim.accounts.map((a) => a.id);
  }

  private readySessions(): Session[] {
    return [...this.sessions].filter((s) => s.phase === 'ready' && !s.socket.destroyed);
  }

  private send(s: Session, fields: Field[]): void {
    if (this.hung || s.socket.destroyed || !s.socket.writable) return;
    if (s.socket.writableLength > MAX_BUFFERED_BYTES) {
      // A client that stopped reading would make the gateway buffer without bound.
      this.options.logger.warn('client is not reading: connection closed', {
        session: s.id,
        clientId: s.clientId,
        buffered: s.socket.writableLength,
      });
      s.socket.destroy();
      return;
    }
    s.socket.write(encodeFrame(fields));
  }
}
