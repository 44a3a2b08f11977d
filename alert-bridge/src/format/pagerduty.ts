/**
 * PagerDuty Events API v2 (developer.pagerduty.com/docs/events-api-v2/trigger-events):
 * one event per alert group. The dedup key is the SHA-256 of the group key (as Alertmanager's
 * own receiver does), so a reminder updates the incident and the resolve closes it; summary at
 * most 1024 characters; severity one of critical, error, warning, info.
 */
import { createHash } from 'node:crypto';
import type { Notification } from '../types.js';
import { cut } from './slack.js';
import { buildView, type LinkContext } from './view.js';

export const PAGERDUTY_LIMITS = { summary: 1024, dedupKey: 255, customDetails: 50 };

const SEVERITY: Record<string, 'critical' | 'error' | 'warning' | 'info'> = {
  critical: 'critical',
  warning: 'warning',
  info: 'info',
  none: 'info',
};

export interface PagerDutyEvent {
  routing_key: string;
  event_action: 'trigger' | 'resolve';
  dedup_key: string;
  payload?: {
    summary: string;
    source: string;
    severity: 'critical' | 'error' | 'warning' | 'info';
    timestamp?: string;
    component?: string;
    group?: string;
    class?: string;
    custom_details?: Record<string, unknown>;
  };
  links?: Array<{ href: string; text: string }>;
  client: string;
  client_url?: string;
}

/** The dedup key of an alert group. */
export function dedupKey(groupKey: string): string {
  return createHash('sha256').update(groupKey).digest('hex');
}

/** The event for one notification: trigger while any alert of the group fires, else resolve. */
export function renderPagerDuty(n: Notification, links: LinkContext, routingKey: string, id: string): PagerDutyEvent {
  const key = dedupKey(n.groupKey);
  // Where the incident's "view in TraderAdmin" goes: Alertmanager's UI when there is one, else the console's Alerts view.
  const clientUrl = links.alertmanagerUrl ?? `${links.consoleUrl.replace(/\/+$/, '')}/alerts`;
  const base = { routing_key: routingKey, dedup_key: key, client: 'TraderAdmin', client_url: clientUrl };
  if (n.status === 'resolved') return { ...base, event_action: 'resolve' };
  const view = buildView([n], links);
  const firing = view.firing;
  const summary = cut(
    `${view.tag === 'FIRING' ? '' : `${view.tag}: `}${view.title}${firing.length ? ` — ${firing.map((a) => a.summary).join('; ')}` : view.message ? ` — ${view.message}` : ''}`,
    PAGERDUTY_LIMITS.summary,
  );
  const first = firing[0];
  const details: Record<string, unknown> = { notification_id: id, firing: firing.length };
  firing.slice(0, PAGERDUTY_LIMITS.customDetails).forEach((a, i) => {
    details[`alert_${i + 1}`] = `${a.name}${a.account ? ` ${a.account}` : ''}: ${a.description || a.summary}`;
  });
  if (view.truncatedAlerts) details.truncated_alerts = view.truncatedAlerts;
  if (view.message) details.message = view.message;
  const linkList = [
    first?.dashboardUrl ? { href: first.dashboardUrl, text: 'Dashboard' } : undefined,
    first?.runbookUrl ? { href: first.runbookUrl, text: 'Runbook' } : undefined,
    first?.silenceUrl ? { href: first.silenceUrl, text: 'Silence in Alertmanager' } : undefined,
  ].filter((l): l is { href: string; text: string } => l !== undefined);
  return {
    ...base,
    event_action: 'trigger',
    payload: {
      summary,
      source: first?.account ? `traderadmin account ${first.account}` : 'traderadmin',
      severity: SEVERITY[view.severity] ?? 'info',
      timestamp: first && Date.parse(first.startsAt) > 0 ? first.startsAt : undefined,
      component: first?.extraLabels.component ?? first?.extraLabels.gateway,
      group: first?.account,
      class: first?.name,
      custom_details: details,
    },
    links: linkList,
  };
}
