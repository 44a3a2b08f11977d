/**
 * The socket side: the listening socket (which can refuse and accept again on the same port),
 * bytes to frames on the way in and frames to bytes, with a bound on buffering, on the way out.
 */
import net from 'node:net';
import { encodeFrame, ProtocolError, type Field } from '../protocol/framing.js';
import type { Logger } from '@traderadmin/kit';
import type { Session } from './session.js';

/** Output buffered for one client beyond which it is considered gone. */
const MAX_BUFFERED_BYTES = 16 * 1024 * 1024;

export class TcpListener {
  private server: net.Server | undefined;
  private boundPort = 0;
  refusing = false;

  constructor(
    readonly host: string,
    private readonly port0: number,
    private readonly logger: Logger,
    private readonly onConnection: (socket: net.Socket) => void,
  ) {}

  get port(): number {
    return this.boundPort;
  }

  async listen(): Promise<void> {
    const server = net.createServer(this.onConnection);
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen({ host: this.host, port: this.boundPort || this.port0 }, () => {
        server.off('error', reject);
        resolve();
      });
    });
    server.on('error', (error) => this.logger.error('gateway listener error', { error: error.message }));
    this.server = server;
    this.boundPort = (server.address() as net.AddressInfo).port;
  }

  /** Stops accepting: new connections are refused by the OS (ECONNREFUSED); open ones stay. */
  async refuse(openConnections: number): Promise<void> {
    this.refusing = true;
    const server = this.server;
    this.server = undefined;
    if (!server) return;
    // close()'s callback waits for open connections to end; the listening socket itself is
    // released at once, which is all that refusing needs.
    const closing = new Promise<void>((resolve) => server.close(() => resolve()));
    if (openConnections === 0) await closing;
    else await new Promise<void>((resolve) => setImmediate(resolve));
  }

  /** Listens again on the same port. */
  async accept(): Promise<void> {
    this.refusing = false;
    if (!this.server) await this.listen();
  }
}

/** Splits a chunk into messages and hands each on; a bad request never brings the gateway down. */
export function readFrames(s: Session, chunk: Buffer, logger: Logger, onMessage: (s: Session, fields: string[]) => void): void {
  if (s.socket.destroyed) return;
  let messages: string[][];
  try {
    messages = s.reader.push(chunk);
  } catch (error) {
    logger.warn('closing a client that does not speak the TWS API', {
      session: s.id,
      error: (error as Error).message,
    });
    s.socket.destroy();
    return;
  }
  for (const fields of messages) {
    try {
      onMessage(s, fields);
    } catch (error) {
      // A bad request must never bring the gateway down: log it and carry on.
      const msg = error instanceof ProtocolError ? 'protocol error' : 'request failed';
      logger.warn(msg, { session: s.id, message: fields[0], error: (error as Error).message });
      if (error instanceof ProtocolError) s.socket.destroy();
    }
    if (s.socket.destroyed) return;
  }
}

/** Writes one frame, or closes a client that stopped reading rather than buffer without bound. */
export function writeFrame(s: Session, fields: Field[], logger: Logger): void {
  if (s.socket.destroyed || !s.socket.writable) return;
  if (s.socket.writableLength > MAX_BUFFERED_BYTES) {
    logger.warn('client is not reading: connection closed', {
      session: s.id,
      clientId: s.clientId,
      buffered: s.socket.writableLength,
    });
    s.socket.destroy();
    return;
  }
  s.socket.write(encodeFrame(fields));
}
