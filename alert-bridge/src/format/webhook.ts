/**
 * The generic webhook body (documented in alert-bridge/README.md, version "1"): stable field
 * names, accounts masked, links included, and the idempotency key so the receiver can
 * de-duplicate an at-least-once delivery.
 */
import type { Notification } from '../types.js';
import { buildView, type LinkContext } from './view.js';
import { maskAccountsInText } from './values.js';

export interface WebhookAlert {
  status: 'firing' | 'resolved';
  alertname: string;
  severity: string;
  account?: string;
  summary: string;
  description: string;
  value?: string;
  labels: Record<string, string>;
  startsAt: string;
  endsAt?: string;
  fingerprint: string;
  dashboardUrl?: string;
  runbookUrl?: string;
  silenceUrl?: string;
}

export interface WebhookBody {
  version: '1';
  id: string;
  idempotencyKey: string;
  kind: 'alert' | 'watchdog' | 'test' | 'digest' | 'summary';
  status: 'firing' | 'resolved';
  title: string;
  severity: string;
  message?: string;
  receiver: string;
  groupKey: string;
  notifications: number;
  truncatedAlerts: number;
  alerts: WebhookAlert[];
}

/** Renders the webhook JSON body. */
export function renderWebhook(notifications: Notification[], links: LinkContext, ids: { id: string; key: string }): WebhookBody {
  const view = buildView(notifications, links);
  const alerts = [...view.firing, ...view.resolved].map((a): WebhookAlert => ({
    status: a.status,
    alertname: a.name,
    severity: a.severity,
    account: a.account,
    summary: a.summary,
    description: a.description,
    value: a.value,
    labels: a.extraLabels,
    startsAt: a.startsAt,
    endsAt: a.endsAt,
    fingerprint: a.fingerprint,
    dashboardUrl: a.dashboardUrl,
    runbookUrl: a.runbookUrl,
    silenceUrl: a.silenceUrl,
  }));
  const first = notifications[0];
  return {
    version: '1',
    id: ids.id,
    idempotencyKey: ids.key,
    kind: notifications.length > 1 ? 'digest' : first.kind,
    status: view.firing.length > 0 || (first.kind === 'watchdog' && first.status === 'firing') ? 'firing' : 'resolved',
    title: view.title,
    severity: view.severity,
    message: view.message,
    receiver: first.receiver,
    // Alertmanager's group key holds label values; accounts are masked consistently, so it still identifies the group.
    groupKey: maskAccountsInText(first.groupKey, Object.values(first.commonLabels.account ? { a: first.commonLabels.account } : {})),
    notifications: notifications.length,
    truncatedAlerts: view.truncatedAlerts,
    alerts,
  };
}
