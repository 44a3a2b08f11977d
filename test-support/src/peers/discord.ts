/**
 * A Discord incoming-webhook endpoint (discord-api-docs "Execute Webhook") that checks the
 * payload rules: content ≤ 2000, ≤ 10 embeds, title ≤ 256, description ≤ 4096, ≤ 25 fields
 * (name ≤ 256, value ≤ 1024), footer ≤ 2048, all embeds ≤ 6000, and, as this project asks,
 * `allowed_mentions.parse` empty and no live mention (@everyone, @here, <@id>) in any text.
 * Breaking a rule gets 400 {code: 50035}. Rate limit: `limit` messages per `windowMs`, with
 * X-RateLimit-* headers, then 429 {retry_after (float s), global: false}.
 */
import { startHttpPeer, type HttpPeer } from './http.js';

export interface DiscordPeer extends HttpPeer {
  readonly webhookUrl: string;
  /** Bodies accepted. */
  messages(): Array<{ content?: string; embeds?: Array<Record<string, unknown>>; allowed_mentions?: unknown }>;
  lastProblems(): string[];
}

const MENTION = /@(everyone|here)\b|<@[!&]?\d+>|<#\d+>/;

/** Every rule the payload breaks (empty when valid). */
export function discordPayloadProblems(payload: unknown): string[] {
  const p = payload as { content?: unknown; embeds?: unknown; allowed_mentions?: { parse?: unknown } };
  if (typeof p !== 'object' || p === null) return ['body is not a JSON object'];
  const problems: string[] = [];
  const texts: string[] = [];
  if (p.content !== undefined) {
    if (typeof p.content !== 'string' || p.content.length > 2000) problems.push('content must be a string of at most 2000 characters');
    else texts.push(p.content);
  }
  const embeds = (p.embeds ?? []) as Array<Record<string, unknown>>;
  if (!Array.isArray(embeds)) return [...problems, 'embeds is not an array'];
  if (!p.content && embeds.length === 0) problems.push('Cannot send an empty message');
  if (embeds.length > 10) problems.push(`${embeds.length} embeds (max 10)`);
  let total = 0;
  embeds.forEach((e, i) => {
    const title = (e.title as string | undefined) ?? '';
    const description = (e.description as string | undefined) ?? '';
    const footer = ((e.footer as { text?: string } | undefined)?.text as string | undefined) ?? '';
    const fields = (e.fields ?? []) as Array<{ name?: string; value?: string }>;
    if (title.length > 256) problems.push(`embeds[${i}].title > 256`);
    if (description.length > 4096) problems.push(`embeds[${i}].description > 4096`);
    if (footer.length > 2048) problems.push(`embeds[${i}].footer.text > 2048`);
    if (fields.length > 25) problems.push(`embeds[${i}] has ${fields.length} fields (max 25)`);
    if (e.color !== undefined && (typeof e.color !== 'number' || e.color < 0 || e.color > 0xffffff))
      problems.push(`embeds[${i}].color invalid`);
    for (const f of fields) {
      if (!f.name || f.name.length > 256) problems.push(`embeds[${i}] field name must be 1..256`);
      if (!f.value || f.value.length > 1024) problems.push(`embeds[${i}] field value must be 1..1024`);
      texts.push(f.name ?? '', f.value ?? '');
    }
    total +=
      title.length + description.length + footer.length + fields.reduce((s, f) => s + (f.name?.length ?? 0) + (f.value?.length ?? 0), 0);
    texts.push(title, description, footer);
  });
  if (total > 6000) problems.push(`embeds total ${total} > 6000`);
  const parse = p.allowed_mentions?.parse;
  if (!Array.isArray(parse) || parse.length > 0) problems.push('allowed_mentions.parse must be []');
  const live = texts.find((t) => MENTION.test(t));
  if (live !== undefined) problems.push(`live mention in ${JSON.stringify(live.slice(0, 80))}`);
  return problems;
}

export async function startDiscordPeer(options: { port?: number; limit?: number; windowMs?: number } = {}): Promise<DiscordPeer> {
  const hookPath = '/api/webhooks/112233445566778899/discordWebhookSecretToken_0123456789';
  const limit = options.limit ?? 5;
  const windowMs = options.windowMs ?? 2000;
  let problems: string[] = [];
  let windowStart = 0;
  let used = 0;
  let nextId = 1;
  const peer = await startHttpPeer((req, body) => {
    const url = new URL(req.url ?? '/', 'http://peer');
    if (req.method !== 'POST') return { status: 405, body: JSON.stringify({ message: '405: Method Not Allowed', code: 0 }) };
    if (url.pathname !== hookPath) return { status: 404, body: JSON.stringify({ message: 'Unknown Webhook', code: 10015 }) };
    const now = Date.now();
    if (now - windowStart >= windowMs) {
      windowStart = now;
      used = 0;
    }
    const resetAfter = Math.max(0.001, (windowStart + windowMs - now) / 1000);
    const headers = (remaining: number): Record<string, string> => ({
      'content-type': 'application/json',
      'x-ratelimit-limit': String(limit),
      'x-ratelimit-remaining': String(remaining),
      'x-ratelimit-reset-after': resetAfter.toFixed(3),
      'x-ratelimit-reset': ((windowStart + windowMs) / 1000).toFixed(3),
      'x-ratelimit-bucket': 'b0001',
    });
    if (used >= limit)
      return {
        status: 429,
        body: JSON.stringify({ message: 'You are being rate limited.', retry_after: Number(resetAfter.toFixed(3)), global: false }),
        headers: { ...headers(0), 'retry-after': String(Math.ceil(resetAfter)), 'x-ratelimit-scope': 'user' },
      };
    let payload: unknown;
    try {
      payload = JSON.parse(body);
    } catch {
      return { status: 400, body: JSON.stringify({ message: 'The request body contains invalid JSON.', code: 50109 }) };
    }
    used++;
    problems = discordPayloadProblems(payload);
    if (problems.length)
      return {
        status: 400,
        body: JSON.stringify({ message: 'Invalid Form Body', code: 50035, errors: problems }),
        headers: headers(limit - used),
      };
    if (url.searchParams.get('wait') !== 'true') return { status: 204, headers: headers(limit - used) };
    return {
      status: 200,
      body: JSON.stringify({ id: String(1_100_000_000_000_000 + nextId++), ...(payload as object) }),
      headers: headers(limit - used),
    };
  }, options);
  return Object.assign(peer, {
    webhookUrl: `${peer.url}${hookPath}`,
    messages: () => peer.requests.filter((r) => r.status === 200 || r.status === 204).map((r) => JSON.parse(r.body)),
    lastProblems: () => problems,
  });
}
