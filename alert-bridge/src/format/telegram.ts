/**
 * Telegram: HTML parse mode (https://core.telegram.org/bots/api#html-style) within the Bot
 * API's limits: message text at most 4096 characters, callback data 1..64 bytes. Every value
 * is escaped (an unescaped "<" is "can't parse entities"), and alerts are added whole, so a
 * cut never splits a tag or an entity; what does not fit is summarised as "+N more".
 */
import type { Notification } from '../types.js';
import { cut } from './slack.js';
import { buildView, formatTime, type AlertView, type LinkContext } from './view.js';

export const TELEGRAM_LIMITS = { text: 4096, callbackData: 64, buttonRows: 4 };

/** Escapes the characters Telegram's HTML mode reserves (quotes too, for attribute values). */
export function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** Silence button actions: one hour, or until tomorrow's market open. */
export type SilenceAction = '1h' | 'tm';

/** Callback data of a silence button: short, the labels stay on the bridge (64-byte limit). */
export function silenceCallback(action: SilenceAction, fingerprint: string): string {
  return `s:${action}:${fingerprint}`.slice(0, TELEGRAM_LIMITS.callbackData);
}

/** Parses silence callback data; undefined for anything else. */
export function parseSilenceCallback(data: string): { action: SilenceAction; fingerprint: string } | undefined {
  const m = /^s:(1h|tm):([A-Za-z0-9]{1,60})$/.exec(data);
  return m ? { action: m[1] as SilenceAction, fingerprint: m[2] } : undefined;
}

export interface InlineButton {
  text: string;
  callback_data: string;
}

/** What sendMessage gets: the HTML text, and the silence buttons (one row per firing alert). */
export interface TelegramMessage {
  text: string;
  buttons: InlineButton[][];
  /** The firing alerts the buttons silence, by fingerprint: their full label sets. */
  silenceable: Array<{ fingerprint: string; labels: Record<string, string> }>;
}

const ICON: Record<string, string> = { critical: '🔴', warning: '🟠', info: '🔵', none: '⚪' };

function link(label: string, url: string | undefined): string | undefined {
  return url ? `<a href="${escapeHtml(url)}">${escapeHtml(label)}</a>` : undefined;
}

function alertBlock(a: AlertView): string {
  const icon = a.status === 'resolved' ? '✅' : (ICON[a.severity] ?? ICON.none);
  const lines = [
    `${icon} <b>${a.status === 'firing' ? 'FIRING' : 'RESOLVED'} ${escapeHtml(cut(a.name, 200))}</b>${a.account ? ` · account ${escapeHtml(a.account)}` : ''} · <i>${escapeHtml(a.severity)}</i>`,
    escapeHtml(cut(a.summary, 500)),
  ];
  if (a.description) lines.push(`<i>${escapeHtml(cut(a.description, 1000))}</i>`);
  if (a.value) lines.push(`Value: <b>${escapeHtml(a.value)}</b>`);
  const extra = Object.entries(a.extraLabels).map(([k, v]) => `${k}=${v}`);
  if (extra.length) lines.push(`<code>${escapeHtml(cut(extra.join(' '), 300))}</code>`);
  lines.push(`Since ${formatTime(a.startsAt)}${a.endsAt ? ` · resolved ${formatTime(a.endsAt)}` : ''}`);
  const links = [link('Dashboard', a.dashboardUrl), link('Runbook', a.runbookUrl), link('Silence in Alertmanager', a.silenceUrl)].filter(
    (l): l is string => l !== undefined && l.length < 1200,
  );
  if (links.length) lines.push(links.join(' · '));
  return lines.join('\n');
}

/** Renders one Telegram message (one notification, or a digest). */
export function renderTelegram(notifications: Notification[], links: LinkContext, id: string): TelegramMessage {
  const view = buildView(notifications, links);
  const head = `<b>${escapeHtml(view.tag)}${view.tag === 'FIRING' && view.severity !== 'none' ? ` ${escapeHtml(view.severity)}` : ''}: ${escapeHtml(cut(view.title, 300))}</b>`;
  const footer = `<i>TraderAdmin · notification ${escapeHtml(cut(id, 100))}</i>`;
  const parts = [head];
  if (view.message) parts.push(escapeHtml(cut(view.message, view.kind === 'summary' ? 3500 : 1500)));
  const alerts = [...view.firing, ...view.resolved];
  // Room for the "+N more" line and the footer.
  const budget = TELEGRAM_LIMITS.text - footer.length - 60;
  let length = parts.join('\n\n').length;
  let shown = 0;
  for (const a of alerts) {
    const block = alertBlock(a);
    if (length + 2 + block.length > budget) break;
    parts.push(block);
    length += 2 + block.length;
    shown++;
  }
  const hidden = alerts.length - shown + view.truncatedAlerts;
  if (hidden > 0) parts.push(`+${hidden} more alert${hidden === 1 ? '' : 's'} not shown`);
  parts.push(footer);

  // Buttons for the firing alerts shown (test notifications get none: nothing to silence).
  const silenceable: TelegramMessage['silenceable'] = [];
  const buttons: InlineButton[][] = [];
  if (view.kind === 'alert') {
    const raw = notifications.flatMap((n) => n.alerts.filter((a) => a.status === 'firing'));
    const firingShown = view.firing.slice(0, Math.min(shown, TELEGRAM_LIMITS.buttonRows));
    for (const a of firingShown) {
      const original = raw.find((r) => r.fingerprint === a.fingerprint);
      if (!original || !/^[A-Za-z0-9]{1,60}$/.test(a.fingerprint)) continue;
      const suffix = view.firing.length > 1 ? ` · ${cut(`${a.name}${a.account ? ` ${a.account}` : ''}`, 40)}` : '';
      buttons.push([
        { text: `Silence 1 h${suffix}`, callback_data: silenceCallback('1h', a.fingerprint) },
        { text: `Silence until tomorrow${suffix}`, callback_data: silenceCallback('tm', a.fingerprint) },
      ]);
      silenceable.push({ fingerprint: a.fingerprint, labels: original.labels });
    }
  }
  return { text: parts.join('\n\n'), buttons, silenceable };
}
