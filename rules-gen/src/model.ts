/**
 * The alerting model: config.toml mapped once to the recording rules, alert rules and
 * routing facts that rules.yml, alertmanager.yml, the promtool tests, `explain` and `diff`
 * are all written from. Names and semantics follow shared/spec/contract.md. Each alert's rules
 * are in its module (alerts/<AlertName>.ts, listed in alerts/index.ts).
 */
import type { AlertSeverity, ChannelName, Config, LoadedConfig } from '@traderadmin/config';
import { CHANNELS, consoleUrl, dashboardPath, parseListen } from '@traderadmin/config';
import { ALERTS, isOn, type AlertName, type AlertRule } from './alerts/index.js';
import { recordingRules, type RecordingRule } from './recording.js';
import { literal } from './template.js';

export { ALERT_NAMES, ALWAYS_ON } from './alerts/index.js';
export type { AlertName, AlertRule, RuleSeverity, Threshold } from './alerts/index.js';
export type { RecordingRule } from './recording.js';
export { EXPORTER_SCOPES, JOBS, POSITIONS_JOB, duration } from './jobs.js';

export interface ChannelRoute {
  channel: ChannelName;
  receiver: string;
  minSeverity: AlertSeverity;
  /** Severities this channel receives, lowest first. */
  severities: AlertSeverity[];
}

export interface Model {
  config: Config;
  sha256: string;
  sourceName: string;
  recording: RecordingRule[];
  alerts: AlertRule[];
  channels: ChannelRoute[];
  /** host:port that other local processes use to reach each part. */
  targets: { exporter: string; bridge: string; prometheus: string; alertmanager: string; supervisor: string };
  bridgeUrl: string;
}

const SEVERITY_ORDER: readonly AlertSeverity[] = ['info', 'warning', 'critical'];

/** host:port to connect to for a listen address: a wildcard host becomes loopback. */
export function connectAddress(listen: string): string {
  const parsed = parseListen(listen);
  if (!parsed) return listen;
  const host = ['0.0.0.0', '::', '[::]', ''].includes(parsed.host) ? '127.0.0.1' : parsed.host;
  return `${host.includes(':') && !host.startsWith('[') ? `[${host}]` : host}:${parsed.port}`;
}

function channelRoutes(c: Config): ChannelRoute[] {
  const out: ChannelRoute[] = [];
  for (const channel of CHANNELS) {
    const n = c.alerts_config.notifications[channel];
    if (!n.enabled) continue;
    const min = SEVERITY_ORDER.indexOf(n.min_severity);
    out.push({ channel, receiver: `bridge-${channel}`, minSeverity: n.min_severity, severities: SEVERITY_ORDER.slice(min) });
  }
  return out;
}

/** Maps a loaded config to the model every output is written from. Pure. */
export function buildModel(loaded: Pick<LoadedConfig, 'config' | 'sha256' | 'file'>): Model {
  const c = loaded.config;
  const bridge = connectAddress(c.alert_bridge.listen);
  return {
    config: c,
    sha256: loaded.sha256,
    sourceName: loaded.file.split(/[\\/]/).at(-1) ?? loaded.file,
    recording: recordingRules(),
    alerts: ALERTS.filter((a) => isOn(c, a)).flatMap((a) => a.rules(c)),
    channels: channelRoutes(c),
    targets: {
      exporter: connectAddress(c.exporter.listen),
      bridge,
      prometheus: connectAddress(c.prometheus.listen),
      alertmanager: connectAddress(c.alertmanager.listen),
      supervisor: connectAddress(c.supervisor.listen),
    },
    bridgeUrl: `http://${bridge}`,
  };
}

/** The runbook link of an alert, as a template (the configured base is literal text). */
export function runbookUrl(c: Config, alert: AlertName): string {
  return `${literal(c.alerts_config.runbook_base_url)}#${alert.toLowerCase()}`;
}

/**
 * The dashboard link of a rule, a template when it names the account: Grafana's dashboards
 * when [grafana] url is set, else the console's views (on every install).
 */
export function dashboardUrl(c: Config, kind: AlertRule['dashboard']): string {
  if (!c.grafana.url) {
    const base = literal(consoleUrl(c));
    switch (kind) {
      case 'account':
        return `${base}/monitoring?account={{ $labels.account }}`;
      case 'overview':
        return `${base}/monitoring`;
      case 'delivery':
        return `${base}/alerts`;
    }
  }
  const base = literal(c.grafana.url.replace(/\/+$/, ''));
  switch (kind) {
    case 'account':
      return `${base}${dashboardPath('overview')}?var-account={{ $labels.account }}`;
    case 'overview':
      return `${base}${dashboardPath('overview')}`;
    case 'delivery':
      return `${base}${dashboardPath('delivery')}`;
  }
}
