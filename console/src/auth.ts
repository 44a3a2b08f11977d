/**
 * Who may use the page. On loopback without a token anyone on this machine may (like the
 * other parts); with alerts_page.auth_token set, the page asks for the token once and keeps a
 * session in an HttpOnly, SameSite=Strict cookie; scripts may send it as a bearer token.
 * Foreign Hosts (DNS rebinding) and cross-site or non-JSON writes are refused before this, by
 * the stack's shared guard (config/src/http/guard.ts).
 */
import { randomBytes } from 'node:crypto';
import { safeEqual } from '@traderadmin/kit';
import type { Request } from 'express';

export const SESSION_COOKIE = 'traderadmin_page_session';

/** A shorter token is refused at start: it could be guessed. */
export const MIN_TOKEN_LENGTH = 16;
/** Wrong tokens allowed per client address in LOGIN_WINDOW_MS before it must wait. */
export const MAX_LOGIN_FAILURES = 5;
export const LOGIN_WINDOW_MS = 5 * 60_000;

export interface AuthOptions {
  /** The token; undefined means no login. */
  token?: string;
  /** Session lifetime. @default 12 hours */
  sessionMs?: number;
  clock?: () => number;
}

interface Session {
  user: string;
  expires: number;
}

function cookies(req: Request): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0) out[part.slice(0, eq).trim()] = decodeURIComponent(part.slice(eq + 1).trim());
  }
  return out;
}

/** A user name a person or proxy gave: printable, short. */
export function cleanUser(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const s = value
    .replace(/[^\p{L}\p{N} ._@+-]/gu, '')
    .trim()
    .slice(0, 64);
  return s || undefined;
}

/** Sessions and the request guards. */
export class PageAuth {
  private readonly sessions = new Map<string, Session>();
  /** Wrong tokens per client address, in the current window. */
  private readonly failures = new Map<string, { count: number; until: number }>();
  private readonly sessionMs: number;
  private readonly clock: () => number;

  constructor(private readonly options: AuthOptions) {
    this.sessionMs = options.sessionMs ?? 12 * 3600_000;
    this.clock = options.clock ?? Date.now;
    if (options.token !== undefined && options.token.length < MIN_TOKEN_LENGTH)
      throw new Error(
        `alerts_page.auth_token is too short: use at least ${MIN_TOKEN_LENGTH} characters (for example: openssl rand -hex 16)`,
      );
  }

  /** Seconds this client must wait before trying a token again, or 0. */
  loginBlockedFor(client: string): number {
    const f = this.failures.get(client);
    if (!f || f.until <= this.clock()) return 0;
    return f.count >= MAX_LOGIN_FAILURES ? Math.ceil((f.until - this.clock()) / 1000) : 0;
  }

  /** Counts a wrong token from this client. */
  loginFailed(client: string): void {
    const now = this.clock();
    const f = this.failures.get(client);
    if (!f || f.until <= now) this.failures.set(client, { count: 1, until: now + LOGIN_WINDOW_MS });
    else f.count++;
    // Bounded: a flood of addresses cannot grow this map without end.
    if (this.failures.size > 10_000) for (const [k, v] of this.failures) if (v.until <= now) this.failures.delete(k);
  }

  get required(): boolean {
    return this.options.token !== undefined;
  }

  /** The session's user, or undefined when the request is not signed in. */
  session(req: Request): Session | undefined {
    if (!this.required) return { user: '', expires: Infinity };
    const bearer = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
    if (bearer !== undefined) return safeEqual(bearer, this.options.token!) ? { user: '', expires: Infinity } : undefined;
    const id = cookies(req)[SESSION_COOKIE];
    const s = id ? this.sessions.get(id) : undefined;
    if (!s) return undefined;
    if (s.expires < this.clock()) {
      this.sessions.delete(id!);
      return undefined;
    }
    return s;
  }

  /** Who did it, for the history: the proxy's user header, the name given at login, or "local user". */
  user(req: Request): string {
    return (
      cleanUser(req.headers['x-remote-user']) ?? cleanUser(req.headers['x-forwarded-user']) ?? (this.session(req)?.user || 'local user')
    );
  }

  /** Checks a token and opens a session; returns the Set-Cookie value, or undefined when wrong. */
  login(token: string, user: string | undefined, secure = false): string | undefined {
    if (!this.required || !safeEqual(token, this.options.token!)) return undefined;
    const now = this.clock();
    for (const [id, s] of this.sessions) if (s.expires < now) this.sessions.delete(id);
    const id = randomBytes(32).toString('base64url');
    this.sessions.set(id, { user: user ?? '', expires: now + this.sessionMs });
    // Secure when the page is served over HTTPS (directly or behind a TLS proxy): never sent in clear.
    return `${SESSION_COOKIE}=${id}; Path=/; HttpOnly; SameSite=Strict${secure ? '; Secure' : ''}; Max-Age=${Math.floor(this.sessionMs / 1000)}`;
  }

  /** Ends the request's session; returns the Set-Cookie value that clears the cookie. */
  logout(req: Request): string {
    const id = cookies(req)[SESSION_COOKIE];
    if (id) this.sessions.delete(id);
    return `${SESSION_COOKIE}=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0`;
  }
}
