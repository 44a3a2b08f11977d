/**
 * Where the links in alerts point, decided once from config.toml for every part that writes
 * one (rules-gen's dashboard_url, the bridge's silence and dashboard links). The console is on
 * every install; Grafana and an Alertmanager with its UI only when the user configured them.
 */
import type { Config } from './configSchema.js';
import { parseListen } from './formats.js';

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
      ? `${base}/d/trader-overview/trading-overview`
      : `${base}/d/trader-overview/trading-overview?var-account=${encodeURIComponent(account)}`;
  }
  return account === undefined ? `${consoleUrl(c)}/monitoring` : `${consoleUrl(c)}/monitoring?account=${encodeURIComponent(account)}`;
}
