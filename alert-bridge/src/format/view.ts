/**
 * One view of a notification (or a digest of several) that every channel renders: titles,
 * masked accounts, formatted values, and the links (Grafana dashboard, prefilled silence,
 * runbook). Channels only decide layout and length.
 */
import { dashboardPath } from '@traderadmin/config';
import type { AmAlert, Notification } from '../types.js';
import { formatMoneyInText, formatValue, maskAccount, maskAccountsInText } from './values.js';

/** Where links point. */
export interface LinkContext {
  /** An Alertmanager with its web UI (alertmanager.external_url): silence links open it. Unset: the console's silence form. */
  alertmanagerUrl?: string;
  /** Grafana base URL ([grafana] url), used when an alert has no dashboard_url. Unset: the console. */
  grafanaUrl?: string;
  /** The console's base URL (alerts_page.listen): silence and dashboard links when the above are unset. */
  consoleUrl: string;
}

export interface AlertView {
  status: 'firing' | 'resolved';
  name: string;
  severity: string;
  /** Masked account (•••4567), when the alert is about one account. */
  account?: string;
  summary: string;
  description: string;
  /** Formatted value, when the alert carries a raw `value` annotation. */
  value?: string;
  startsAt: string;
  endsAt?: string;
  dashboardUrl?: string;
  runbookUrl?: string;
  silenceUrl?: string;
  fingerprint: string;
  /** Further identifying labels (component, gateway, …), masked. */
  extraLabels: Record<string, string>;
}

export interface MessageView {
  kind: Notification['kind'];
  /** FIRING, RESOLVED, DIGEST, MONITORING DOWN, MONITORING BACK, TEST, DAILY SUMMARY. */
  tag: string;
  title: string;
  /** Worst severity among firing alerts ("none" for Watchdog-only). */
  severity: string;
  firing: AlertView[];
  resolved: AlertView[];
  /** Alerts Alertmanager left out (max_alerts). */
  truncatedAlerts: number;
  /** Number of notifications merged (1 unless a digest). */
  notifications: number;
  /** Free text (watchdog, test). */
  message?: string;
  groupKey: string;
}

const SEVERITY_RANK: Record<string, number> = { critical: 3, warning: 2, info: 1, none: 0 };
const HIDDEN_LABELS = new Set(['alertname', 'severity', 'account', 'prometheus', 'job', 'instance', 'currency']);

/** A prefilled "new silence" link in Alertmanager's UI for these label matchers. */
export function silenceLink(alertmanagerUrl: string, labels: Record<string, string>): string {
  const keys = ['alertname', 'account', 'component', 'gateway'].filter((k) => labels[k] !== undefined);
  const filter = `{${keys.map((k) => `${k}="${labels[k].replace(/["\\]/g, '\\$&')}"`).join(',')}}`;
  return `${alertmanagerUrl.replace(/\/+$/, '')}/#/silences/new?filter=${encodeURIComponent(filter)}`;
}

/** The console's prefilled silence form for this alert and account (one click makes the silence). */
export function consoleSilenceLink(consoleUrl: string, labels: Record<string, string>): string {
  const query = new URLSearchParams({ alertname: labels.alertname ?? '' });
  if (labels.account) query.set('account', labels.account);
  return `${consoleUrl.replace(/\/+$/, '')}/alerts/silence?${query}`;
}

function alertView(a: AmAlert, common: Record<string, string>, links: LinkContext): AlertView {
  const labels = a.labels;
  const accounts = labels.account ? [labels.account] : [];
  const mask = (s: string | undefined) => (s === undefined ? undefined : formatMoneyInText(maskAccountsInText(s, accounts)));
  const ann = { ...common, ...a.annotations };
  const extra: Record<string, string> = {};
  for (const [k, v] of Object.entries(labels)) if (!HIDDEN_LABELS.has(k)) extra[k] = maskAccountsInText(v, accounts);
  const dashboard =
    ann.dashboard_url ??
    (labels.account
      ? links.grafanaUrl
        ? `${links.grafanaUrl.replace(/\/+$/, '')}${dashboardPath('overview')}?var-account=${encodeURIComponent(labels.account)}`
        : `${links.consoleUrl.replace(/\/+$/, '')}/monitoring?account=${encodeURIComponent(labels.account)}`
      : undefined);
  return {
    status: a.status,
    name: labels.alertname ?? 'alert',
    severity: labels.severity ?? 'none',
    account: labels.account ? maskAccount(labels.account) : undefined,
    summary: mask(ann.summary) ?? labels.alertname ?? 'alert',
    description: mask(ann.description) ?? '',
    value: formatValue(ann.value, ann.unit, labels.currency),
    startsAt: a.startsAt,
    endsAt: a.status === 'resolved' ? a.endsAt : undefined,
    dashboardUrl: dashboard,
    runbookUrl: ann.runbook_url,
    silenceUrl:
      a.status !== 'firing'
        ? undefined
        : links.alertmanagerUrl
          ? silenceLink(links.alertmanagerUrl, labels)
          : consoleSilenceLink(links.consoleUrl, labels),
    fingerprint: a.fingerprint,
    extraLabels: extra,
  };
}

/** Builds the view of one notification, or of a digest when several are given. */
export function buildView(notifications: Notification[], links: LinkContext): MessageView {
  const first = notifications[0];
  const firing: AlertView[] = [];
  const resolved: AlertView[] = [];
  for (const n of notifications) {
    for (const a of n.alerts) (a.status === 'firing' ? firing : resolved).push(alertView(a, n.commonAnnotations, links));
  }
  const truncatedAlerts = notifications.reduce((s, n) => s + (n.truncatedAlerts || 0), 0);
  const severity = firing.reduce((w, a) => ((SEVERITY_RANK[a.severity] ?? 0) > (SEVERITY_RANK[w] ?? 0) ? a.severity : w), 'none');
  let tag: string;
  let title: string;
  if (notifications.length > 1) {
    tag = 'DIGEST';
    title = `${notifications.length} notifications: ${firing.length} firing, ${resolved.length} resolved`;
  } else if (first.kind === 'watchdog') {
    tag = first.status === 'firing' ? 'MONITORING DOWN' : 'MONITORING BACK';
    title =
      first.status === 'firing'
        ? 'Monitoring is down: no Watchdog alert from Alertmanager'
        : 'Monitoring is back: Watchdog alerts arrive again';
  } else if (first.kind === 'summary') {
    tag = 'DAILY SUMMARY';
    title = first.groupLabels.title ?? 'Daily summary';
  } else if (first.kind === 'test') {
    tag = 'TEST';
    title = 'Test notification from TraderAdmin';
  } else {
    tag = first.status === 'firing' ? 'FIRING' : 'RESOLVED';
    const name =
      first.commonLabels.alertname ?? first.groupLabels.alertname ?? [...new Set([...firing, ...resolved].map((a) => a.name))].join(', ');
    const account = first.commonLabels.account ? ` ${maskAccount(first.commonLabels.account)}` : '';
    const count = first.alerts.length > 1 ? ` (${first.alerts.length})` : '';
    title = `${name}${account}${count}`;
  }
  return {
    kind: notifications.length > 1 ? 'alert' : first.kind,
    tag,
    title,
    severity,
    firing,
    resolved,
    truncatedAlerts,
    notifications: notifications.length,
    message: notifications.length === 1 ? first.message : undefined,
    groupKey: first.groupKey,
  };
}

/** "2026-11-21 10:02:03 UTC" for a timestamp. */
export function formatTime(iso: string | undefined): string {
  if (!iso) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime()) || d.getUTCFullYear() < 1971) return '';
  return `${d.toISOString().slice(0, 19).replace('T', ' ')} UTC`;
}
