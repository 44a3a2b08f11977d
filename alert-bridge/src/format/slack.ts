/**
 * Slack: Block Kit within Slack's documented limits (https://api.slack.com/reference/block-kit):
 * at most 50 blocks per message, 3000 characters per section text, 150 per header, 75 per
 * button label, 3000 per button URL, 25 elements per actions block. Alerts that do not fit
 * are summarised as "+N more".
 */
import type { Notification } from '../types.js';
import { buildView, formatTime, type AlertView, type LinkContext } from './view.js';

export const SLACK_LIMITS = { blocks: 50, sectionText: 3000, headerText: 150, buttonText: 75, url: 3000, actionsElements: 25, text: 4000 };

/** The JSON body of an incoming-webhook message. */
export interface SlackMessage {
  text: string;
  blocks: SlackBlock[];
}
export type SlackBlock =
  | { type: 'header'; text: { type: 'plain_text'; text: string; emoji?: boolean } }
  | { type: 'section'; text: { type: 'mrkdwn'; text: string } }
  | { type: 'context'; elements: Array<{ type: 'mrkdwn'; text: string }> }
  | { type: 'actions'; elements: Array<{ type: 'button'; text: { type: 'plain_text'; text: string }; url: string; action_id: string }> }
  | { type: 'divider' };

/** Escapes the three characters Slack mrkdwn reserves. */
export function escapeMrkdwn(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Cuts to `max` characters, ending with "…" when cut. */
export function cut(s: string, max: number): string {
  const chars = [...s];
  return chars.length <= max ? s : `${chars.slice(0, max - 1).join('')}…`;
}

const ICON: Record<string, string> = {
  critical: ':red_circle:',
  warning: ':large_orange_circle:',
  info: ':large_blue_circle:',
  none: ':white_circle:',
};

function alertBlocks(a: AlertView): SlackBlock[] {
  const icon = a.status === 'resolved' ? ':white_check_mark:' : (ICON[a.severity] ?? ICON.none);
  const lines = [
    `${icon} *${escapeMrkdwn(a.status === 'firing' ? 'FIRING' : 'RESOLVED')} ${escapeMrkdwn(a.name)}*${a.account ? ` · account ${escapeMrkdwn(a.account)}` : ''} · _${escapeMrkdwn(a.severity)}_`,
    escapeMrkdwn(a.summary),
  ];
  if (a.description) lines.push(`>${escapeMrkdwn(a.description).replace(/\n/g, '\n>')}`);
  if (a.value) lines.push(`Value: *${escapeMrkdwn(a.value)}*`);
  const extra = Object.entries(a.extraLabels).map(([k, v]) => `${k}=${v}`);
  if (extra.length) lines.push(`\`${escapeMrkdwn(extra.join(' '))}\``);
  lines.push(`Since ${formatTime(a.startsAt)}${a.endsAt ? ` · resolved ${formatTime(a.endsAt)}` : ''}`);
  const blocks: SlackBlock[] = [{ type: 'section', text: { type: 'mrkdwn', text: cut(lines.join('\n'), SLACK_LIMITS.sectionText) } }];
  const buttons: Array<[string, string | undefined]> = [
    ['Dashboard', a.dashboardUrl],
    ['Runbook', a.runbookUrl],
    ['Silence', a.silenceUrl],
  ];
  const elements = buttons
    .filter((b): b is [string, string] => b[1] !== undefined && b[1].length <= SLACK_LIMITS.url)
    .map(([label, url]) => ({
      type: 'button' as const,
      text: { type: 'plain_text' as const, text: cut(label, SLACK_LIMITS.buttonText) },
      url,
      action_id: `${label.toLowerCase()}-${a.fingerprint}`.slice(0, 255),
    }));
  if (elements.length) blocks.push({ type: 'actions', elements });
  return blocks;
}

/** Renders one Slack message (one notification, or a digest). */
export function renderSlack(notifications: Notification[], links: LinkContext, id: string): SlackMessage {
  const view = buildView(notifications, links);
  const headerText = `${view.tag}${view.tag === 'FIRING' && view.severity !== 'none' ? ` ${view.severity}` : ''}: ${view.title}`;
  const blocks: SlackBlock[] = [
    { type: 'header', text: { type: 'plain_text', text: cut(headerText, SLACK_LIMITS.headerText), emoji: true } },
  ];
  if (view.message)
    blocks.push({ type: 'section', text: { type: 'mrkdwn', text: cut(escapeMrkdwn(view.message), SLACK_LIMITS.sectionText) } });
  const alerts = [...view.firing, ...view.resolved];
  // Keep room for the "+N more" section and the footer context.
  const budget = SLACK_LIMITS.blocks - blocks.length - 2;
  let used = 0;
  let shown = 0;
  for (const a of alerts) {
    const b = alertBlocks(a);
    if (used + b.length > budget) break;
    blocks.push(...b);
    used += b.length;
    shown++;
  }
  const hidden = alerts.length - shown + view.truncatedAlerts;
  if (hidden > 0)
    blocks.push({ type: 'section', text: { type: 'mrkdwn', text: `+${hidden} more alert${hidden === 1 ? '' : 's'} not shown` } });
  blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: `TraderAdmin alert bridge · notification ${escapeMrkdwn(id)}` }] });
  // The fallback text (notifications, old clients) is mrkdwn too: escaped, so a summary saying
  // <!channel> or <https://evil|bank> pings nobody and hides no link.
  const text = cut(
    escapeMrkdwn(
      `${headerText}${alerts.length ? ` — ${alerts.map((a) => a.summary).join('; ')}` : view.message ? ` — ${view.message}` : ''}`,
    ),
    SLACK_LIMITS.text,
  );
  return { text, blocks };
}
