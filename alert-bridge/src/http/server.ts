/**
 * HTTP only: routes, authentication, body limits and status codes. Every decision about
 * alerts lives behind BridgeApi. Status codes are chosen for Alertmanager's retrier, which
 * retries 5xx and gives up on 4xx: 2xx once stored durably, 5xx when storing failed, 4xx only
 * for a request that can never succeed.
 */
import { readFile } from 'node:fs/promises';
import express, { type NextFunction, type Request, type Response } from 'express';
import { CHANNELS, requestGuard, type ChannelName, type GuardOptions } from '@traderadmin/config';
import type { Logger } from '@traderadmin/kit';
import { parseWebhook } from '../payload.js';
import { SilenceError, type SilenceClient, type SilenceRequest } from '../silences.js';
import type { AmPayload, OutboxEntry } from '../types.js';
import { authorized } from './auth.js';
import { renderRunbooks } from './runbooks.js';

/** Outcome of storing one webhook for one channel. */
export interface ReceiveResult {
  /** Entries stored now. */
  stored: number;
  /** Entries already queued or delivered (retries, cluster duplicates). */
  duplicates: number;
  /** Alerts left out by the channel's min_severity. */
  filtered: number;
  ids: string[];
}

/** Raised when a channel cannot take notifications now (disabled): 503, so Alertmanager keeps them. */
export class ChannelUnavailableError extends Error {}

export interface TestAlertResult {
  channel: ChannelName;
  recipient: string;
  ok: boolean;
  providerId?: string;
  error?: string;
  reason?: string;
}

export interface ReloadResult {
  ok: boolean;
  sha256?: string;
  problems: string[];
  warnings: string[];
}

/** What the HTTP layer needs from the bridge. */
export interface BridgeApi {
  logger: Logger;
  auth(): { token?: string; user?: string };
  maxBodyBytes(): number;
  receive(channel: ChannelName, payload: AmPayload): Promise<ReceiveResult>;
  watchdog(payload: AmPayload): Promise<void>;
  testAlert(channel: ChannelName | 'all', message: string | undefined): Promise<TestAlertResult[]>;
  silences: SilenceClient;
  deadLetters(): OutboxEntry[];
  acknowledgeDead(id: string): Promise<boolean>;
  retryDead(id: string): Promise<boolean>;
  reload(): Promise<ReloadResult>;
  metrics(): Promise<{ contentType: string; body: string }>;
  ready(): Promise<{ ready: boolean; checks: Record<string, boolean> }>;
  runbooksFile(): string;
  /** Removes secrets from text shown to a client. */
  redact(text: string): string;
  /** False while shutting down: new webhooks get 503 and Alertmanager retries elsewhere/later. */
  accepting(): boolean;
}

type Handler = (req: Request, res: Response) => Promise<void> | void;

/** The short index the root answers. */
export const BRIDGE_ENDPOINTS: Record<string, string> = {
  'POST /api/v1/alertmanager/{channel}': 'Alertmanager webhooks (email, slack, sms, webhook, watchdog)',
  'POST /api/v1/test-alert': 'send a sample notification now: {"channel":"email","message":"…"}',
  'GET|POST /api/v1/silences, DELETE /api/v1/silences/{id}': 'Alertmanager silences',
  'GET /api/v1/dead-letters': 'notifications given up on (DELETE …/{id}, POST …/{id}/retry)',
  'POST /-/reload': 'reload config.toml',
  'GET /runbooks': 'what to do for each alert',
  'GET /metrics': 'the bridge’s own metrics',
  'GET /healthz, GET /readyz': 'health and readiness',
};

/** What a JSON endpoint wants, for a body that is not JSON or not an object. */
function expectedBody(path: string): string {
  if (path.startsWith('/api/v1/alertmanager/')) return 'an Alertmanager webhook JSON object ({"version":"4","alerts":[…],…})';
  if (path === '/api/v1/test-alert') return 'a JSON object such as {"channel":"email","message":"…"}';
  if (path.startsWith('/api/v1/silences'))
    return 'a JSON object such as {"alertname":"OrderLatencyHigh","account":"DU1234567","duration":"1h"}';
  return 'a JSON object';
}

/**
 * Builds the express app. The shared guard comes first: a foreign Host (rebinding), a foreign
 * Origin or a non-JSON write is refused before any route or token check.
 */
export function createApp(api: BridgeApi, guard: GuardOptions = { listenHost: '127.0.0.1' }): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.use(requestGuard(guard));

  const parsers = new Map<number, express.RequestHandler>();
  const jsonBody: express.RequestHandler = (req, res, next) => {
    const limit = api.maxBodyBytes();
    let parser = parsers.get(limit);
    if (!parser) {
      parser = express.json({ limit, type: () => true, strict: true });
      parsers.set(limit, parser);
    }
    parser(req, res, next);
  };
  const requireAuth: express.RequestHandler = (req, res, next) => {
    const { token, user } = api.auth();
    if (authorized(req.headers.authorization, token, user)) return next();
    res.setHeader('WWW-Authenticate', 'Bearer realm="alert-bridge"');
    res.status(401).json({ error: 'missing or wrong credentials' });
  };
  const wrap =
    (h: Handler): express.RequestHandler =>
    (req, res, next) =>
      Promise.resolve(h(req, res)).catch(next);

  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.get(
    '/readyz',
    wrap(async (_req, res) => {
      const r = await api.ready();
      res.status(r.ready ? 200 : 503).json(r);
    }),
  );
  app.get(
    '/metrics',
    wrap(async (_req, res) => {
      const m = await api.metrics();
      res.setHeader('content-type', m.contentType);
      res.send(m.body);
    }),
  );
  app.get(
    '/runbooks',
    wrap(async (_req, res) => {
      let text: string;
      try {
        text = await readFile(api.runbooksFile(), 'utf8');
      } catch {
        res.status(404).type('text/plain').send('no runbooks: docs/runbooks.md is missing\n');
        return;
      }
      res.type('html').send(renderRunbooks(text));
    }),
  );

  app.post(
    '/api/v1/alertmanager/:channel',
    requireAuth,
    jsonBody,
    wrap(async (req, res) => {
      const channel = String(req.params.channel);
      if (!api.accepting()) {
        res.status(503).json({ error: 'shutting down' });
        return;
      }
      const parsed = parseWebhook(req.body);
      if (!parsed.ok) {
        res.status(400).json({ error: 'not an Alertmanager webhook (version 4)', problems: parsed.problems });
        return;
      }
      if (channel === 'watchdog') {
        await api.watchdog(parsed.payload);
        res.json({ status: 'ok' });
        return;
      }
      if (!(CHANNELS as readonly string[]).includes(channel)) {
        res.status(404).json({ error: `unknown channel ${JSON.stringify(channel)}; one of ${CHANNELS.join(', ')}, watchdog` });
        return;
      }
      try {
        const result = await api.receive(channel as ChannelName, parsed.payload);
        res.status(200).json({ status: 'stored', ...result });
      } catch (error) {
        if (error instanceof ChannelUnavailableError) {
          res.status(503).json({ error: error.message });
          return;
        }
        api.logger.error('could not store notification; Alertmanager will retry', { channel, error });
        res.status(500).json({ error: 'could not store the notification; retry' });
      }
    }),
  );

  app.post(
    '/api/v1/test-alert',
    requireAuth,
    jsonBody,
    wrap(async (req, res) => {
      const body = (req.body ?? {}) as { channel?: unknown; message?: unknown };
      const channel = body.channel ?? 'all';
      if (channel !== 'all' && !(CHANNELS as readonly unknown[]).includes(channel)) {
        res.status(400).json({ error: `channel must be one of ${CHANNELS.join(', ')} or "all"` });
        return;
      }
      if (body.message !== undefined && (typeof body.message !== 'string' || body.message.length > 1000)) {
        res.status(400).json({ error: 'message must be a string of at most 1000 characters' });
        return;
      }
      const results = await api.testAlert(channel as ChannelName | 'all', body.message as string | undefined);
      if (results.length === 0) {
        // Say how to turn it on, not only that it is off.
        const error =
          channel === 'all'
            ? 'no channel is enabled: set enabled = true in one of [alerts_config.notifications.<channel>] and apply the config'
            : `channel ${channel} is not enabled: set alerts_config.notifications.${channel}.enabled = true (with its settings) and apply the config`;
        res.status(409).json({ error, results });
        return;
      }
      const clean = results.map((r) => ({ ...r, error: r.error === undefined ? undefined : api.redact(r.error) }));
      res.status(clean.every((r) => r.ok) ? 200 : 502).json({ ok: clean.every((r) => r.ok), results: clean });
    }),
  );

  const silenceError = (res: Response, error: unknown) => {
    if (error instanceof SilenceError) res.status(error.status).json({ error: api.redact(error.message) });
    else throw error;
  };
  app.get(
    '/api/v1/silences',
    requireAuth,
    wrap(async (req, res) => {
      try {
        res.json(await api.silences.list(req.query.all === 'true'));
      } catch (error) {
        silenceError(res, error);
      }
    }),
  );
  app.post(
    '/api/v1/silences',
    requireAuth,
    jsonBody,
    wrap(async (req, res) => {
      try {
        const created = await api.silences.create((req.body ?? {}) as SilenceRequest);
        api.logger.info('silence created', { silence_id: created.silenceID, matchers: created.matchers.map((m) => m.name) });
        res.status(201).json(created);
      } catch (error) {
        silenceError(res, error);
      }
    }),
  );
  app.delete(
    '/api/v1/silences/:id',
    requireAuth,
    wrap(async (req, res) => {
      try {
        await api.silences.expire(String(req.params.id));
        api.logger.info('silence expired', { silence_id: req.params.id });
        res.json({ status: 'expired', id: req.params.id });
      } catch (error) {
        silenceError(res, error);
      }
    }),
  );

  app.get('/api/v1/dead-letters', requireAuth, (_req, res) => {
    res.json(
      api.deadLetters().map((e) => ({
        id: e.id,
        key: e.key,
        channel: e.channel,
        attempts: e.attempts,
        reason: e.lastReason,
        error: e.lastError === undefined ? undefined : api.redact(e.lastError),
        receivedAt: new Date(e.receivedAt).toISOString(),
        deadAt: e.deadAt ? new Date(e.deadAt).toISOString() : undefined,
        groupKey: e.notification.groupKey,
      })),
    );
  });
  // Acknowledging or retrying one dead letter: `done` says which, 404 for an unknown id.
  const onDeadLetter = (done: string, act: (id: string) => Promise<boolean>) =>
    wrap(async (req, res) => {
      const ok = await act(String(req.params.id));
      res.status(ok ? 200 : 404).json(ok ? { status: done } : { error: 'no such dead letter' });
    });
  app.delete(
    '/api/v1/dead-letters/:id',
    requireAuth,
    onDeadLetter('acknowledged', (id) => api.acknowledgeDead(id)),
  );
  app.post(
    '/api/v1/dead-letters/:id/retry',
    requireAuth,
    onDeadLetter('queued', (id) => api.retryDead(id)),
  );

  app.post(
    '/-/reload',
    requireAuth,
    wrap(async (_req, res) => {
      const r = await api.reload();
      res.status(r.ok ? 200 : 400).json(r);
    }),
  );

  // The address `npm start` prints: say what is here instead of "not found".
  app.get('/', (_req, res) => {
    res.json({ service: 'alert-bridge', endpoints: BRIDGE_ENDPOINTS });
  });

  app.use((_req: Request, res: Response) => {
    res.status(404).json({ error: 'not found' });
  });
  // Body-parser errors carry a status: 413 too large, 400 bad JSON; anything else is ours (500).
  app.use((error: { status?: number; type?: string; message?: string }, req: Request, res: Response, _next: NextFunction) => {
    if (error.type === 'entity.too.large') {
      res.status(413).json({ error: `body larger than ${api.maxBodyBytes()} bytes` });
      return;
    }
    if (error.type === 'entity.parse.failed') {
      // JSON.parse's own text ("Unexpected token 'n'") says what is wrong, not what is wanted.
      res.status(400).json({ error: `expected ${expectedBody(req.path)} as the body: ${api.redact(error.message ?? 'not JSON')}` });
      return;
    }
    if (error.status && error.status >= 400 && error.status < 500) {
      res.status(error.status).json({ error: api.redact(error.message ?? 'bad request') });
      return;
    }
    api.logger.error('request failed', { error: error.message });
    res.status(500).json({ error: 'internal error' });
  });
  return app;
}
