/**
 * The console's JSON API for the Monitoring and Alerts views, mounted under /api by the
 * server (after its sign-in check). Two requests per Monitoring refresh (live, history), one
 * per Alerts refresh, whatever the number of accounts and positions.
 */
import express, { type NextFunction, type Request, type Response } from 'express';
import { RANGES, type Range } from '../shared/monitor.js';
import { Alerts, readSilenceRequest } from './alerts.js';
import type { Monitoring } from './monitoring.js';
import { UpstreamError } from './upstream.js';

const ACCOUNT = /^[A-Za-z0-9._-]{1,64}$/;

type Handler = (req: Request, res: Response) => Promise<void>;
const wrap =
  (handler: Handler) =>
  (req: Request, res: Response, next: NextFunction): void => {
    handler(req, res).catch((error: unknown) => {
      if (error instanceof UpstreamError) res.status(502).json({ error: error.message, part: error.part });
      else next(error);
    });
  };

export function consoleRoutes(deps: { monitoring: Monitoring; alerts: Alerts; user: (req: Request) => string }): express.Router {
  const api = express.Router();
  const accountOf = (req: Request, res: Response): string | undefined | false => {
    const a = req.query.account;
    if (a === undefined || a === '') return undefined;
    if (typeof a !== 'string' || !ACCOUNT.test(a)) {
      res.status(400).json({ error: 'account is an account id: letters, digits, dots, dashes' });
      return false;
    }
    return a;
  };

  api.get(
    '/monitoring/live',
    wrap(async (req, res) => {
      const account = accountOf(req, res);
      if (account === false) return;
      res.json(await deps.monitoring.live(account));
    }),
  );
  api.get(
    '/monitoring/history',
    wrap(async (req, res) => {
      const account = accountOf(req, res);
      if (account === false) return;
      if (account === undefined) return void res.status(400).json({ error: 'name the account: ?account=ID' });
      const range = (typeof req.query.range === 'string' ? req.query.range : '1h') as Range;
      if (!RANGES.includes(range)) return void res.status(400).json({ error: `range is one of ${RANGES.join(', ')}` });
      res.json(await deps.monitoring.history(account, range));
    }),
  );
  api.get(
    '/alerts',
    wrap(async (_req, res) => {
      const live = await deps.monitoring.accounts();
      res.json(await deps.alerts.list(live));
    }),
  );
  api.post(
    '/silences',
    wrap(async (req, res) => {
      const request = readSilenceRequest(req.body, deps.alerts.alertnames);
      if (typeof request === 'string') return void res.status(400).json({ error: request });
      const id = await deps.alerts.silence(request, deps.user(req));
      res.status(201).json({ id });
    }),
  );
  api.post(
    '/silences/:id/expire',
    wrap(async (req, res) => {
      const id = String(req.params.id);
      if (!/^[0-9a-f-]{36}$/.test(id)) return void res.status(400).json({ error: 'not a silence id' });
      await deps.alerts.expire(id);
      res.json({ expired: id });
    }),
  );
  return api;
}
