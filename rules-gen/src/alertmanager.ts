/**
 * alertmanager.yml: one receiver per enabled channel, all pointing at the alert bridge,
 * routed by severity; the cooldown as repeat_interval; inhibition; market-hours and
 * restart-window time intervals; the Watchdog on its own fast route.
 */
import type { Config } from '@traderadmin/config';
import { minutesOfDay, Secret } from '@traderadmin/config';
import { ALERTS, alertDefinition, isOn, type AlertDefinition } from './alerts/index.js';
import { duration, type Model } from './model.js';
import type { SecretFile } from './prometheus.js';
import { header, toYaml } from './yaml.js';

export const MARKET_HOURS = 'market-hours';
export const RESTART_WINDOW = 'ib-restart-window';
export const EXCHANGE_HOLIDAYS = 'exchange-holidays';
export const WATCHDOG_RECEIVER = 'bridge-watchdog';
export const BLACKHOLE = 'blackhole';
/** Where the bridge token is written for Alertmanager (relative to alertmanager.yml). */
export const BRIDGE_TOKEN_FILE = 'secrets/alert_bridge_token';
/** Alertmanager's repeat_interval for the Watchdog: the bridge's dead man's switch heartbeat. */
export const WATCHDOG_REPEAT_SECONDS = 60;

const DAY_NAMES = { mon: 'monday', tue: 'tuesday', wed: 'wednesday', thu: 'thursday', fri: 'friday', sat: 'saturday', sun: 'sunday' };
// Alertmanager's week starts on Sunday, and it refuses a range that wraps ("monday:sunday").
const DAY_ORDER: Array<keyof typeof DAY_NAMES> = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];

/** Consecutive days as ranges: mon..fri → ["monday:friday"]; every day → ["sunday:saturday"]. */
export function weekdayRanges(days: readonly string[]): string[] {
  const indexes = [...new Set(days.map((d) => DAY_ORDER.indexOf(d as keyof typeof DAY_NAMES)))].filter((i) => i >= 0).sort((a, b) => a - b);
  const out: string[] = [];
  let start = 0;
  for (let i = 1; i <= indexes.length; i++) {
    if (i === indexes.length || indexes[i] !== indexes[i - 1] + 1) {
      const a = DAY_NAMES[DAY_ORDER[indexes[start]]];
      const b = DAY_NAMES[DAY_ORDER[indexes[i - 1]]];
      out.push(a === b ? a : `${a}:${b}`);
      start = i;
    }
  }
  return out;
}

export const MONTHS = [
  'january',
  'february',
  'march',
  'april',
  'may',
  'june',
  'july',
  'august',
  'september',
  'october',
  'november',
  'december',
];

/** trading.market_holidays as Alertmanager time intervals: one whole day each, in the trading time zone. */
export function holidayIntervals(c: Config): Array<Record<string, unknown>> {
  return c.trading.market_holidays.map((date) => {
    const [year, month, day] = date.split('-').map(Number);
    return { years: [String(year)], months: [MONTHS[month - 1]], days_of_month: [String(day)], location: c.trading.timezone };
  });
}

/** The restart window as same-day pieces: 23:45–00:45 → 23:45–24:00 and 00:00–00:45. */
export function restartWindowTimes(c: Config): Array<{ start_time: string; end_time: string }> {
  const { restart_window_start: start, restart_window_end: end } = c.broker;
  const a = minutesOfDay(start);
  const b = minutesOfDay(end);
  if (a === b) return [];
  if (a < b) return [{ start_time: start, end_time: end }];
  const pieces = [{ start_time: start, end_time: '24:00' }];
  if (b > 0) pieces.push({ start_time: '00:00', end_time: end });
  return pieces;
}

/** One label matcher of an inhibit rule, as Alertmanager reads it (`name="v"`, `name=~"a|b"`). */
export interface LabelMatcher {
  name: string;
  op: '=' | '=~';
  value: string;
}

/** An inhibit rule: while a source alert fires, matching targets with the same `equal` labels are muted. */
export interface InhibitRule {
  source: LabelMatcher[];
  target: LabelMatcher[];
  equal: string[];
  /** Why the rule exists (explain shows it). */
  why: string;
}

export const matcherText = (m: LabelMatcher): string => `${m.name}${m.op}"${m.value}"`;

/** Alertmanager's matching: a missing label is the empty string; regexes are anchored. */
export function matchesLabels(matchers: readonly LabelMatcher[], labels: Readonly<Record<string, string>>): boolean {
  return matchers.every((m) => {
    const v = labels[m.name] ?? '';
    return m.op === '=' ? v === m.value : new RegExp(`^(?:${m.value})$`).test(v);
  });
}

const eq = (name: string, value: string): LabelMatcher => ({ name, op: '=', value });
const re = (name: string, values: string[]): LabelMatcher => ({ name, op: '=~', value: values.join('|') });

/**
 * The inhibit rules of alertmanager.yml, from what each alert module says it mutes (in module
 * order), then the severity rule: written there and read by explain, so the two cannot disagree.
 * An alert's inhibitions are written when it and its targets are all on for this config.
 */
export function inhibitRules(model: Model): InhibitRule[] {
  const c = model.config;
  const rules: InhibitRule[] = [];
  for (const alert of ALERTS) {
    for (const inhibition of alert.inhibits ?? []) {
      if (![alert.name, ...inhibition.targets].every((name) => isOn(c, alertDefinition(name)))) continue;
      const t = inhibition.targets;
      rules.push({
        source: [eq('alertname', alert.name)],
        target: [t.length === 1 ? eq('alertname', t[0]) : re('alertname', [...t])],
        equal: [...inhibition.equal],
        why: inhibition.why,
      });
    }
  }
  rules.push({
    source: [eq('severity', 'critical')],
    target: [eq('severity', 'warning')],
    equal: ['alertname', 'account'],
    why: 'a critical alert says it all: its warning twin of the same account stays quiet',
  });
  return rules;
}

/** The bridge's token, which is also Prometheus's and Alertmanager's password: alert_bridge.auth_token, else the local token. */
export const stackToken = (c: Model['config'], localToken?: string): Secret | undefined =>
  c.alert_bridge.auth_token ?? (localToken ? new Secret(localToken) : undefined);

/** The alerts whose module puts them in this notification window. */
const inWindow = (window: AlertDefinition['window']): string[] => ALERTS.filter((a) => a.window === window).map((a) => a.name);
const alertnames = (names: string[]): string => matcherText(names.length === 1 ? eq('alertname', names[0]) : re('alertname', names));

/** `localToken`: the token of `traderadmin up` (data/secrets/token), used when alert_bridge.auth_token is unset. */
export function alertmanagerYaml(model: Model, localToken?: string): { text: string; secrets: SecretFile[] } {
  const c = model.config;
  const secrets: SecretFile[] = [];
  const token = stackToken(c, localToken);
  if (token) secrets.push({ path: BRIDGE_TOKEN_FILE, secret: token });
  const httpConfig = token ? { http_config: { authorization: { type: 'Bearer', credentials_file: BRIDGE_TOKEN_FILE } } } : {};
  const webhook = (path: string, sendResolved: boolean) => ({
    webhook_configs: [{ url: `${model.bridgeUrl}/api/v1/alertmanager/${path}`, send_resolved: sendResolved, ...httpConfig }],
  });

  const receivers: Array<Record<string, unknown>> = [{ name: BLACKHOLE }];
  for (const ch of model.channels) receivers.push({ name: ch.receiver, ...webhook(ch.channel, true) });
  receivers.push({ name: WATCHDOG_RECEIVER, ...webhook('watchdog', false) });

  const enabled = c.alerts_config.enabled;
  const restart = restartWindowTimes(c);
  const holidays = holidayIntervals(c);
  const timeIntervals: Array<Record<string, unknown>> = [];
  if (enabled) {
    timeIntervals.push({
      name: MARKET_HOURS,
      time_intervals: [
        {
          weekdays: weekdayRanges(c.trading.market_days),
          times: [{ start_time: c.trading.market_open, end_time: c.trading.market_close }],
          location: c.trading.timezone,
        },
      ],
    });
    if (holidays.length > 0) timeIntervals.push({ name: EXCHANGE_HOLIDAYS, time_intervals: holidays });
    if (restart.length > 0) {
      timeIntervals.push({
        name: RESTART_WINDOW,
        time_intervals: restart.map((t) => ({ times: [t], location: c.trading.timezone })),
      });
    }
  }

  const channelRoutes = model.channels.map((ch) => {
    const children: Array<Record<string, unknown>> = [];
    if (enabled) {
      // Market hours on market days, except exchange holidays.
      const marketHours = inWindow('market-hours');
      if (marketHours.length > 0) {
        children.push({
          matchers: [alertnames(marketHours)],
          active_time_intervals: [MARKET_HOURS],
          ...(holidays.length > 0 ? { mute_time_intervals: [EXCHANGE_HOLIDAYS] } : {}),
        });
      }
      const restartMuted = inWindow('outside-restart-window');
      if (restart.length > 0 && restartMuted.length > 0)
        children.push({ matchers: [alertnames(restartMuted)], mute_time_intervals: [RESTART_WINDOW] });
    }
    return {
      receiver: ch.receiver,
      matchers: [ch.severities.length === 1 ? `severity="${ch.severities[0]}"` : `severity=~"${ch.severities.join('|')}"`],
      // Every channel whose severity matches gets the alert, not just the first one.
      continue: true,
      ...(children.length > 0 ? { routes: children } : {}),
    };
  });

  const route = {
    receiver: BLACKHOLE,
    group_by: ['alertname', 'account'],
    group_wait: duration(c.alertmanager.group_wait_seconds),
    group_interval: duration(c.alertmanager.group_interval_seconds),
    // The cooldown. Alertmanager checks it on group_interval ticks only; config validation
    // guarantees it is a multiple of group_interval, so it is honoured exactly.
    repeat_interval: duration(c.alerts_config.cooldown_minutes * 60),
    routes: [
      {
        receiver: WATCHDOG_RECEIVER,
        matchers: ['alertname="Watchdog"'],
        group_by: ['alertname'],
        group_wait: '0s',
        group_interval: duration(WATCHDOG_REPEAT_SECONDS),
        repeat_interval: duration(WATCHDOG_REPEAT_SECONDS),
      },
      ...channelRoutes,
    ],
  };

  const inhibit = inhibitRules(model).map((r) => ({
    source_matchers: r.source.map(matcherText),
    target_matchers: r.target.map(matcherText),
    ...(r.equal.length > 0 ? { equal: [...r.equal] } : {}),
  }));

  const doc: Record<string, unknown> = { route, receivers, inhibit_rules: inhibit };
  if (timeIntervals.length > 0) doc.time_intervals = timeIntervals;
  return { text: header(model.sourceName, model.sha256, 'Alertmanager configuration for TraderAdmin Monitoring.') + toYaml(doc), secrets };
}

export interface AlertmanagerArgsOptions {
  /** Path of the generated alertmanager.yml. */
  configFile?: string;
  /** Alertmanager's data folder (silences, notification log). */
  storagePath?: string;
}

/**
 * Command-line flags for Alertmanager that config.toml decides: web address, cluster
 * gossip address and peers (Alertmanager takes these only as flags, not in its YAML).
 * Without alertmanager.cluster_listen the instance runs alone (gossip switched off).
 */
export function alertmanagerArgs(c: Config, options: AlertmanagerArgsOptions = {}): string[] {
  const args: string[] = [];
  if (options.configFile) args.push(`--config.file=${options.configFile}`);
  if (options.storagePath) args.push(`--storage.path=${options.storagePath}`);
  args.push(`--web.listen-address=${c.alertmanager.listen}`);
  if (c.alertmanager.external_url) args.push(`--web.external-url=${c.alertmanager.external_url}`);
  if (c.alertmanager.cluster_listen) {
    args.push(`--cluster.listen-address=${c.alertmanager.cluster_listen}`);
    for (const peer of c.alertmanager.peers) args.push(`--cluster.peer=${peer}`);
  } else {
    args.push('--cluster.listen-address=');
  }
  return args;
}

/** An alert's labels and the receivers Alertmanager must route it to (amtool config routes test). */
export interface RoutingCase {
  labels: Record<string, string>;
  receivers: string[];
}

/** One case per generated alert: every emitted severity reaches exactly the channels that want it. */
export function routingCases(model: Model): RoutingCase[] {
  const seen = new Set<string>();
  const cases: RoutingCase[] = [];
  for (const rule of model.alerts) {
    if (seen.has(rule.alert)) continue;
    seen.add(rule.alert);
    const labels = { alertname: rule.alert, severity: rule.severity, account: 'DU1234567' };
    if (rule.alert === 'Watchdog') {
      cases.push({ labels, receivers: [WATCHDOG_RECEIVER] });
      continue;
    }
    const receivers = model.channels.filter((ch) => ch.severities.includes(rule.severity as never)).map((ch) => ch.receiver);
    cases.push({ labels, receivers: receivers.length ? receivers : [BLACKHOLE] });
  }
  return cases;
}
