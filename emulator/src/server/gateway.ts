/**
 * The gateway side: a TCP server speaking the TWS API v100+ socket protocol, one Session per
 * client (handshake, startApi, then the request table), fed by the simulation's events.
 * This file only wires the parts: tcp.ts (sockets), handshake.ts, requests/ (one file per
 * group of requests), replies/ and pushes.ts (what is sent), faults.ts (what the control API breaks).
 * Protocol reference: shared/reference/tws-protocol.md (verified against @stoqey/ib 1.6.10).
 */
import type net from 'node:net';
import type { Field } from '../protocol/framing.js';
import { ClientMsg as C } from '../protocol/messages.js';
import type { Logger } from '@traderadmin/kit';
import type { Simulation } from '../sim/engine.js';
import type { GatewayContext } from './context.js';
import { Faults } from './faults.js';
import { hello, startApi } from './handshake.js';
import { onSimEvent } from './pushes.js';
import { handleRequest } from './requests/index.js';
import { Session, type Phase } from './session.js';
import { readFrames, TcpListener, writeFrame } from './tcp.js';

export interface GatewayOptions {
  host: string;
  port: number;
  serverVersion: number;
  sim: Simulation;
  logger: Logger;
}

/** The gateway as the control API's state shows it. */
export interface GatewayStatus {
  host: string;
  port: number;
  connections: number;
  hung: boolean;
  refusing: boolean;
  upstreamConnected: boolean;
}

export class GatewayServer implements GatewayContext {
  readonly sessions = new Set<Session>();
  readonly sim: Simulation;
  readonly logger: Logger;
  private sessionSeq = 0;
  private readonly listener: TcpListener;
  private readonly faults: Faults;
  private readonly unsubscribe: () => void;

  constructor(private readonly options: GatewayOptions) {
    this.sim = options.sim;
    this.logger = options.logger;
    this.listener = new TcpListener(options.host, options.port, options.logger, (socket) => this.onConnection(socket));
    this.faults = new Faults(this, (s, chunk) => this.onData(s, chunk));
    this.unsubscribe = options.sim.on((e) => onSimEvent(this, e));
  }

  get host(): string {
    return this.listener.host;
  }

  get port(): number {
    return this.listener.port;
  }

  /** True between connectivityLost and connectivityRestored: no market or account data flows. */
  get upstreamDown(): boolean {
    return this.faults.upstreamDown;
  }

  status(): GatewayStatus {
    const { hung, upstreamDown } = this.faults;
    return {
      host: this.host,
      port: this.port,
      connections: this.sessions.size,
      hung,
      refusing: this.listener.refusing,
      upstreamConnected: !upstreamDown,
    };
  }

  /** Every session and where it is in the handshake. */
  clients(): Array<{ session: number; clientId: number | undefined; serverVersion: number; phase: Phase }> {
    return [...this.sessions].map((s) => ({ session: s.id, clientId: s.clientId, serverVersion: s.serverVersion, phase: s.phase }));
  }

  listen(): Promise<void> {
    return this.listener.listen();
  }

  /** Stops accepting: new connections are refused by the OS (ECONNREFUSED); open ones stay. */
  refuseConnections(): Promise<void> {
    return this.listener.refuse(this.sessions.size);
  }

  /** Listens again on the same port. */
  acceptConnections(): Promise<void> {
    return this.listener.accept();
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
    this.faults.hung = true;
  }

  unhang(): void {
    this.faults.unhang();
  }

  /** Sends an error or info message to every ready client (reqId -1 = info). */
  broadcastError(code: number, message: string, reqId = -1): number {
    return this.faults.broadcastError(code, message, reqId);
  }

  connectivityLost(): void {
    this.faults.connectivityLost();
  }

  connectivityRestored(dataLost: boolean): void {
    this.faults.connectivityRestored(dataLost);
  }

  async close(): Promise<void> {
    this.unsubscribe();
    this.dropConnections();
    await this.refuseConnections();
  }

  readySessions(): Session[] {
    return [...this.sessions].filter((s) => s.phase === 'ready' && !s.socket.destroyed);
  }

  send(s: Session, fields: Field[]): void {
    if (this.faults.hung) return;
    writeFrame(s, fields, this.logger);
  }

  private onConnection(socket: net.Socket): void {
    const session = new Session(++this.sessionSeq, socket);
    if (this.listener.refusing) {
      socket.destroy();
      return;
    }
    socket.setNoDelay(true);
    this.sessions.add(session);
    this.logger.debug('client connected', { session: session.id, remote: `${socket.remoteAddress}:${socket.remotePort}` });
    socket.on('data', (chunk: Buffer) => {
      if (this.faults.hung) session.heldInput.push(chunk);
      else this.onData(session, chunk);
    });
    socket.on('error', (error) => this.logger.debug('client socket error', { session: session.id, error: error.message }));
    socket.on('close', () => {
      this.sessions.delete(session);
      this.logger.debug('client disconnected', { session: session.id, clientId: session.clientId });
    });
  }

  private onData(s: Session, chunk: Buffer): void {
    readFrames(s, chunk, this.logger, (session, fields) => this.onMessage(session, fields));
  }

  /** hello, then startApi (anything else before it is ignored), then the request table. */
  private onMessage(s: Session, f: string[]): void {
    if (s.phase === 'hello') return hello(this, s, f[0] ?? '', this.options.serverVersion);
    const id = Number(f[0]);
    if (s.phase === 'ready') return handleRequest(this, s, id, f);
    if (id === C.START_API) return startApi(this, s, Number(f[2]));
    this.logger.debug('request before startApi ignored', { session: s.id, message: id });
  }
}
