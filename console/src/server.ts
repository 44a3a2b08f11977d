/**
 * The alerts configuration page's HTTP server: one HTML page, its script (bundled by
 * `npm run build`, or by esbuild at start when run from sources) and stylesheet, and a small
 * JSON API over ConfigEditor and the bridge.
 */
import {
  apiToken,
  engineFetch,
  enginePassword,
  hardenServer,
  parseListen,
  requestGuard,
  resolveFromConfig,
  secretValues,
  type Config,
} from '@traderadmin/config';
import { Redactor, redactingLogger, silentLogger, type Logger } from '@traderadmin/kit';
import { ALERT_NAMES, connectAddress } from '@traderadmin/rules-gen';
import express, { type NextFunction, type Request, type Response } from 'express';
import { readFileSync, statSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { PageAuth, cleanUser } from './auth.js';
import { sendTestAlert } from './bridge.js';
import { literalSecrets, scrub } from './changes.js';
import { loadFrom, stackDeployer, type Deployer } from './deploy.js';
import { ConfigEditor } from './editor.js';
import { ConfigHistory } from './history.js';
import { Alerts } from './monitor/alerts.js';
import { Monitoring } from './monitor/monitoring.js';
import { consoleRoutes } from './monitor/routes.js';
import { Upstream } from './monitor/upstream.js';
import { readPages } from './pages.js';
import type { Draft } from './shared/api.js';

const WEB = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../web');
/** Set by scripts/build.mjs in the compiled bundle: the browser script it built, from the checkout root. */
declare const __WEB_BUNDLE__: string | undefined;
const UPLOT_CSS = fileURLToPath(import.meta.resolve('uplot/dist/uPlot.min.css'));

export interface AlertsPageOptions {
  /** The config.toml to edit. */
  configFile: string;
  /** Overrides alerts_page.listen ("127.0.0.1:0" picks a free port). */
  listen?: string;
  /** Folder of the generated Prometheus/Alertmanager files. @default data/generated beside the config folder, as `traderadmin up` */
  out?: string;
  prometheusUrl?: string;
  alertmanagerUrl?: string;
  /** @default http://<alert_bridge.listen> */
  bridgeUrl?: string;
  /** @default http://<exporter.listen> */
  exporterUrl?: string;
  /** Overrides alerts_page.history_dir. */
  historyDir?: string;
  /** Environment for env: secrets. @default process.env */
  env?: NodeJS.ProcessEnv;
  fetch?: typeof fetch;
  clock?: () => Date;
  /** Gets one entry per event, through a Redactor holding the config's secrets. @default nothing */
  logger?: Logger;
  /** How changes are put into effect. @default rules-gen's applyConfig on the configured stack */
  deployer?: Deployer;
}

export interface RunningPage {
  /** http://host:port/ */
  url: string;
  /** True when the page asks for its token (alerts_page.auth_token). */
  tokenRequired: boolean;
  editor: ConfigEditor;
  close(): Promise<void>;
}

/** Bundles the browser code (web/main.ts and src/shared) into one ES module. */
export async function bundleClient(): Promise<string> {
  // Compiled: read what the build wrote; no transpiler (and no esbuild process) at run time.
  if (typeof __WEB_BUNDLE__ === 'string') {
    const file = path.resolve(WEB, '../..', __WEB_BUNDLE__);
    try {
      return readFileSync(file, 'utf8');
    } catch {
      throw new Error(`the page's script ${__WEB_BUNDLE__} is missing: run npm run build`);
    }
  }
  const { build } = await import('esbuild');
  const result = await build({
    entryPoints: [path.join(WEB, 'main.ts')],
    bundle: true,
    format: 'esm',
    target: 'es2022',
    minify: true,
    write: false,
    logLevel: 'silent',
  });
  return result.outputFiles[0].text;
}

type Handler = (req: Request, res: Response) => Promise<void> | void;
const wrap =
  (handler: Handler) =>
  (req: Request, res: Response, next: NextFunction): void => {
    Promise.resolve(handler(req, res)).catch(next);
  };

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** Starts the page for a config file. */
export async function startAlertsPage(options: AlertsPageOptions): Promise<RunningPage> {
  const env = options.env ?? process.env;
  const configFile = path.resolve(options.configFile);
  const loaded = loadFrom(configFile, env);
  const { config } = loaded;
  const redactor = new Redactor(secretValues(config, env));
  const logger = redactingLogger(options.logger ?? silentLogger, redactor);
  const listen = options.listen ?? config.alerts_page.listen;
  // Port 0 (a free port) is allowed here, for tests; the config key itself needs a real port.
  const where = parseListen(listen.replace(/:0$/, ':1'));
  if (!where) throw new Error(`alerts_page.listen "${listen}" is not HOST:PORT`);
  if (listen.endsWith(':0')) where.port = 0;
  const token = config.alerts_page.auth_token?.reveal(env);
  const bridgeUrl = options.bridgeUrl ?? `http://${connectAddress(config.alert_bridge.listen)}`;
  const history = new ConfigHistory({
    dir: options.historyDir ?? resolveFromConfig(loaded, config.alerts_page.history_dir),
    keep: config.alerts_page.history_keep,
    clock: options.clock,
  });
  const deployer =
    options.deployer ??
    stackDeployer({
      out: options.out ?? path.join(path.dirname(configFile), '..', 'data', 'generated'),
      prometheusUrl: options.prometheusUrl,
      alertmanagerUrl: options.alertmanagerUrl,
      bridgeUrl,
      env,
      fetch: options.fetch,
    });
  const editor = new ConfigEditor({ configFile, history, deployer, env, bridgeUrl, logger });
  // The config as it is now: re-read when the file changes (an apply), the last good one otherwise.
  let current = { mtime: statSync(configFile).mtimeMs, config };
  const configNow = (): Config => {
    try {
      const mtime = statSync(configFile).mtimeMs;
      if (mtime !== current.mtime) {
        current = { mtime, config: loadFrom(configFile, env).config };
        redactor.set(secretValues(current.config, env));
      }
    } catch {
      // an invalid file being edited: keep the last good config
    }
    return current.config;
  };
  const prometheusUrl = options.prometheusUrl ?? `http://${connectAddress(config.prometheus.listen)}`;
  const alertmanagerUrl = options.alertmanagerUrl ?? `http://${connectAddress(config.alertmanager.listen)}`;
  const upstream = new Upstream({
    exporterUrl: options.exporterUrl ?? `http://${connectAddress(config.exporter.listen)}`,
    prometheusUrl,
    alertmanagerUrl,
    bridgeUrl,
    // Prometheus and Alertmanager ask for the stack's credential (the config's, as it is now).
    fetch: engineFetch({
      urls: () => [prometheusUrl, alertmanagerUrl],
      password: () => enginePassword({ file: configFile, config: configNow() }, env),
      fetch: options.fetch,
    }),
  });
  const monitoring = new Monitoring({
    config: configNow,
    upstream,
    refreshSeconds: config.alerts_page.refresh_seconds,
    clock: options.clock ? () => options.clock!().getTime() : undefined,
  });
  const alerts = new Alerts({
    upstream,
    alertnames: ALERT_NAMES.filter((n) => n !== 'Watchdog'),
    refreshSeconds: config.alerts_page.refresh_seconds,
    clock: options.clock ? () => options.clock!().getTime() : undefined,
  });
  const auth = new PageAuth({ token });
  const script = await bundleClient();
  const { app: html, login: loginHtml } = readPages(WEB);
  // uPlot's own stylesheet first, the console's after it (and its theme colours) win.
  const css = `${readFileSync(UPLOT_CSS, 'utf8')}\n${readFileSync(path.join(WEB, 'style.css'), 'utf8')}`;

  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  // The stack's shared guard: own Host only (DNS rebinding), same-origin JSON writes; the
  // login and logout forms are the only non-JSON bodies it takes.
  app.use(requestGuard({ listenHost: where.host, formPaths: ['/login', '/logout'] }));
  app.use((_req, res, next) => {
    res.set({
      'content-security-policy':
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'no-referrer',
      'cache-control': 'no-store',
    });
    next();
  });

  app.get('/healthz', (_req, res) => void res.type('text/plain').send('ok\n'));
  app.get('/style.css', (_req, res) => void res.type('text/css').send(css));

  app.post('/login', express.urlencoded({ extended: false, limit: '4kb' }), (req, res) => {
    const body = (req.body ?? {}) as { token?: unknown; user?: unknown };
    const client = req.socket.remoteAddress ?? '';
    const wait = auth.loginBlockedFor(client);
    if (wait > 0) {
      logger.warn('login refused: too many wrong tokens', { client });
      res
        .status(429)
        .set('retry-after', String(wait))
        .type('html')
        .send(loginHtml.replace('<!--error-->', `<p class="problem" role="alert">Too many wrong tokens: try again in ${wait} s.</p>`));
      return;
    }
    const secure = req.secure || req.headers['x-forwarded-proto'] === 'https';
    const cookie = typeof body.token === 'string' ? auth.login(body.token, cleanUser(body.user), secure) : undefined;
    if (!cookie) {
      auth.loginFailed(client);
      logger.warn('login refused: wrong token', { client });
      // A little slower for a wrong token: guessing stays slow.
      setTimeout(
        () =>
          res
            .status(401)
            .type('html')
            .send(loginHtml.replace('<!--error-->', '<p class="problem" role="alert">That token is not right.</p>')),
        300,
      );
      return;
    }
    res.set('set-cookie', cookie).redirect(303, '/');
  });
  app.post('/logout', (req, res) => void res.set('set-cookie', auth.logout(req)).redirect(303, '/'));

  // Everything below needs a session when a token is configured.
  app.use((req, res, next) => {
    if (auth.session(req)) return next();
    if (req.path.startsWith('/api/')) res.status(401).json({ error: 'sign in first: this page needs alerts_page.auth_token' });
    else res.status(401).type('html').send(loginHtml);
  });

  // The console's addresses (contract.md, "The console"): one page, the script picks the view.
  // A replacer function: a `$&` or `$'` in the path must stay as written.
  const page = html.replace('{{FILE}}', () => escapeHtml(configFile));
  app.get(['/', '/monitoring', '/alerts', '/alerts/silence', '/config'], (_req, res) => void res.type('html').send(page));
  app.get('/app.js', (_req, res) => void res.type('text/javascript').send(script));

  const api = express.Router();
  api.use(express.json({ limit: '256kb' }));
  const draftOf = (req: Request): Draft | undefined => {
    const draft = (req.body as { draft?: unknown } | undefined)?.draft;
    return draft && typeof draft === 'object' && !Array.isArray(draft) ? (draft as Draft) : undefined;
  };
  const needDraft = (req: Request, res: Response): Draft | undefined => {
    const draft = draftOf(req);
    if (!draft) res.status(400).json({ error: 'send {"draft": {...}} as JSON' });
    return draft;
  };
  const secretsNow = () => {
    try {
      return literalSecrets(editor.read().raw);
    } catch {
      return [];
    }
  };

  api.get('/state', (req, res) => void res.json({ ...editor.state(auth.user(req)), auth: auth.required }));
  api.post('/validate', (req, res) => {
    const draft = needDraft(req, res);
    if (draft) res.json(editor.validate(draft));
  });
  api.post('/diff', (req, res) => {
    const draft = needDraft(req, res);
    if (draft) res.json(editor.diff({ draft }));
  });
  api.post(
    '/apply',
    wrap(async (req, res) => {
      const draft = needDraft(req, res);
      if (!draft) return;
      const answer = await editor.apply({ draft, reconfirm: reconfirmOf(req.body) }, req.headers['if-match'], auth.user(req));
      res.status(answer.status).json(answer.body);
    }),
  );
  api.get('/history', (_req, res) => void res.json(scrub({ items: history.list() }, secretsNow())));
  api.post('/history/:id/diff', (req, res) => {
    const version = history.read(String(req.params.id));
    if (!version) return void res.status(404).json({ error: 'no such version' });
    res.json(editor.diff({ text: version.text }));
  });
  api.post(
    '/history/:id/restore',
    wrap(async (req, res) => {
      const answer = await editor.apply(
        { restore: String(req.params.id), reconfirm: reconfirmOf(req.body) },
        req.headers['if-match'],
        auth.user(req),
      );
      res.status(answer.status).json(answer.body);
    }),
  );
  api.post(
    '/test-alert',
    wrap(async (req, res) => {
      const body = (req.body ?? {}) as { channel?: unknown; message?: unknown };
      const channel = typeof body.channel === 'string' ? body.channel : 'all';
      const message = typeof body.message === 'string' ? body.message.slice(0, 1000) : undefined;
      // The bridge's token from the file as it is now (a page started earlier may be behind).
      // alert_bridge.auth_token, else the local token of `traderadmin up`.
      let bridgeToken: string | undefined;
      try {
        bridgeToken = apiToken(loadFrom(configFile, env), 'bridge', env);
      } catch {
        bridgeToken = apiToken(loaded, 'bridge', env);
      }
      const result = await sendTestAlert({ bridgeUrl, token: bridgeToken, channel, message, fetch: options.fetch });
      logger.info(`test alert on ${channel}: ${result.ok ? 'delivered' : 'failed'}`, { channel });
      res.status(200).json(scrub(result, [...secretsNow(), ...(bridgeToken ? [bridgeToken] : [])]));
    }),
  );
  api.use(consoleRoutes({ monitoring, alerts, user: (req) => auth.user(req) }));
  app.use('/api', api);

  app.use((_req: Request, res: Response) => void res.status(404).json({ error: 'not found' }));
  app.use((error: { status?: number; type?: string; message?: string }, _req: Request, res: Response, _next: NextFunction) => {
    if (error.status && error.status >= 400 && error.status < 500) {
      res.status(error.status).json({ error: error.type === 'entity.too.large' ? 'request too large' : 'bad request' });
      return;
    }
    logger.error('request failed', { error: scrub(error.message ?? String(error), secretsNow()) });
    res.status(500).json({ error: 'internal error: see the page server log' });
  });

  const server = hardenServer(app.listen(where.port, where.host));
  await new Promise<void>((resolve, reject) => {
    server.once('listening', resolve);
    server.once('error', reject);
  });
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  const url = `http://${host}:${address.port}/`;
  // No start-up line here: the caller announces the address once (traderadmin page, up).
  return {
    url,
    tokenRequired: auth.required,
    editor,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** The `reconfirm_secrets` of an apply or restore request: dotted key → reference. */
function reconfirmOf(body: unknown): Record<string, unknown> {
  const r = (body as { reconfirm_secrets?: unknown } | undefined)?.reconfirm_secrets;
  return typeof r === 'object' && r !== null && !Array.isArray(r) ? (r as Record<string, unknown>) : {};
}
