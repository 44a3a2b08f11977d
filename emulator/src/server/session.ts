/** One connected API client: where it is in the handshake and what it subscribed to. */
import type net from 'node:net';
import { FrameReader } from '../protocol/framing.js';

export type Phase = 'hello' | 'version-sent' | 'ready';

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
