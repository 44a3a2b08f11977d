/**
 * The one request guard every HTTP server of the stack puts first. Loopback is not a trust
 * boundary: any web page the trader opens can make the browser send requests to 127.0.0.1,
 * and a rebinding site can make its own name resolve there. What such a page can send
 * without a CORS preflight is refused here:
 *
 * - a `Host` that is not one of the server's own addresses (DNS rebinding), for reads too: 421;
 * - a state-changing request (anything but GET, HEAD, OPTIONS) whose `Origin` is another site
 *   (or `null`): 403;
 * - a POST, PUT or PATCH that is not `Content-Type: application/json` (an HTML form or a
 *   no-cors `fetch` can only send form or text bodies): 415. DELETE needs no body: a browser
 *   cannot send it cross-site without a preflight, which no server of the stack grants.
 *
 * It works on node's own request/response types, so express apps and plain `node:http`
 * servers use the same code. Answers are JSON: `{"error": "..."}`.
 */
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { hostname, networkInterfaces } from 'node:os';
import { isLoopbackHost } from '../formats.js';

export interface GuardOptions {
  /** The host the server listens on, as in its `listen` setting ("127.0.0.1", "0.0.0.0", "::", a name). */
  listenHost: string;
  /** Further names it answers to, for example the name a reverse proxy forwards as Host. */
  hosts?: readonly string[];
  /**
   * Paths that also take an HTML form body (`application/x-www-form-urlencoded`), such as a
   * login form; the Origin check still applies to them.
   */
  formPaths?: readonly string[];
}

/** Why a request was refused: the status and a message for the client. */
export interface Refusal {
  status: 403 | 415 | 421;
  error: string;
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
const BODY_METHODS = new Set(['POST', 'PUT', 'PATCH']);
const WILDCARDS = new Set(['0.0.0.0', '::', '[::]', '']);

/** "[::1]:9095" → "::1", "Example.com:80" → "example.com", "127.0.0.1" → "127.0.0.1". */
export function hostOf(header: string): string {
  const h = header.trim().toLowerCase();
  if (h.startsWith('[')) return h.slice(1, h.indexOf(']') > 0 ? h.indexOf(']') : undefined);
  const colon = h.lastIndexOf(':');
  return colon >= 0 && h.indexOf(':') === colon ? h.slice(0, colon) : h;
}

/**
 * The host names a server listening on `listenHost` answers to: loopback names always; the
 * listen host itself; for a wildcard listen, this machine's interface addresses and hostname.
 */
export function ownHosts(options: GuardOptions): Set<string> {
  const listen = hostOf(
    options.listenHost.includes(':') && !options.listenHost.startsWith('[') ? `[${options.listenHost}]` : options.listenHost,
  );
  const names = new Set<string>(['localhost', '::1']);
  if (!isLoopbackHost(listen) && !WILDCARDS.has(listen)) names.add(listen);
  if (WILDCARDS.has(listen)) {
    for (const list of Object.values(networkInterfaces())) for (const i of list ?? []) names.add(i.address.toLowerCase());
    names.add(hostname().toLowerCase());
  }
  for (const h of options.hosts ?? []) names.add(hostOf(h));
  return names;
}

/** Why this request must be refused, or undefined when it may go on. */
export function refusal(
  req: Pick<IncomingMessage, 'method' | 'headers' | 'url'>,
  hosts: ReadonlySet<string>,
  formPaths: readonly string[] = [],
): Refusal | undefined {
  const hostHeader = req.headers.host;
  const host = hostHeader ? hostOf(hostHeader) : '';
  // 127.0.0.0/8 is loopback as a whole; anything else must be named.
  if (!host || !(hosts.has(host) || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host)))
    return { status: 421, error: 'this service answers only to its own address (Host header refused)' };
  const method = (req.method ?? 'GET').toUpperCase();
  if (SAFE_METHODS.has(method)) return undefined;
  const origin = req.headers.origin;
  if (origin !== undefined && origin !== `http://${hostHeader}` && origin !== `https://${hostHeader}`)
    return { status: 403, error: 'cross-site request refused (Origin is not this service)' };
  if (req.headers['sec-fetch-site'] === 'cross-site') return { status: 403, error: 'cross-site request refused' };
  const type = (req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
  const form = type === 'application/x-www-form-urlencoded' && formPaths.includes((req.url ?? '').split('?')[0]);
  if (BODY_METHODS.has(method) && type !== 'application/json' && !form)
    return { status: 415, error: 'send JSON: Content-Type must be application/json' };
  return undefined;
}

/** Answers a refusal as JSON. */
export function refuse(res: ServerResponse, r: Refusal): void {
  const body = JSON.stringify({ error: r.error });
  res.writeHead(r.status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(body),
    'cache-control': 'no-store',
    connection: 'close',
  });
  res.end(body);
}

/**
 * Middleware (express or plain node): refuses what `refusal` refuses, passes everything else on.
 * The allowed hosts are computed once, at start.
 */
export function requestGuard(options: GuardOptions): (req: IncomingMessage, res: ServerResponse, next: (error?: unknown) => void) => void {
  const hosts = ownHosts(options);
  return (req, res, next) => {
    const r = refusal(req, hosts, options.formPaths);
    if (r) return refuse(res, r);
    next();
  };
}

/** Timeouts for every server: a slow or stuck client must not pin sockets forever (slowloris). */
export function hardenServer(server: Server, limits: { headersMs?: number; requestMs?: number } = {}): Server {
  server.headersTimeout = limits.headersMs ?? 10_000;
  server.requestTimeout = limits.requestMs ?? 30_000;
  server.keepAliveTimeout = 5_000;
  return server;
}
