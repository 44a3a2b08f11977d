/**
 * `explain`: for each alert, when each channel hears about it, derived from the same model
 * as the generated files: scrape and evaluation delay, `for`, group_wait, group_interval,
 * repeat_interval (the cooldown), time intervals and inhibition. Answers the recurring
 * "why did/didn't I get paged, and when" question about Alertmanager timers.
 */
import { CHANNELS, type LoadedConfig } from '@traderadmin/config';
import { WATCHDOG_REPEAT_SECONDS, inhibitRules, matchesLabels, restartWindowTimes, weekdayRanges } from './alertmanager.js';
import { ALERTS, alertDefinition } from './alerts/index.js';
import { ALERT_NAMES, buildModel, type AlertName, type AlertRule, type Model } from './model.js';

export interface ChannelTimeline {
  channel: string;
  receiver: string;
  notified: boolean;
  /** Why not, or the restriction that applies. */
  note?: string;
  /** First notification, in seconds after the condition starts to hold. */
  firstMinSeconds: number;
  firstMaxSeconds: number;
  /** Re-sent this often while it keeps firing. */
  repeatSeconds: number;
  /** The resolved message, at most this long after the condition stops holding. */
  resolveMaxSeconds?: number;
}

export interface AlertExplanation {
  alert: AlertName;
  generated: boolean;
  severity?: string;
  condition?: string;
  threshold?: string;
  forSeconds: number;
  /** When Prometheus fires, after the condition starts to hold. */
  fireMinSeconds: number;
  fireMaxSeconds: number;
  channels: ChannelTimeline[];
  /** Human text of `inhibitors`. */
  inhibitedBy: string[];
  /** The inhibit rules of alertmanager.yml that can mute it: which alerts, sharing which labels. */
  inhibitors: Inhibitor[];
  notes: string[];
}

export interface Inhibitor {
  /** Generated alerts that mute this one while they fire. */
  by: AlertName[];
  /** Labels both must share (known only when they fire, such as account). */
  sameLabels: string[];
  why: string;
}

/** Alerts whose condition is time() passing a timestamp: no scrape delay, only evaluation. */
const CLOCK_DRIVEN: readonly AlertName[] = ALERTS.filter((a) => a.clockDriven).map((a) => a.name);

const labelsOf = (r: AlertRule): Record<string, string> => ({ ...r.labels, alertname: r.alert, severity: r.severity });

/**
 * Which generated alerts can mute this one, read from the same inhibit rules alertmanager.yml
 * is written from: a rule applies when one of this alert's rules matches its targets and some
 * generated alert matches its sources with equal values of the labels both carry in the rules.
 */
function inhibitors(model: Model, rules: AlertRule[]): Inhibitor[] {
  const out: Inhibitor[] = [];
  for (const rule of inhibitRules(model)) {
    const by = new Set<AlertName>();
    for (const target of rules.map(labelsOf).filter((l) => matchesLabels(rule.target, l))) {
      for (const source of model.alerts) {
        const s = labelsOf(source);
        if (source.alert === 'Watchdog' || !matchesLabels(rule.source, s)) continue;
        if (rule.equal.every((k) => s[k] === undefined || target[k] === undefined || s[k] === target[k])) by.add(source.alert);
      }
    }
    if (by.size === 0) continue;
    const known = (k: string) => rules.some((r) => labelsOf(r)[k] !== undefined);
    out.push({ by: [...by], sameLabels: rule.equal.filter((k) => !known(k)), why: rule.why });
  }
  return out;
}

const inhibitorText = (i: Inhibitor) => `${i.by.join(' or ')}${i.sameLabels.length ? ` of the same ${i.sameLabels.join(' and ')}` : ''}`;

function explainRule(model: Model, alert: AlertName, rules: AlertRule[]): AlertExplanation {
  const c = model.config;
  if (rules.length === 0) {
    const why = !c.alerts_config.enabled
      ? 'not generated: alerts_config.enabled = false'
      : alert === 'ComponentDown'
        ? 'not generated: exporter.heartbeat_components is empty'
        : 'not generated';
    return {
      alert,
      generated: false,
      forSeconds: 0,
      fireMinSeconds: 0,
      fireMaxSeconds: 0,
      channels: [],
      inhibitedBy: [],
      inhibitors: [],
      notes: [why],
    };
  }
  const rule = rules[0];
  const scrape = c.prometheus.scrape_interval_seconds;
  const evaluation = c.prometheus.evaluation_interval_seconds;
  const forSeconds = Math.min(...rules.map((r) => r.forSeconds));
  const detect = CLOCK_DRIVEN.includes(alert) ? evaluation : scrape + evaluation;
  const fireMin = forSeconds;
  const fireMax = detect + forSeconds;
  const groupWait = c.alertmanager.group_wait_seconds;
  const groupInterval = c.alertmanager.group_interval_seconds;
  const cooldown = c.alerts_config.cooldown_minutes * 60;
  const notes: string[] = [];
  if (rules.length > 1)
    notes.push(`${rules.length} rules: ${rules.map((r) => `${r.variant}${r.forSeconds ? ` (for ${r.forSeconds} s)` : ''}`).join(', ')}`);
  notes.push(
    `fires ${fireMin === fireMax ? `${fireMin} s` : `${fireMin}–${fireMax} s`} after the condition starts to hold` +
      ` (${CLOCK_DRIVEN.includes(alert) ? '' : `scrape ≤ ${scrape} s + `}evaluation ≤ ${evaluation} s${forSeconds ? ` + for ${forSeconds} s` : ''})`,
  );
  const channels: ChannelTimeline[] = [];
  if (alert === 'Watchdog') {
    channels.push({
      channel: 'watchdog',
      receiver: 'bridge-watchdog',
      notified: true,
      note: 'the bridge’s dead man’s switch: it raises its own alarm when these stop',
      firstMinSeconds: fireMin,
      firstMaxSeconds: fireMax,
      repeatSeconds: WATCHDOG_REPEAT_SECONDS,
    });
  } else {
    for (const name of CHANNELS) {
      const route = model.channels.find((ch) => ch.channel === name);
      const base = { channel: name, receiver: `bridge-${name}`, firstMinSeconds: 0, firstMaxSeconds: 0, repeatSeconds: 0 };
      if (!route) {
        channels.push({ ...base, notified: false, note: `alerts_config.notifications.${name}.enabled = false` });
        continue;
      }
      if (!route.severities.includes(rule.severity as never)) {
        channels.push({ ...base, notified: false, note: `severity ${rule.severity} is below min_severity = "${route.minSeverity}"` });
        continue;
      }
      let note: string | undefined;
      const window = alertDefinition(alert).window;
      if (window === 'market-hours') {
        const holidays = [...c.trading.market_holidays].sort();
        const except = holidays.length
          ? ` except ${holidays.length} exchange holidays (trading.market_holidays, ${holidays[0]}…${holidays.at(-1)})`
          : '';
        note = `only inside market hours: ${weekdayRanges(c.trading.market_days).join(', ')} ${c.trading.market_open}–${c.trading.market_close} ${c.trading.timezone}${except}; outside them it waits for the next group_interval tick inside them`;
      }
      if (window === 'outside-restart-window' && restartWindowTimes(c).length > 0) {
        note = `muted during the restart window ${c.broker.restart_window_start}–${c.broker.restart_window_end} ${c.trading.timezone}`;
      }
      channels.push({
        ...base,
        notified: true,
        note,
        firstMinSeconds: fireMin + groupWait,
        firstMaxSeconds: fireMax + groupWait,
        repeatSeconds: cooldown,
        resolveMaxSeconds: detect + groupInterval,
      });
    }
  }
  notes.push(
    `a new group waits group_wait ${groupWait} s; if another ${alert} of the same account is already notified, it joins at the next group_interval tick (≤ ${groupInterval} s)`,
  );
  const muted = inhibitors(model, rules);
  return {
    alert,
    generated: true,
    severity: rule.severity,
    condition: rule.expr.replace(/\s+/g, ' '),
    threshold: rule.threshold ? `${rule.threshold.display} (${rule.threshold.key} = ${rule.threshold.configValue})` : undefined,
    forSeconds,
    fireMinSeconds: fireMin,
    fireMaxSeconds: fireMax,
    channels,
    inhibitedBy: muted.map(inhibitorText),
    inhibitors: muted,
    notes,
  };
}

/** Explains one alert, or all of them. Throws for an unknown alert name. */
export function explain(loaded: Pick<LoadedConfig, 'config' | 'sha256' | 'file'>, alert?: string): AlertExplanation[] {
  const model = buildModel(loaded);
  if (alert !== undefined && !ALERT_NAMES.includes(alert as AlertName)) {
    throw new Error(`unknown alert "${alert}"; one of: ${ALERT_NAMES.join(', ')}`);
  }
  const names = alert ? [alert as AlertName] : ALERT_NAMES;
  return names.map((name) =>
    explainRule(
      model,
      name,
      model.alerts.filter((r) => r.alert === name),
    ),
  );
}

function span(min: number, max: number): string {
  if (min === max) return fmt(min);
  return max < 60 ? `${min}–${max} s` : `${fmt(min)}–${fmt(max)}`;
}
function fmt(s: number): string {
  if (s >= 3600 && s % 3600 === 0) return `${s / 3600} h`;
  if (s >= 60 && s % 60 === 0) return `${s / 60} min`;
  return `${s} s`;
}

/** Human text, one block per alert. */
export function formatExplanation(items: AlertExplanation[]): string[] {
  const lines: string[] = [];
  for (const e of items) {
    lines.push(`${e.alert}${e.severity ? ` [${e.severity}]` : ''}`);
    if (!e.generated) {
      lines.push(`  ${e.notes.join('; ')}`, '');
      continue;
    }
    if (e.threshold) lines.push(`  threshold: ${e.threshold}`);
    lines.push(`  condition: ${e.condition}`);
    for (const n of e.notes) lines.push(`  ${n}`);
    for (const ch of e.channels) {
      if (!ch.notified) {
        lines.push(`  ${ch.channel.padEnd(8)} not notified: ${ch.note}`);
        continue;
      }
      const parts = [
        `first ${span(ch.firstMinSeconds, ch.firstMaxSeconds)} after the condition holds`,
        `then every ${fmt(ch.repeatSeconds)} while it fires`,
      ];
      if (ch.resolveMaxSeconds !== undefined) parts.push(`resolved message ≤ ${fmt(ch.resolveMaxSeconds)} after it clears`);
      lines.push(`  ${ch.channel.padEnd(8)} ${parts.join(', ')}${ch.note ? `; ${ch.note}` : ''}`);
    }
    if (e.inhibitedBy.length) lines.push(`  muted while firing: ${e.inhibitedBy.join('; ')}`);
    lines.push('');
  }
  return lines;
}
