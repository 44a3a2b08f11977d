/**
 * A local Telegram Bot API server (core.telegram.org/bots/api) for the bot's tests: getMe,
 * deleteWebhook, getUpdates (long polling: held until an update arrives or `timeout` runs
 * out, updates below `offset` confirmed and dropped), sendMessage (checked like Telegram:
 * 1..4096 characters after entity parsing, only Telegram's HTML tags, balanced, valid
 * entities, callback data 1..64 bytes, a known chat), answerCallbackQuery and
 * editMessageReplyMarkup. A test queues commands and button presses as updates, and can
 * make a method answer 429 with retry_after. A wrong token in the URL gets 401.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export interface TelegramSentMessage {
  message_id: number;
  chat_id: string;
  text: string;
  parse_mode?: string;
  reply_markup?: { inline_keyboard: Array<Array<{ text: string; callback_data?: string; url?: string }>> };
  at: number;
}

export interface TelegramCall {
  method: string;
  /** The request path, token included (for redaction tests). */
  path: string;
  params: Record<string, unknown>;
  status: number;
  at: number;
}

export interface TelegramPeer {
  readonly url: string;
  readonly port: number;
  readonly token: string;
  /** Every Bot API call, in arrival order. */
  readonly calls: TelegramCall[];
  /** Messages accepted by sendMessage. */
  readonly sent: TelegramSentMessage[];
  /** Answers given to callback queries. */
  readonly callbackAnswers: Array<{ callback_query_id: string; text?: string }>;
  /** Why the last rejected sendMessage was rejected. */
  lastProblems(): string[];
  /** Queues a text message (a command) from a chat. */
  sendCommand(chatId: string | number, text: string, from?: { id: number; username?: string }): number;
  /** Queues a button press on a message the bot sent. */
  pressButton(
    message: TelegramSentMessage,
    callbackData: string,
    from?: { id: number; username?: string },
    chatId?: string | number,
  ): number;
  /** The next `times` calls of `method` answer 429 with retry_after. */
  rateLimit(method: string, retryAfterSeconds: number, times?: number): void;
  /** Waits until the bot has fetched every queued update (offset past it). */
  drained(timeoutMs?: number): Promise<void>;
  stop(): Promise<void>;
}

const TAGS = new Set([
  'b',
  'strong',
  'i',
  'em',
  'u',
  'ins',
  's',
  'strike',
  'del',
  'span',
  'tg-spoiler',
  'a',
  'code',
  'pre',
  'blockquote',
  'tg-emoji',
]);

/** Every rule a Telegram HTML text breaks (empty when Telegram would accept it). Returns the plain length too. */
export function telegramHtmlProblems(text: string): { problems: string[]; length: number } {
  const problems: string[] = [];
  const stack: string[] = [];
  let plain = 0;
  const re = /<(\/?)([a-zA-Z-]+)([^>]*)>|&(#?\w+);|&|<|>|[^<>&]+/g;
  for (const m of text.matchAll(re)) {
    if (m[2] !== undefined) {
      const tag = m[2].toLowerCase();
      if (!TAGS.has(tag)) problems.push(`Unsupported start tag "${tag}"`);
      else if (m[1]) {
        if (stack.pop() !== tag) problems.push(`Unmatched end tag "${tag}"`);
      } else stack.push(tag);
    } else if (m[4] !== undefined) {
      if (!/^(lt|gt|amp|quot|#\d+|#x[0-9a-fA-F]+)$/.test(m[4])) problems.push(`Unsupported entity &${m[4]};`);
      plain += 1;
    } else if (m[0] === '&' || m[0] === '<' || m[0] === '>') {
      if (m[0] !== '>') problems.push(`Can't parse entities: unescaped "${m[0]}"`);
      plain += 1;
    } else plain += [...m[0]].length;
  }
  if (stack.length) problems.push(`Can't parse entities: unclosed <${stack.join('>, <')}>`);
  if (plain === 0) problems.push('message text is empty');
  if (plain > 4096) problems.push(`message is too long (${plain} > 4096)`);
  return { problems, length: plain };
}

export interface TelegramPeerOptions {
  token?: string;
  /** Chats sendMessage accepts; others get 400 "chat not found". @default any */
  chats?: Array<string | number>;
  /** Longest hold of a getUpdates call, whatever `timeout` asks. @default 30 */
  maxPollSeconds?: number;
}

export async function startTelegramPeer(options: TelegramPeerOptions = {}): Promise<TelegramPeer> {
  const token = options.token ?? '7012345678:AAHtelegramTestToken_0123456789abcdef';
  const chats = options.chats ? new Set(options.chats.map(String)) : undefined;
  const calls: TelegramCall[] = [];
  const sent: TelegramSentMessage[] = [];
  const callbackAnswers: Array<{ callback_query_id: string; text?: string }> = [];
  const updates: Array<{ update_id: number } & Record<string, unknown>> = [];
  const waiting = new Set<() => void>();
  const limits = new Map<string, { retryAfter: number; times: number }>();
  let problems: string[] = [];
  let nextUpdate = 1;
  let nextMessage = 100;
  let confirmed = 0;
  const sockets = new Set<Socket>();
  const now = () => Math.floor(Date.now() / 1000);
  const wake = () => {
    for (const w of [...waiting]) w();
  };

  const answer = (res: ServerResponse, status: number, body: unknown) => {
    if (res.destroyed) return;
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  };
  const fail = (status: number, description: string, parameters?: Record<string, unknown>) => ({
    status,
    body: { ok: false, error_code: status, description, ...(parameters ? { parameters } : {}) },
  });

  const handle = async (method: string, p: Record<string, unknown>, res: ServerResponse): Promise<{ status: number; body: unknown }> => {
    const limit = limits.get(method);
    if (limit && limit.times > 0) {
      limit.times--;
      return fail(429, `Too Many Requests: retry after ${limit.retryAfter}`, { retry_after: limit.retryAfter });
    }
    switch (method) {
      case 'getMe':
        return {
          status: 200,
          body: {
            ok: true,
            result: {
              id: Number(token.split(':')[0]),
              is_bot: true,
              first_name: 'TraderAdmin Test',
              username: 'traderadmin_test_bot',
              can_join_groups: true,
              can_read_all_group_messages: false,
              supports_inline_queries: false,
            },
          },
        };
      case 'deleteWebhook':
        return { status: 200, body: { ok: true, result: true } };
      case 'getUpdates': {
        const offset = Number(p.offset ?? 0);
        if (offset > 0) {
          confirmed = Math.max(confirmed, offset);
          while (updates.length && updates[0].update_id < offset) updates.shift();
          wake();
        }
        const timeout = Math.min(Number(p.timeout ?? 0), options.maxPollSeconds ?? 30);
        const deadline = Date.now() + timeout * 1000;
        while (updates.length === 0 && Date.now() < deadline && !res.destroyed) {
          await new Promise<void>((resolve) => {
            const done = () => {
              waiting.delete(done);
              clearTimeout(t);
              resolve();
            };
            const t = setTimeout(done, Math.max(0, deadline - Date.now()));
            res.once('close', done);
            waiting.add(done);
          });
        }
        return { status: 200, body: { ok: true, result: updates.slice(0, Number(p.limit ?? 100)) } };
      }
      case 'sendMessage': {
        const chat = String(p.chat_id ?? '');
        const text = typeof p.text === 'string' ? p.text : '';
        problems = [];
        if (!chat) return fail(400, 'Bad Request: chat_id is empty');
        if (chats && !chats.has(chat)) return fail(400, 'Bad Request: chat not found');
        if (p.parse_mode === 'HTML') problems.push(...telegramHtmlProblems(text).problems);
        else if (text.length === 0 || text.length > 4096) problems.push('text must be 1..4096 characters');
        const markup = p.reply_markup as TelegramSentMessage['reply_markup'] | undefined;
        for (const row of markup?.inline_keyboard ?? [])
          for (const b of row) {
            if (b.callback_data !== undefined && (Buffer.byteLength(b.callback_data) < 1 || Buffer.byteLength(b.callback_data) > 64))
              problems.push('BUTTON_DATA_INVALID');
            if (!b.text) problems.push('button text is empty');
          }
        if (problems.length) return fail(400, `Bad Request: ${problems[0]}`);
        const m: TelegramSentMessage = {
          message_id: nextMessage++,
          chat_id: chat,
          text,
          parse_mode: p.parse_mode as string | undefined,
          reply_markup: markup,
          at: Date.now(),
        };
        sent.push(m);
        return {
          status: 200,
          body: { ok: true, result: { message_id: m.message_id, date: now(), chat: { id: Number(chat), type: 'private' }, text } },
        };
      }
      case 'answerCallbackQuery': {
        const text = p.text as string | undefined;
        if (text && text.length > 200) return fail(400, 'Bad Request: MESSAGE_TOO_LONG');
        callbackAnswers.push({ callback_query_id: String(p.callback_query_id), text });
        return { status: 200, body: { ok: true, result: true } };
      }
      case 'editMessageReplyMarkup': {
        const m = sent.find((s) => s.message_id === Number(p.message_id) && s.chat_id === String(p.chat_id));
        if (!m) return fail(400, 'Bad Request: message to edit not found');
        m.reply_markup = p.reply_markup as TelegramSentMessage['reply_markup'];
        return { status: 200, body: { ok: true, result: true } };
      }
      default:
        return fail(404, 'Not Found');
    }
  };

  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      void (async () => {
        const url = new URL(req.url ?? '/', 'http://peer');
        const m = /^\/bot([^/]+)\/(\w+)$/.exec(url.pathname);
        const raw = Buffer.concat(chunks).toString('utf8');
        let params: Record<string, unknown> = Object.fromEntries(url.searchParams);
        try {
          if (raw) params = { ...params, ...(JSON.parse(raw) as Record<string, unknown>) };
        } catch {
          params = { ...params, ...Object.fromEntries(new URLSearchParams(raw)) };
        }
        let r: { status: number; body: unknown };
        if (!m) r = fail(404, 'Not Found');
        else if (decodeURIComponent(m[1]) !== token) r = fail(401, 'Unauthorized');
        else r = await handle(m[2], params, res);
        calls.push({ method: m?.[2] ?? '', path: url.pathname, params, status: r.status, at: Date.now() });
        answer(res, r.status, r.body);
      })();
    });
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const user = (from?: { id: number; username?: string }) => ({
    id: from?.id ?? 4242,
    is_bot: false,
    first_name: 'Trader',
    username: from?.username ?? 'trader',
  });
  const chatOf = (id: string | number) => ({ id: Number(id), type: 'private' as const });
  const queue = (u: Record<string, unknown>) => {
    const update_id = nextUpdate++;
    updates.push({ update_id, ...u });
    wake();
    return update_id;
  };
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    token,
    calls,
    sent,
    callbackAnswers,
    lastProblems: () => problems,
    sendCommand(chatId, text, from) {
      const command = /^\/\w+/.exec(text)?.[0];
      return queue({
        message: {
          message_id: nextMessage++,
          date: now(),
          chat: chatOf(chatId),
          from: user(from),
          text,
          ...(command ? { entities: [{ type: 'bot_command', offset: 0, length: command.length }] } : {}),
        },
      });
    },
    pressButton(message, callbackData, from, chatId) {
      return queue({
        callback_query: {
          id: `cb${nextUpdate}`,
          from: user(from),
          chat_instance: 'ci1',
          data: callbackData,
          message: {
            message_id: message.message_id,
            date: now(),
            chat: chatOf(chatId ?? message.chat_id),
            text: message.text,
            reply_markup: message.reply_markup,
          },
        },
      });
    },
    rateLimit(method, retryAfterSeconds, times = 1) {
      limits.set(method, { retryAfter: retryAfterSeconds, times });
    },
    async drained(timeoutMs = 10_000) {
      const deadline = Date.now() + timeoutMs;
      while (confirmed < nextUpdate) {
        if (Date.now() > deadline) throw new Error(`the bot did not fetch update ${nextUpdate - 1} within ${timeoutMs} ms`);
        await new Promise((r) => setTimeout(r, 20));
      }
    },
    stop: () =>
      new Promise<void>((resolve) => {
        wake();
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
