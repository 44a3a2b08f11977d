/**
 * Where the links in alerts point, decided once from config.toml for every part that writes
 * one (rules-gen's dashboard_url, the bridge's silence and dashboard links). The console is on
 * every install; Grafana and an Alertmanager with its UI only when the user configured them.
 */
import type { Config } from './configSchema.js';
import { parseListen } from './formats.js';

/**
 * The Grafana dashboards alerts link to, as `/d/<uid>/<slug>`: grafana/src/dashboards builds
 * them with these uids (and titles whose slugs these are, checked by grafana/test), rules-gen's
 * dashboard_url and the bridge's links point at them. The one place either is written.
 */
export const DASHBOARDS = Object.freeze({
  overview: Object.freeze({ uid: 'trader-overview', slug: 'trading-overview' }),
  delivery: Object.freeze({ uid: 'alerts-delivery', slug: 'alerts-and-delivery' }),
});

/** `/d/<uid>/<slug>` of one of DASHBOARDS, to append to Grafana's base URL. */
export function dashboardPath(which: keyof typeof DASHBOARDS): string {
  return `/d/${DASHBOARDS[which].uid}/${DASHBOARDS[which].slug}`;
}

/** The console's base URL (no trailing slash): a wildcard listen is reached over loopback. */
export function consoleUrl(c: Config): string {
  const parsed = parseListen(c.alerts_page.listen);
  if (!parsed) return `http://${c.alerts_page.listen}`;
  const host = ['0.0.0.0', '::', '[::]', ''].includes(parsed.host) ? '127.0.0.1' : parsed.host;
  return `http://${host.includes(':') && !host.startsWith('[') ? `[${host}]` : host}:${parsed.port}`;
}

/** The dashboard of an account (or the overview without one): Grafana when [grafana] url is set, else the console. */
export function dashboardLink(c: Config, account: string | undefined): string {
  if (c.grafana.url) {
    const base = c.grafana.url.replace(/\/+$/, '');
    return account === undefined
      ? `${base}${dashboardPath('overview')}`
      : `${base}${dashboardPath('overview')}?var-account=${encodeURIComponent(account)}`;
  }
  return account === undefined ? `${consoleUrl(c)}/monitoring` : `${consoleUrl(c)}/monitoring?account=${encodeURIComponent(account)}`;
}
