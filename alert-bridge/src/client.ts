/**
 * A small client of a running bridge's API, for the CLI, the feature scenarios and scripts.
 * `testAlertNotification` is the design's TestAlertNotification(channelType, message).
 */
import type { ChannelName } from '@traderadmin/config';
import type { ReloadResult, TestAlertResult } from './http/server.js';
import type { SilenceRequest } from './silences.js';

export interface BridgeClientOptions {
  /** Base URL, for example http://127.0.0.1:9095. */
  url: string;
  /** alert_bridge.auth_token, when set. */
  token?: string;
  fetch?: typeof fetch;
  /** @default 60000 */
  timeoutMs?: number;
}

/** Thrown when the bridge cannot be reached at all. */
export class BridgeUnreachableError extends Error {}

/** The bridge's answer: HTTP status and parsed JSON (or text). */
export interface BridgeAnswer<T = unknown> {
  status: number;
  body: T;
}

export class BridgeClient {
  readonly url: string;
  readonly #token?: string;
  readonly #fetch: typeof fetch;
  readonly #timeoutMs: number;

  constructor(options: BridgeClientOptions) {
    this.url = options.url.replace(/\/+$/, '');
    this.#token = options.token;
    this.#fetch = options.fetch ?? fetch;
    this.#timeoutMs = options.timeoutMs ?? 60_000;
  }

  /** One API call; throws BridgeUnreachableError when nothing answers. */
  async request<T = unknown>(method: string, path: string, body?: unknown): Promise<BridgeAnswer<T>> {
    const headers: Record<string, string> = {};
    // Every write is JSON, even without a body: the services refuse other writes (what a web page can send).
    if (method !== 'GET' && method !== 'HEAD') headers['content-type'] = 'application/json';
    if (this.#token) headers.authorization = `Bearer ${this.#token}`;
    let res: Response;
    try {
      res = await this.#fetch(`${this.url}${path}`, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(this.#timeoutMs),
      });
    } catch (error) {
      const cause = (error as { cause?: { code?: string } }).cause?.code ?? (error as Error).message;
      throw new BridgeUnreachableError(`the alert bridge is not reachable at ${this.url} (${cause})`);
    }
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      // a plain-text answer stays text
    }
    return { status: res.status, body: parsed as T };
  }

  /** Sends a sample notification through a channel (or all) now; results per recipient. */
  testAlertNotification(channel: ChannelName | 'all', message?: string) {
    return this.request<{ ok?: boolean; results?: TestAlertResult[]; error?: string }>('POST', '/api/v1/test-alert', { channel, message });
  }

  listSilences(all = false) {
    return this.request<unknown[] | { error: string }>('GET', `/api/v1/silences${all ? '?all=true' : ''}`);
  }

  createSilence(request: SilenceRequest) {
    return this.request<{ silenceID?: string; startsAt?: string; endsAt?: string; error?: string }>('POST', '/api/v1/silences', request);
  }

  expireSilence(id: string) {
    return this.request<{ status?: string; error?: string }>('DELETE', `/api/v1/silences/${encodeURIComponent(id)}`);
  }

  reload() {
    return this.request<ReloadResult>('POST', '/-/reload');
  }
}
