/**
 * The control API: what tests and demos do to the emulator (inject fills, rejects,
 * errors and faults). The same methods back the HTTP API (http.ts).
 */
import type { Side } from '../sim/account.js';
import { InputError, type Simulation } from '../sim/engine.js';
import type { GatewayServer, GatewayStatus } from '../server/gateway.js';

/** An injected fill. */
export interface FillRequest {
  /** @default the first account */
  account?: string;
  symbol: string;
  side: Side;
  quantity: number;
  price: number;
  /** Submit-to-fill latency; when given, the fill arrives that much later and is reported to the events API. */
  latencyMs?: number;
  /** Submit-to-ack latency. @default min(latencyMs, 10) */
  ackLatencyMs?: number;
}

export interface FillResult {
  orderId: number;
  permId: number;
  execId: string;
  account: string;
  symbol: string;
  side: Side;
  quantity: number;
  price: number;
  commission: number;
  /** Net of commission; null for an opening fill. */
  realizedPnl: number | null;
  time: string;
}

export interface RejectRequest {
  account?: string;
  symbol: string;
  side: Side;
  quantity: number;
  price?: number;
  /** @default "insufficient buying power (emulator)" */
  reason?: string;
}

export interface ErrorRequest {
  code: number;
  message: string;
  /** @default -1 (an info message to every client) */
  reqId?: number;
}

export interface PositionState {
  symbol: string;
  quantity: number;
  avgCost: number;
  marketPrice: number;
  marketValue: number;
  unrealizedPnl: number;
  realizedPnlToday: number;
}

export interface AccountState {
  account: string;
  currency: string;
  cash: number;
  netLiquidation: number;
  buyingPower: number;
  availableFunds: number;
  realizedPnlToday: number;
  unrealizedPnl: number;
  dailyPnl: number;
  dayStartEquity: number;
  commissionsToday: number;
  positions: PositionState[];
  executionsToday: number;
}

/** GET /control/state */
export interface EmulatorState {
  /** Emulated time (ISO 8601, UTC). */
  time: string;
  tradingDay: string;
  serverVersion: number;
  gateway: GatewayStatus;
  clients: Array<{ session: number; clientId: number | undefined; serverVersion: number; phase: string }>;
  prices: Record<string, number>;
  accounts: AccountState[];
  executions: { total: number; today: number };
  openOrders: number;
}

const SIDES = ['BUY', 'SELL'] as const;

function record(body: unknown, what: string): Record<string, unknown> {
  if (body === undefined || body === null) return {};
  if (typeof body !== 'object' || Array.isArray(body)) throw new InputError(`${what}: expected a JSON object`);
  return body as Record<string, unknown>;
}

function num(
  o: Record<string, unknown>,
  key: string,
  opts: { required?: boolean; min?: number; integer?: boolean; positive?: boolean } = {},
): number | undefined {
  const v = o[key];
  if (v === undefined || v === null) {
    if (opts.required) throw new InputError(`"${key}" is required`);
    return undefined;
  }
  if (typeof v !== 'number' || !Number.isFinite(v)) throw new InputError(`"${key}" must be a number, got ${JSON.stringify(v)}`);
  if (opts.integer && !Number.isInteger(v)) throw new InputError(`"${key}" must be an integer, got ${v}`);
  if (opts.positive && !(v > 0)) throw new InputError(`"${key}" must be > 0, got ${v}`);
  if (opts.min !== undefined && v < opts.min) throw new InputError(`"${key}" must be >= ${opts.min}, got ${v}`);
  return v;
}

function str(o: Record<string, unknown>, key: string, required = false): string | undefined {
  const v = o[key];
  if (v === undefined || v === null) {
    if (required) throw new InputError(`"${key}" is required`);
    return undefined;
  }
  if (typeof v !== 'string' || v.trim() === '') throw new InputError(`"${key}" must be a non-empty string, got ${JSON.stringify(v)}`);
  return v;
}

function side(o: Record<string, unknown>): Side {
  const v = str(o, 'side', true)!.toUpperCase();
  if (!(SIDES as readonly string[]).includes(v)) throw new InputError(`"side" must be "BUY" or "SELL", got ${JSON.stringify(o.side)}`);
  return v as Side;
}

export interface ControlDeps {
  sim: Simulation;
  server: GatewayServer;
  serverVersion: number;
  /** Schedules restart's reopening (the emulator's clock). */
  later(ms: number): Promise<void>;
}

/** Control actions of a running emulator; every method validates its input (InputError). */
export class EmulatorControl {
  constructor(private readonly deps: ControlDeps) {}

  /** Injects a fill of the emulator's own: live EXECUTION_DATA (reqId -1) + COMMISSION_REPORT to every client. */
  async fill(request: FillRequest): Promise<FillResult> {
    const o = record(request, 'fill');
    const sim = this.deps.sim;
    const account = str(o, 'account') ?? sim.accounts[0].id;
    const latencyMs = num(o, 'latencyMs', { min: 0 });
    const ackLatencyMs = num(o, 'ackLatencyMs', { min: 0 }) ?? Math.min(latencyMs ?? 0, 10);
    if (latencyMs !== undefined && ackLatencyMs > latencyMs) throw new InputError('"ackLatencyMs" must not exceed "latencyMs"');
    const sd = side(o);
    const x = await sim.submit({
      account,
      symbol: str(o, 'symbol', true)!,
      side: sd,
      quantity: num(o, 'quantity', { required: true, positive: true })!,
      price: num(o, 'price', { required: true, positive: true })!,
      ackLatencyMs: latencyMs === undefined ? 0 : ackLatencyMs,
      fillLatencyMs: latencyMs ?? 0,
      orderRef: 'emu-control',
      source: 'control',
      reportLatency: latencyMs !== undefined,
    });
    return {
      orderId: x.fields.orderId,
      permId: x.fields.permId,
      execId: x.fields.execId,
      account: x.fields.account,
      symbol: x.symbol,
      side: sd,
      quantity: x.fields.shares,
      price: x.fields.price,
      commission: x.commission,
      realizedPnl: x.realizedPnl ?? null,
      time: x.fields.time,
    };
  }

  /** An order the venue rejects: OPEN_ORDER/ORDER_STATUS "Inactive" and error 201 to every client. */
  reject(request: RejectRequest): { orderId: number; code: number; message: string } {
    const o = record(request, 'reject');
    const sim = this.deps.sim;
    const symbol = str(o, 'symbol', true)!;
    const price = num(o, 'price', { positive: true }) ?? sim.market.get(symbol)?.last ?? 1;
    const reason = str(o, 'reason') ?? 'insufficient buying power (emulator)';
    const order = sim.reject(
      {
        account: str(o, 'account') ?? sim.accounts[0].id,
        symbol,
        side: side(o),
        quantity: num(o, 'quantity', { required: true, positive: true })!,
        price,
        orderRef: 'emu-control',
        source: 'control',
      },
      reason,
    );
    return { orderId: order.orderId, code: 201, message: `Order rejected - reason:${reason}` };
  }

  /** Sends ERR_MSG {reqId, code, message} to every client; reqId -1 (default) arrives as info. */
  error(request: ErrorRequest): { clients: number } {
    const o = record(request, 'error');
    const code = num(o, 'code', { required: true, integer: true })!;
    const message = str(o, 'message', true)!;
    const reqId = num(o, 'reqId', { integer: true }) ?? -1;
    return { clients: this.deps.server.broadcastError(code, message, reqId) };
  }

  /** Error 1100 to every client; market and account data stop until connectivityRestored. */
  connectivityLost(): void {
    this.deps.server.connectivityLost();
  }

  /** 1101 (data lost: every subscription is forgotten) or 1102 (data maintained). */
  connectivityRestored(dataLost: boolean): void {
    if (typeof dataLost !== 'boolean') throw new InputError(`"dataLost" must be true or false, got ${JSON.stringify(dataLost)}`);
    this.deps.server.connectivityRestored(dataLost);
  }

  /** Closes every client socket. */
  dropConnections(): { dropped: number } {
    return { dropped: this.deps.server.dropConnections() };
  }

  /** Sockets stay open but nothing is answered or sent (a hung gateway). */
  hang(): void {
    this.deps.server.hang();
  }

  /** Resumes, answering what arrived meanwhile. */
  unhang(): void {
    this.deps.server.unhang();
  }

  /** Stops listening: new connections fail with ECONNREFUSED; open ones stay. */
  async refuseConnections(): Promise<void> {
    await this.deps.server.refuseConnections();
  }

  async acceptConnections(): Promise<void> {
    await this.deps.server.acceptConnections();
  }

  /** Drops every client and, for downMs, refuses new ones; accounts, positions and executions survive. */
  async restart(options: { downMs?: number } = {}): Promise<{ dropped: number }> {
    const o = record(options, 'restart');
    const downMs = num(o, 'downMs', { min: 0 }) ?? 0;
    if (downMs > 600_000) throw new InputError(`"downMs" must be <= 600000, got ${downMs}`);
    const server = this.deps.server;
    if (downMs > 0) await server.refuseConnections();
    const dropped = server.dropConnections();
    if (server.status().hung) server.unhang();
    if (downMs > 0) {
      await this.deps.later(downMs);
      await server.acceptConnections();
    }
    return { dropped };
  }

  /** Jumps to the next trading day: daily P&L and realized P&L today restart at 0. */
  nextTradingDay(): { tradingDay: string } {
    return { tradingDay: this.deps.sim.nextTradingDay() };
  }

  /** Sets a symbol's price (for gains, losses and drawdowns on demand). */
  price(request: { symbol: string; price: number }): { symbol: string; price: number } {
    const o = record(request, 'price');
    const symbol = str(o, 'symbol', true)!;
    const price = num(o, 'price', { required: true, positive: true })!;
    this.deps.sim.setPrice(symbol, price);
    return { symbol: symbol.toUpperCase(), price: this.deps.sim.market.require(symbol).last };
  }

  /** A snapshot of everything: accounts, positions, cash, executions, connections. */
  state(): EmulatorState {
    const { sim, server } = this.deps;
    const today = sim.executionsToday();
    return {
      time: new Date(sim.now()).toISOString(),
      tradingDay: sim.today(),
      serverVersion: this.deps.serverVersion,
      gateway: server.status(),
      clients: server.clients(),
      prices: Object.fromEntries(sim.market.all().map((i) => [i.contract.symbol, i.last])),
      accounts: sim.accounts.map((a) => {
        const v = a.valuation(sim.market);
        return {
          account: a.id,
          currency: a.currency,
          cash: v.totalCashValue,
          netLiquidation: v.netLiquidation,
          buyingPower: v.buyingPower,
          availableFunds: v.availableFunds,
          realizedPnlToday: v.realizedPnlToday,
          unrealizedPnl: v.unrealizedPnl,
          dailyPnl: v.dailyPnl,
          dayStartEquity: v.dayStartEquity,
          commissionsToday: v.commissionsToday,
          positions: a.positions().map((h) => {
            const last = sim.market.require(h.symbol).last;
            return {
              symbol: h.symbol,
              quantity: h.quantity,
              avgCost: h.avgCost,
              marketPrice: last,
              marketValue: Math.round(h.quantity * last * 100) / 100,
              unrealizedPnl: a.unrealizedOf(h, sim.market),
              realizedPnlToday: h.realizedToday,
            };
          }),
          executionsToday: today.filter((x) => x.fields.account === a.id).length,
        };
      }),
      executions: { total: sim.executionCount(), today: today.length },
      openOrders: sim.openOrders().length,
    };
  }
}
