/**
 * A loopback HTTP server that a test can make fail, slow down, answer 429 or go away
 * entirely (stop listening) and come back on the same port.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/** How the peer answers next. `fail` answers with that status (and Retry-After); `delayMs` holds every answer. */
export interface PeerBehavior {
  fail?: { status: number; retryAfter?: string; body?: string; contentType?: string; times?: number };
  delayMs?: number;
}

/** One request as the peer saw it. */
export interface SeenRequest {
  method: string;
  path: string;
  headers: Record<string, string | string[] | undefined>;
  body: string;
  /** Status the peer answered. */
  status: number;
  at: number;
}

export interface HttpPeer {
  readonly url: string;
  readonly port: number;
  /** Every request, in arrival order (accepted or not). */
  readonly requests: SeenRequest[];
  behave(b: PeerBehavior): void;
  /** Stops listening (connections are refused) until up(). */
  down(): Promise<void>;
  up(): Promise<void>;
  stop(): Promise<void>;
}

export type PeerHandler = (req: IncomingMessage, body: string) => { status: number; body?: string; headers?: Record<string, string> };

/** Starts an HTTP peer whose normal answers come from `handler`. */
export async function startHttpPeer(handler: PeerHandler, options: { port?: number } = {}): Promise<HttpPeer> {
  let behavior: PeerBehavior = {};
  const requests: SeenRequest[] = [];
  const sockets = new Set<Socket>();
  const onRequest = (req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      let status: number;
      let out = '';
      let headers: Record<string, string> = {};
      const fail = behavior.fail;
      if (fail && (fail.times === undefined || fail.times > 0)) {
        if (fail.times !== undefined) fail.times--;
        status = fail.status;
        out = fail.body ?? '';
        if (fail.contentType) headers['content-type'] = fail.contentType;
        if (fail.retryAfter !== undefined) headers['retry-after'] = fail.retryAfter;
      } else {
        const r = handler(req, body);
        status = r.status;
        out = r.body ?? '';
        headers = r.headers ?? {};
      }
      requests.push({ method: req.method ?? '', path: req.url ?? '', headers: req.headers, body, status, at: Date.now() });
      const send = () => {
        if (res.destroyed) return;
        res.writeHead(status, headers);
        res.end(out);
      };
      if (behavior.delayMs) setTimeout(send, behavior.delayMs);
      else send();
    });
  };
  let server: Server = createServer(onRequest);
  const listen = (port: number) =>
    new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => resolve());
    });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await listen(options.port ?? 0);
  const port = (server.address() as AddressInfo).port;
  const close = () =>
    new Promise<void>((resolve) => {
      for (const s of sockets) s.destroy();
      server.close(() => resolve());
    });
  let isUp = true;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    requests,
    behave: (b) => (behavior = b),
    async down() {
      if (!isUp) return;
      isUp = false;
      await close();
    },
    async up() {
      if (isUp) return;
      server = createServer(onRequest);
      server.on('connection', (s) => {
        sockets.add(s);
        s.on('close', () => sockets.delete(s));
      });
      await listen(port);
      isUp = true;
    },
    async stop() {
      if (isUp) await close();
      isUp = false;
    },
  };
}
