/**
 * The exporter's HTTP surface (express 5). It only serves: every answer comes from the
 * handlers it is given.
 *
 *   GET  /                a short index of these endpoints
 *   GET  /metrics         Prometheus text format: everything; ?scope=account without the
 *                         trader_position_* families, ?scope=positions only those (two jobs)
 *   GET  /healthz         200 while the process runs
 *   GET  /readyz          200 when connected, logged in, data is flowing and today is rebuilt; else 503 + reason
 *   GET  /api/v1/metrics  the AllMetrics snapshot (JSON)
 *   POST /api/v1/events   events from other services (see exporter/README.md)
 */
import type { Server } from 'node:http';
import { hardenServer, requestGuard, type GuardOptions } from '@traderadmin/config';
import express, { type NextFunction, type Request, type Response } from 'express';
import type { Registry } from 'prom-client';
import { safeEqual, type Logger } from '@traderadmin/kit';
import type { ValidationResult } from '../events/validate.js';

/** What a scrape asks for with ?scope= (the generated prometheus.yml scrapes the two parts on two jobs). */
export const METRICS_SCOPES = ['all', 'account', 'positions'] as const;
export type MetricsScope = (typeof METRICS_SCOPES)[number];

export interface HttpHandlers {
  registry: Registry;
  /** The exposition text of a scope. */
  metrics(scope: MetricsScope): Promise<string>;
  ready(): { ready: boolean; reason: string };
  snapshot(): unknown;
  ingest(body: unknown): ValidationResult;
  /** Reads the bearer token at request time (env: secrets follow the environment); undefined = no auth. */
  eventsToken(): string | undefined;
  maxEventBodyBytes: number;
  logger: Logger;
}

/** Constant-time bearer token check (safeEqual hashes both sides, so lengths leak nothing either). */
export function tokenMatches(header: string | undefined, token: string): boolean {
  const m = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '');
  const given = m ? m[1] : '';
  const ok = safeEqual(given, token);
  return ok && m !== null;
}

/** The short index the root answers. */
export const EXPORTER_ENDPOINTS: Record<string, string> = {
  'GET /metrics':
    'Prometheus text format: every trader_* metric (?scope=account without the per-position series, ?scope=positions only those)',
  'GET /api/v1/metrics': 'the account snapshot (JSON)',
  'POST /api/v1/events': 'events from your services: order_latency, error, data_sync, heartbeat (see exporter/README.md)',
  'GET /healthz': 'health',
  'GET /readyz': 'ready when connected, logged in and data is flowing',
};

/** The app; the shared guard first (foreign Host, foreign Origin and non-JSON writes are refused). */
export function createApp(h: HttpHandlers, guard: GuardOptions = { listenHost: '127.0.0.1' }): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.use(requestGuard(guard));

  app.get('/metrics', async (req, res, next) => {
    try {
      const scope = req.query.scope ?? 'all';
      if (!METRICS_SCOPES.includes(scope as MetricsScope)) {
        res.status(400).json({ error: `scope: expected one of ${METRICS_SCOPES.join(', ')}` });
        return;
      }
      const body = await h.metrics(scope as MetricsScope);
      res.set('Content-Type', h.registry.contentType).send(body);
    } catch (error) {
      next(error);
    }
  });
  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.get('/readyz', (_req, res) => {
    const r = h.ready();
    res.status(r.ready ? 200 : 503).json(r.ready ? { ready: true } : { ready: false, reason: r.reason });
  });
  app.get('/api/v1/metrics', (_req, res) => {
    res.json(h.snapshot());
  });

  const auth = (req: Request, res: Response, next: NextFunction) => {
    let token: string | undefined;
    try {
      token = h.eventsToken();
    } catch (error) {
      // The secret is configured but cannot be read: refuse rather than run open.
      h.logger.error('events token unavailable; refusing events', { error: (error as Error).message });
      res.status(503).json({ error: 'the events token is configured but not available' });
      return;
    }
    if (token !== undefined && !tokenMatches(req.get('authorization'), token)) {
      res.status(401).set('WWW-Authenticate', 'Bearer').json({ error: 'missing or wrong bearer token' });
      return;
    }
    next();
  };
  // The guard already refused anything but application/json (what a web page could send).
  const json = express.json({ limit: h.maxEventBodyBytes, type: () => true, strict: false });
  app.post('/api/v1/events', auth, json, (req, res) => {
    if (req.body === undefined || req.get('content-length') === '0') {
      res.status(400).json({ error: 'body: empty; send one event, {"events": [...]} or a JSON array' });
      return;
    }
    const result = h.ingest(req.body);
    if (!result.ok) {
      res.status(400).json({ error: result.error });
      return;
    }
    res.json({ accepted: result.events.length });
  });
  app.all('/api/v1/events', (_req, res) => {
    res.status(405).set('Allow', 'POST').json({ error: 'use POST' });
  });

  // The address `npm start` prints: say what is here instead of "not found".
  app.get('/', (_req, res) => {
    res.json({ service: 'trader-exporter', endpoints: EXPORTER_ENDPOINTS });
  });

  app.use((_req: Request, res: Response) => {
    res.status(404).json({ error: 'not found' });
  });
  // body-parser errors carry a status and a type; anything else is ours (500, logged).
  app.use((error: Error & { status?: number; type?: string }, _req: Request, res: Response, _next: NextFunction) => {
    if (error.type === 'entity.too.large') {
      res.status(413).json({ error: `body larger than ${h.maxEventBodyBytes} bytes (exporter.max_event_body_bytes)` });
      return;
    }
    if (error.type === 'entity.parse.failed') {
      res.status(400).json({ error: `body: not valid JSON (${error.message})` });
      return;
    }
    if (error.status && error.status >= 400 && error.status < 500) {
      res.status(error.status).json({ error: error.message });
      return;
    }
    h.logger.error('request failed', { error: error.message });
    res.status(500).json({ error: 'internal error' });
  });
  return app;
}

/** Listens on host:port (port 0 = any free port); resolves with the server and its URL. */
export function listen(app: express.Express, host: string, port: number): Promise<{ server: Server; url: string }> {
  return new Promise((resolve, reject) => {
    const server = app.listen(port, host, (error?: Error) => {
      if (error) return reject(error);
      const address = server.address();
      const actual = typeof address === 'object' && address ? address.port : port;
      const shownHost = host.includes(':') ? `[${host}]` : host;
      resolve({ server, url: `http://${shownHost}:${actual}` });
    });
    server.once('error', reject);
    hardenServer(server);
  });
}
