/**
 * Email: a subject, a text part and an HTML part, threaded per alert group. Every message of
 * one group carries In-Reply-To/References to the same root id derived from the group key, so
 * firing, reminders and resolved land in one thread in mail readers that follow RFC 5322.
 */
import { shortHash } from '../outbox/key.js';
import { formatTime, type AlertView, type LinkContext, type MessageView, buildView } from './view.js';
import type { Notification } from '../types.js';

export interface EmailContent {
  subject: string;
  text: string;
  html: string;
  messageId: string;
  inReplyTo: string;
  references: string;
}

/** Domain for message ids: the sender's domain keeps them unique to this installation. */
function idDomain(from: string): string {
  const at = from.lastIndexOf('@');
  return at >= 0 ? from.slice(at + 1).replace(/[^A-Za-z0-9.-]/g, '') || 'traderadmin.local' : 'traderadmin.local';
}

/** Root Message-ID of an alert group's thread. */
export function threadRootId(groupKey: string, from: string): string {
  return `<alert-group.${shortHash(groupKey, 24)}@${idDomain(from)}>`;
}

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

function textAlert(a: AlertView): string {
  const lines = [`* ${a.status === 'firing' ? 'FIRING' : 'RESOLVED'} ${a.name} [${a.severity}]${a.account ? ` account ${a.account}` : ''}`];
  lines.push(`  ${a.summary}`);
  if (a.description) lines.push(`  ${a.description}`);
  if (a.value) lines.push(`  Value: ${a.value}`);
  for (const [k, v] of Object.entries(a.extraLabels)) lines.push(`  ${k}: ${v}`);
  lines.push(`  Since: ${formatTime(a.startsAt)}${a.endsAt ? `, resolved ${formatTime(a.endsAt)}` : ''}`);
  if (a.dashboardUrl) lines.push(`  Dashboard: ${a.dashboardUrl}`);
  if (a.runbookUrl) lines.push(`  Runbook: ${a.runbookUrl}`);
  if (a.silenceUrl) lines.push(`  Silence: ${a.silenceUrl}`);
  return lines.join('\n');
}

const COLORS: Record<string, string> = { critical: '#c62828', warning: '#ef6c00', info: '#1565c0', none: '#616161', resolved: '#2e7d32' };

function htmlAlert(a: AlertView): string {
  const color = a.status === 'resolved' ? COLORS.resolved : (COLORS[a.severity] ?? COLORS.none);
  const links = [
    a.dashboardUrl ? `<a href="${esc(a.dashboardUrl)}">Dashboard</a>` : '',
    a.runbookUrl ? `<a href="${esc(a.runbookUrl)}">Runbook</a>` : '',
    a.silenceUrl ? `<a href="${esc(a.silenceUrl)}">Silence</a>` : '',
  ].filter(Boolean);
  const extra = Object.entries(a.extraLabels)
    .map(([k, v]) => `<br><small>${esc(k)}: ${esc(v)}</small>`)
    .join('');
  return `<tr><td style="border-left:4px solid ${color};padding:8px 12px">
<strong>${a.status === 'firing' ? 'FIRING' : 'RESOLVED'} ${esc(a.name)}</strong> <small>[${esc(a.severity)}]${a.account ? ` account ${esc(a.account)}` : ''}</small><br>
${esc(a.summary)}${a.description ? `<br><span style="color:#444">${esc(a.description)}</span>` : ''}${a.value ? `<br>Value: <strong>${esc(a.value)}</strong>` : ''}${extra}
<br><small>Since ${esc(formatTime(a.startsAt))}${a.endsAt ? `, resolved ${esc(formatTime(a.endsAt))}` : ''}</small>
${links.length ? `<br>${links.join(' · ')}` : ''}
</td></tr>`;
}

function subjectOf(view: MessageView): string {
  return `[${view.tag}${view.severity !== 'none' && view.tag === 'FIRING' ? ` ${view.severity}` : ''}] ${view.title}`;
}

/** Renders one email (one notification, or a digest). */
export function renderEmail(notifications: Notification[], links: LinkContext, ids: { id: string; from: string }): EmailContent {
  const view = buildView(notifications, links);
  const alerts = [...view.firing, ...view.resolved];
  const intro = view.message ? `${view.message}\n\n` : '';
  const truncated = view.truncatedAlerts > 0 ? `\n\n${view.truncatedAlerts} more alert(s) were left out by Alertmanager.` : '';
  const text = `${view.title}\n\n${intro}${alerts.map(textAlert).join('\n\n')}${truncated}\n\n-- \nTraderAdmin alert bridge, notification ${ids.id}\n`;
  const html = `<!doctype html><html><body style="font-family:system-ui,sans-serif;font-size:14px">
<h2 style="margin:0 0 8px">${esc(view.title)}</h2>
${view.message ? `<p>${esc(view.message)}</p>` : ''}
<table cellspacing="0" cellpadding="0" style="border-collapse:separate;border-spacing:0 6px">${alerts.map(htmlAlert).join('\n')}</table>
${view.truncatedAlerts > 0 ? `<p>${view.truncatedAlerts} more alert(s) were left out by Alertmanager.</p>` : ''}
<p style="color:#888;font-size:12px">TraderAdmin alert bridge, notification ${esc(ids.id)}</p>
</body></html>`;
  const root = threadRootId(view.groupKey, ids.from);
  const domain = root.slice(root.indexOf('@') + 1, -1);
  return {
    subject: subjectOf(view),
    text,
    html,
    messageId: `<${ids.id.replace(/[^A-Za-z0-9.-]/g, '')}.${shortHash(view.groupKey, 12)}@${domain}>`,
    inReplyTo: root,
    references: root,
  };
}
