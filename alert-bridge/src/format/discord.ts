/**
 * Discord: an incoming-webhook body within Discord's limits (discord-api-docs, "Execute
 * Webhook" and "Embed Limits"): content 2000 characters, 10 embeds, title 256, description
 * 4096, 25 fields (name 256, value 1024), footer 2048, all embeds together 6000. Embeds are
 * coloured by severity. Every value is escaped for Discord markdown and mentions are broken
 * up (and `allowed_mentions` parses none), so no alert text can ping @everyone.
 */
import type { Notification } from '../types.js';
import { cut } from './slack.js';
import { buildView, formatTime, type AlertView, type LinkContext } from './view.js';

export const DISCORD_LIMITS = {
  content: 2000,
  embeds: 10,
  title: 256,
  description: 4096,
  fields: 25,
  fieldValue: 1024,
  footer: 2048,
  total: 6000,
};

export const SEVERITY_COLOURS: Record<string, number> = {
  critical: 0xd92d20,
  warning: 0xf79009,
  info: 0x2e90fa,
  none: 0x98a2b3,
  resolved: 0x12b76a,
};

export interface DiscordEmbed {
  title: string;
  description?: string;
  url?: string;
  color: number;
  fields?: Array<{ name: string; value: string; inline?: boolean }>;
  footer?: { text: string };
  timestamp?: string;
}

export interface DiscordMessage {
  content: string;
  username: string;
  embeds: DiscordEmbed[];
  allowed_mentions: { parse: [] };
}

/**
 * Escapes Discord markdown and breaks mentions: "@everyone", "<@123>", "<#1>" and "<@&1>"
 * get a zero-width space after the "@" or "<", so they show as text and never ping.
 */
export function escapeDiscord(s: string): string {
  return s
    .replace(/([\\*_~`|>#[\]])/g, '\\$1')
    .replace(/@/g, '@\u200b')
    .replace(/<(?=[@#:&!a])/g, '<\u200b');
}

const embedLength = (e: DiscordEmbed) =>
  e.title.length +
  (e.description?.length ?? 0) +
  (e.footer?.text.length ?? 0) +
  (e.fields ?? []).reduce((s, f) => s + f.name.length + f.value.length, 0);

function alertEmbed(a: AlertView): DiscordEmbed {
  const lines = [escapeDiscord(cut(a.summary, 500))];
  if (a.description) lines.push(`*${escapeDiscord(cut(a.description, 1500))}*`);
  if (a.value) lines.push(`Value: **${escapeDiscord(a.value)}**`);
  const links = [
    ['Dashboard', a.dashboardUrl],
    ['Runbook', a.runbookUrl],
    ['Silence', a.silenceUrl],
  ].filter((l): l is [string, string] => l[1] !== undefined && l[1].length < 1000 && !/[()\s]/.test(l[1]));
  if (links.length) lines.push(links.map(([label, url]) => `[${label}](${url})`).join(' · '));
  const fields = [{ name: 'Severity', value: escapeDiscord(a.severity), inline: true }];
  if (a.account) fields.push({ name: 'Account', value: escapeDiscord(a.account), inline: true });
  fields.push({ name: a.endsAt ? 'Resolved' : 'Since', value: escapeDiscord(formatTime(a.endsAt ?? a.startsAt) || '—'), inline: true });
  const extra = Object.entries(a.extraLabels).map(([k, v]) => `${k}=${v}`);
  if (extra.length) fields.push({ name: 'Labels', value: escapeDiscord(cut(extra.join(' '), 900)), inline: false });
  return {
    title: cut(`${a.status === 'firing' ? 'FIRING' : 'RESOLVED'} ${a.name}${a.account ? ` · ${a.account}` : ''}`, DISCORD_LIMITS.title),
    description: cut(lines.join('\n'), DISCORD_LIMITS.description),
    url: a.dashboardUrl && a.dashboardUrl.length < 2000 ? a.dashboardUrl : undefined,
    color: a.status === 'resolved' ? SEVERITY_COLOURS.resolved : (SEVERITY_COLOURS[a.severity] ?? SEVERITY_COLOURS.none),
    fields,
    timestamp: a.endsAt ?? (formatTime(a.startsAt) ? a.startsAt : undefined),
  };
}

/** Renders one Discord webhook body (one notification, or a digest). */
export function renderDiscord(notifications: Notification[], links: LinkContext, id: string): DiscordMessage {
  const view = buildView(notifications, links);
  const head = `**${escapeDiscord(view.tag)}${view.tag === 'FIRING' && view.severity !== 'none' ? ` ${escapeDiscord(view.severity)}` : ''}: ${escapeDiscord(view.title)}**`;
  const content = cut(view.message ? `${head}\n${escapeDiscord(view.message)}` : head, DISCORD_LIMITS.content);
  const embeds: DiscordEmbed[] = [];
  const alerts = [...view.firing, ...view.resolved];
  const footer = { text: `TraderAdmin · notification ${id}`.slice(0, 200) };
  let total = 0;
  let shown = 0;
  for (const a of alerts) {
    const e = alertEmbed(a);
    // Keep one embed slot and some characters for the "+N more" embed.
    if (embeds.length >= DISCORD_LIMITS.embeds - 1 || total + embedLength(e) + footer.text.length > DISCORD_LIMITS.total - 300) break;
    embeds.push(e);
    total += embedLength(e);
    shown++;
  }
  const hidden = alerts.length - shown + view.truncatedAlerts;
  if (hidden > 0) embeds.push({ title: `+${hidden} more alert${hidden === 1 ? '' : 's'} not shown`, color: SEVERITY_COLOURS.none });
  if (embeds.length) embeds[embeds.length - 1].footer = footer;
  return { content, username: 'TraderAdmin', embeds, allowed_mentions: { parse: [] } };
}
