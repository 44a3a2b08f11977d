/**
 * A Slack incoming-webhook endpoint that enforces Slack's payload rules
 * (https://api.slack.com/reference/block-kit/blocks): 50 blocks, 3000-character section
 * text, 150-character headers, 75-character button labels, 3000-character URLs, 25 action
 * elements, 10 context elements, escaped mrkdwn. Breaking a rule gets Slack's answer:
 * 400 "invalid_blocks". A wrong path gets 404 "no_service". Success is 200 "ok".
 */
import { startHttpPeer, type HttpPeer } from './http.js';

export interface SlackPeer extends HttpPeer {
  /** The webhook URL to configure (it contains the "secret" path). */
  readonly webhookUrl: string;
  /** Bodies answered 200. */
  messages(): Array<{ text?: string; blocks?: Array<Record<string, unknown>> }>;
  /** Why the last rejected payload was rejected. */
  lastProblems(): string[];
}

/** Every rule the payload breaks (empty when valid). */
export function slackPayloadProblems(payload: unknown): string[] {
  const p = payload as { text?: unknown; blocks?: unknown };
  const problems: string[] = [];
  if (typeof p !== 'object' || p === null) return ['body is not a JSON object'];
  if (p.text === undefined && p.blocks === undefined) problems.push('no text and no blocks');
  if (p.text !== undefined && (typeof p.text !== 'string' || p.text.length > 40000))
    problems.push('text is not a string of at most 40000 characters');
  if (p.blocks !== undefined) {
    if (!Array.isArray(p.blocks)) return [...problems, 'blocks is not an array'];
    if (p.blocks.length > 50) problems.push(`${p.blocks.length} blocks (max 50)`);
    p.blocks.forEach((b: Record<string, unknown>, i: number) => {
      const text = b.text as { type?: string; text?: string } | undefined;
      switch (b.type) {
        case 'header':
          if (text?.type !== 'plain_text' || typeof text.text !== 'string' || text.text.length > 150)
            problems.push(`blocks[${i}] header text must be plain_text ≤ 150`);
          break;
        case 'section':
          if (!text || typeof text.text !== 'string' || text.text.length > 3000 || text.text.length === 0)
            problems.push(`blocks[${i}] section text must be 1..3000 characters`);
          if (text?.type === 'mrkdwn' && /<(?![@#!]|https?:|mailto:)/.test(text.text ?? ''))
            problems.push(`blocks[${i}] mrkdwn has an unescaped "<"`);
          break;
        case 'context': {
          const els = b.elements as unknown[];
          if (!Array.isArray(els) || els.length === 0 || els.length > 10) problems.push(`blocks[${i}] context needs 1..10 elements`);
          break;
        }
        case 'actions': {
          const els = b.elements as Array<{ type?: string; text?: { text?: string }; url?: string }>;
          if (!Array.isArray(els) || els.length === 0 || els.length > 25) problems.push(`blocks[${i}] actions needs 1..25 elements`);
          for (const e of els ?? []) {
            if (e.type === 'button' && ((e.text?.text?.length ?? 0) > 75 || (e.url?.length ?? 0) > 3000))
              problems.push(`blocks[${i}] button label > 75 or url > 3000`);
          }
          break;
        }
        case 'divider':
          break;
        default:
          problems.push(`blocks[${i}] unknown type ${String(b.type)}`);
      }
    });
  }
  return problems;
}

export async function startSlackPeer(options: { port?: number; path?: string } = {}): Promise<SlackPeer> {
  const hookPath = options.path ?? '/services/T0000TEST/B0000TEST/slacksecrettoken0123456789';
  let problems: string[] = [];
  const peer = await startHttpPeer((req, body) => {
    if (req.method !== 'POST') return { status: 405, body: 'invalid_method' };
    if (req.url !== hookPath) return { status: 404, body: 'no_service' };
    let payload: unknown;
    try {
      payload = JSON.parse(body);
    } catch {
      return { status: 400, body: 'invalid_payload' };
    }
    problems = slackPayloadProblems(payload);
    if (problems.length) return { status: 400, body: 'invalid_blocks' };
    return { status: 200, body: 'ok', headers: { 'content-type': 'text/html' } };
  }, options);
  return Object.assign(peer, {
    webhookUrl: `${peer.url}${hookPath}`,
    messages: () => peer.requests.filter((r) => r.status === 200).map((r) => JSON.parse(r.body)),
    lastProblems: () => problems,
  });
}
