/**
 * The control API over HTTP (JSON): POST /control/<action>, GET /control/state.
 * Answers {ok: true, result} or {ok: false, error} with 400 for bad input, 404 for an
 * unknown action. Meant for loopback: it has no token, so the shared guard keeps web pages out
 * (foreign Host, foreign Origin, non-JSON POST).
 */
import http from 'node:http';
import { hardenServer, ownHosts, refusal } from '@traderadmin/config';
import type { AddressInfo } from 'node:net';
import { InputError } from '../sim/engine.js';
import type { Logger } from '@traderadmin/kit';
import type { EmulatorControl } from './control.js';

const MAX_BODY_BYTES = 64 * 1024;

type Handler = (control: EmulatorControl, body: Record<string, unknown>) => unknown;

/** Every POST action; names are case- and dash-insensitive (connectivity-lost = connectivityLost). */
const ACTIONS: Record<string, Handler> = {
  fill: (c, b) => c.fill(b as never),
  reject: (c, b) => c.reject(b as never),
  error: (c, b) => c.error(b as never),
  connectivityLost: (c) => c.connectivityLost(),
  connectivityRestored: (c, b) => c.connectivityRestored((b.dataLost ?? false) as boolean),
  dropConnections: (c) => c.dropConnections(),
  hang: (c) => c.hang(),
  unhang: (c) => c.unhang(),
  refuseConnections: (c) => c.refuseConnections(),
  acceptConnections: (c) => c.acceptConnections(),
  restart: (c, b) => c.restart(b as never),
  nextTradingDay: (c) => c.nextTradingDay(),
  price: (c, b) => c.price(b as never),
};

const normalize = (name: string) => name.replaceAll('-', '').replaceAll('_', '').toLowerCase();
const BY_NAME = new Map(Object.entries(ACTIONS).map(([k, v]) => [normalize(k), v]));

/** The action names, for help texts and error messages. */
export const CONTROL_ACTIONS = Object.keys(ACTIONS);

export interface ControlServer {
  url: string;
  close(): Promise<void>;
}

function reply(res: http.ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
    'cache-control': 'no-store',
  });
  res.end(text);
}

async function readJson(req: http.IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw new InputError(`request body exceeds ${MAX_BODY_BYTES} bytes`);
    chunks.push(chunk as Buffer);
  }
  const text = Buffer.concat(chunks).toString('utf8').trim();
  if (text === '') return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new InputError(`request body is not valid JSON: ${(error as Error).message}`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new InputError('request body must be a JSON object');
  return parsed as Record<string, unknown>;
}

/** Starts the HTTP control API for a control handle. */
export async function startControlServer(
  control: EmulatorControl,
  listen: { host: string; port: number },
  logger: Logger,
): Promise<ControlServer> {
  const hosts = ownHosts({ listenHost: listen.host });
  const server = http.createServer((req, res) => {
    const refused = refusal(req, hosts);
    if (refused) return reply(res, refused.status, { ok: false, error: refused.error });
    void (async () => {
      const url = new URL(req.url ?? '/', 'http://control');
      const path = url.pathname.replace(/\/+$/, '');
      if (path === '/control/state') {
        if (req.method !== 'GET') return reply(res, 405, { ok: false, error: 'use GET /control/state' });
        return reply(res, 200, { ok: true, result: control.state() });
      }
      const m = /^\/control\/([A-Za-z_-]+)$/.exec(path);
      if (!m) return reply(res, 404, { ok: false, error: `not found: ${path}; try GET /control/state or POST /control/<action>` });
      const handler = BY_NAME.get(normalize(m[1]));
      if (!handler)
        return reply(res, 404, { ok: false, error: `unknown action ${JSON.stringify(m[1])}; actions: ${CONTROL_ACTIONS.join(', ')}` });
      if (req.method !== 'POST') return reply(res, 405, { ok: false, error: `use POST /control/${m[1]}` });
      try {
        const body = await readJson(req);
        const result = await handler(control, body);
        logger.info('control action', { action: m[1] });
        reply(res, 200, { ok: true, result: result ?? null });
      } catch (error) {
        if (error instanceof InputError) return reply(res, 400, { ok: false, error: error.message });
        logger.error('control action failed', { action: m[1], error: (error as Error).message });
        reply(res, 500, { ok: false, error: (error as Error).message });
      }
    })();
  });
  hardenServer(server);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen({ host: listen.host, port: listen.port }, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return {
    url: `http://${host}:${address.port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
