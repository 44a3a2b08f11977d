/**
 * The form's pure logic, shared by the browser code and the tests: labels, reading typed
 * numbers, where a problem belongs, and the three-way merge that keeps a user's edits when
 * the file changed under them.
 */
import type { Draft, DraftValue, FieldInfo } from './api.js';

/**
 * Channel names as people write them, also the bullets of alert-bridge/README.md "Messages".
 * One per channel of the config schema: test-support/test/channels.test.ts assigns this to a
 * `Record<ChannelName, string>`, so tsc fails when one is missing (the browser code cannot
 * import the schema's types: they bring Node's with them).
 */
export const CHANNEL_TITLES = {
  email: 'Email',
  slack: 'Slack',
  sms: 'SMS',
  webhook: 'Webhook',
  telegram: 'Telegram',
  discord: 'Discord',
  pagerduty: 'PagerDuty',
} as const;

/** A channel's title, or `fallback` for a name the page does not know (a newer server's). */
export function channelTitle(channel: string, fallback = channel): string {
  return Object.hasOwn(CHANNEL_TITLES, channel) ? (CHANNEL_TITLES as Record<string, string>)[channel] : fallback;
}

/**
 * What one row of a channel's list is called, for labels such as "Email recipient 2": one per
 * list key under [alerts_config.notifications.*] (test-support/test/channels.test.ts).
 */
export const ITEM_NAMES: Readonly<Record<string, string>> = {
  recipients: 'recipient',
  to: 'phone number',
  urls: 'URL',
  chat_ids: 'chat id',
};

const ACRONYMS: Record<string, string> = {
  api: 'API',
  smtp: 'SMTP',
  tls: 'TLS',
  url: 'URL',
  urls: 'URLs',
  sid: 'SID',
  sms: 'SMS',
  pnl: 'P&L',
};
/** Unit words a label drops when the unit is shown beside the field anyway. */
const UNIT_WORDS = new Set(['ms', 'seconds', 'minutes']);

/** "max_api_errors_per_hour" → "Max API errors per hour"; the key itself is shown beside it. */
export function humanize(key: string, dropUnit = false): string {
  let words = key.split('_');
  if (dropUnit && words.length > 1 && UNIT_WORDS.has(words[words.length - 1])) words = words.slice(0, -1);
  const text = words.map((w) => ACRONYMS[w] ?? w).join(' ');
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/**
 * The label of a field, from its key path under alerts_config: "Max order latency" (its unit
 * is shown beside it), "Email recipients", "Enable Email notifications".
 */
export function labelOf(path: readonly string[], field?: { unit?: string }): string {
  const key = path[path.length - 1];
  const channel = path.length >= 3 && path[path.length - 3] === 'notifications' ? path[path.length - 2] : undefined;
  if (key === 'enabled') return channel ? `Enable ${channelTitle(channel)} notifications` : 'Alerting enabled';
  const words = humanize(key, field?.unit !== undefined);
  // "Email recipients", but "Email SMTP host".
  if (channel) return `${channelTitle(channel)} ${/^[A-Z][a-z]/.test(words) ? words.charAt(0).toLowerCase() + words.slice(1) : words}`;
  return words;
}

/** The label of row `index` (0-based) of a list field. */
export function itemLabel(path: readonly string[], index: number): string {
  const key = path[path.length - 1];
  const channel = path[path.length - 2];
  return `${channelTitle(channel, humanize(channel))} ${ITEM_NAMES[key] ?? key} ${index + 1}`;
}

/** "between 1 and 600000 ms", "at least 0", or undefined. */
export function rangeText(field: FieldInfo): string | undefined {
  const unit = field.unit ? ` ${field.unit}` : '';
  if (field.min !== undefined && field.max !== undefined) return `between ${field.min} and ${field.max}${unit}`;
  if (field.min !== undefined) return `at least ${field.min}${unit}`;
  if (field.max !== undefined) return `at most ${field.max}${unit}`;
  return undefined;
}

const NUMBER = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;

/**
 * A typed number as the draft carries it: a number when it reads as one, otherwise the text
 * itself, so the server's validation answers with the same message as `traderadmin validate`
 * ("expected an integer, got a string "abc"").
 */
export function readNumber(text: string): number | string {
  const t = text.trim().replace(/_/g, '');
  return NUMBER.test(t) ? Number(t) : text;
}

/** The id of a field's element, from its dotted key path (list rows: `path[2]`). */
export function fieldId(path: string): string {
  return `f-${path.replace(/\[(\d+)\]/g, '-$1').replace(/[^A-Za-z0-9-]/g, '_')}`;
}

/**
 * Where a problem with this key path is shown: the path itself when the form has it, else the
 * nearest enclosing field (a list for its row), else undefined (the general list).
 */
export function problemAnchor(path: string, has: (path: string) => boolean): string | undefined {
  let p = path;
  for (;;) {
    if (has(p)) return p;
    const cut = Math.max(p.lastIndexOf('.'), p.lastIndexOf('['));
    if (cut <= 0) return undefined;
    p = p.slice(0, cut);
  }
}

export function getIn(draft: Draft, path: readonly string[]): DraftValue | Draft | undefined {
  let node: DraftValue | Draft | undefined = draft;
  for (const part of path) {
    if (node === null || typeof node !== 'object' || Array.isArray(node)) return undefined;
    node = (node as Draft)[part];
  }
  return node;
}

export function setIn(draft: Draft, path: readonly string[], value: DraftValue): void {
  let node = draft;
  for (const part of path.slice(0, -1)) {
    const next = node[part];
    node = (next && typeof next === 'object' && !Array.isArray(next) ? next : (node[part] = {})) as Draft;
  }
  node[path[path.length - 1]] = value;
}

export function sameValue(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** Every leaf path of a draft (lists are leaves). */
export function draftLeaves(draft: Draft, prefix: string[] = []): string[][] {
  return Object.entries(draft).flatMap(([key, value]) =>
    value !== null && typeof value === 'object' && !Array.isArray(value) ? draftLeaves(value, [...prefix, key]) : [[...prefix, key]],
  );
}

/**
 * Three-way merge of drafts: `base` is what this page loaded, `mine` what the user has now,
 * `theirs` what the file holds now. A key only one side changed takes that side; a key both
 * changed differently keeps mine and is listed as a conflict, for the user to look at.
 */
export function merge3(base: Draft, mine: Draft, theirs: Draft): { draft: Draft; conflicts: string[] } {
  const out = JSON.parse(JSON.stringify(theirs)) as Draft;
  const conflicts: string[] = [];
  for (const path of draftLeaves(mine)) {
    const m = getIn(mine, path) as DraftValue;
    const b = getIn(base, path);
    const t = getIn(theirs, path);
    if (sameValue(m, b) || sameValue(m, t)) continue;
    if (!sameValue(t, b)) conflicts.push(path.join('.'));
    setIn(out, path, JSON.parse(JSON.stringify(m)) as DraftValue);
  }
  return { draft: out, conflicts };
}
