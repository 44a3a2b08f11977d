/**
 * SMS: one or two segments at most. GSM-7 fits 160 characters in one segment and 153 per
 * segment when concatenated (306 in two); anything outside GSM-7 switches the whole message to
 * UCS-2: 70, or 67 per segment (134 in two). 3GPP TS 23.038 defines the alphabet.
 */
import type { Notification } from '../types.js';
import { buildView, type LinkContext } from './view.js';

const GSM_BASIC =
  '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà';
/** Characters of the extension table: each costs two septets (escape + char). */
const GSM_EXTENDED = '^{}\\[~]|€\f';

/** True when every character is in the GSM-7 alphabet (basic or extension table). */
export function isGsm7(text: string): boolean {
  for (const ch of text) if (!GSM_BASIC.includes(ch) && !GSM_EXTENDED.includes(ch)) return false;
  return true;
}

/** Length in septets (GSM-7) or UTF-16 code units (UCS-2), as the network counts it. */
export function smsLength(text: string): { encoding: 'GSM-7' | 'UCS-2'; units: number } {
  if (isGsm7(text)) {
    let units = 0;
    for (const ch of text) units += GSM_EXTENDED.includes(ch) ? 2 : 1;
    return { encoding: 'GSM-7', units };
  }
  return { encoding: 'UCS-2', units: text.length };
}

/** Number of segments the message is sent as. */
export function smsSegments(text: string): number {
  const { encoding, units } = smsLength(text);
  const single = encoding === 'GSM-7' ? 160 : 70;
  const multi = encoding === 'GSM-7' ? 153 : 67;
  return units <= single ? 1 : Math.ceil(units / multi);
}

/** Most units allowed in `segments` segments for an encoding. */
export function smsCapacity(encoding: 'GSM-7' | 'UCS-2', segments: 1 | 2): number {
  if (encoding === 'GSM-7') return segments === 1 ? 160 : 306;
  return segments === 1 ? 70 : 134;
}

/** Common typographic characters that have a GSM-7 equivalent, so one of them does not halve the message. */
const TRANSLIT: Record<string, string> = {
  '•': '*',
  '…': '...',
  '–': '-',
  '—': '-',
  '−': '-',
  '‘': "'",
  '’': "'",
  '“': '"',
  '”': '"',
  '·': '-',
  '\u00a0': ' ',
  '\u202f': ' ',
  '≥': '>=',
  '≤': '<=',
};

/** Replaces typographic characters with GSM-7 ones. */
export function toGsmFriendly(text: string): string {
  let out = '';
  for (const ch of text) out += TRANSLIT[ch] ?? ch;
  return out;
}

/**
 * Cuts text to fit in at most `segments` segments, ending with "…" (or "..." in GSM-7).
 * Never splits a surrogate pair.
 */
export function fitSms(text: string, segments: 1 | 2 = 2): string {
  const { encoding } = smsLength(text);
  const capacity = smsCapacity(encoding, segments);
  if (smsLength(text).units <= capacity) return text;
  const ellipsis = encoding === 'GSM-7' ? '...' : '…';
  const chars = [...text];
  let lo = 0;
  let hi = chars.length;
  // Binary search the longest prefix that fits with the ellipsis.
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (smsLength(chars.slice(0, mid).join('').trimEnd() + ellipsis).units <= capacity) lo = mid;
    else hi = mid - 1;
  }
  return chars.slice(0, lo).join('').trimEnd() + ellipsis;
}

const SEV: Record<string, string> = { critical: 'CRIT', warning: 'WARN', info: 'INFO', none: '' };

/**
 * Renders an SMS: tag, alert name, masked account (***4567 in SMS so the text stays GSM-7),
 * the description of a single alert (or each alert's summary in a digest), cut to two segments.
 */
export function renderSms(notifications: Notification[], links: LinkContext): string {
  const view = buildView(notifications, links);
  const parts: string[] = [];
  if (view.kind === 'watchdog' || view.kind === 'test') {
    parts.push(view.title + (view.message ? `: ${view.message}` : ''));
  } else {
    const alerts = [...view.firing, ...view.resolved];
    const head =
      view.notifications > 1 ? `[DIGEST] ${view.title}` : `[${view.tag === 'FIRING' ? SEV[view.severity] || 'FIRING' : 'RESOLVED'}]`;
    parts.push(head);
    for (const a of alerts.slice(0, 10)) {
      const status =
        view.notifications > 1 || view.tag !== (a.status === 'firing' ? 'FIRING' : 'RESOLVED')
          ? `${a.status === 'firing' ? 'FIRING' : 'OK'} `
          : '';
      // One alert: the description, which carries the value and the limit the trader needs to act;
      // a digest: one summary line per alert.
      const text = alerts.length === 1 && a.description ? a.description : a.summary;
      parts.push(`${status}${a.name}${a.account ? ` ${a.account}` : ''}: ${text}${a.value ? ` (${a.value})` : ''}`);
    }
    if (alerts.length > 10) parts.push(`+${alerts.length - 10} more`);
    if (view.truncatedAlerts > 0) parts.push(`+${view.truncatedAlerts} not shown`);
  }
  return fitSms(toGsmFriendly(parts.join('\n')), 2);
}
