/**
 * SMS through Twilio's Messages API with the twilio library. `api_base_url` points the
 * library at another Twilio-compatible endpoint (a local one in tests) by rewriting the
 * request URL in a RequestClient subclass; the library's own retries are off (the outbox
 * retries, with Retry-After, which the subclass keeps from the response).
 */
import type RequestClient from 'twilio/lib/base/RequestClient.js';
import type { Notifications } from '@traderadmin/config';
import { renderSms } from '../format/sms.js';
import type { LinkContext } from '../format/view.js';
import { checkStatus, networkFailure } from '../delivery/policy.js';
import type { Clock, DeliveryResult, Notifier, OutgoingMessage } from '../types.js';
import { PROVIDER_TIMEOUT_MS } from './provider.js';

const TWILIO_API = 'https://api.twilio.com';

/** Twilio error codes that mean "this number will never work" (https://www.twilio.com/docs/api/errors). */
const INVALID_RECIPIENT_CODES = new Set([21211, 21214, 21217, 21407, 21408, 21610, 21612, 21614]);

/** The twilio library, loaded at the first SMS: ~25 MB resident a bridge without SMS never pays. */
async function loadTwilio() {
  const twilio = (await import('twilio')).default;
  class BaseUrlRequestClient extends twilio.RequestClient {
    lastHeaders: Record<string, unknown> = {};
    constructor(
      private readonly baseUrl: string,
      timeoutMs: number,
    ) {
      super({ timeout: timeoutMs, autoRetry: false, keepAlive: false });
    }
    override async request<TData>(opts: RequestClient.RequestOptions<TData>) {
      if (this.baseUrl !== TWILIO_API && opts.uri.startsWith(TWILIO_API))
        opts = { ...opts, uri: this.baseUrl + opts.uri.slice(TWILIO_API.length) };
      const res = await super.request<TData>(opts);
      this.lastHeaders = (res.headers ?? {}) as Record<string, unknown>;
      return res;
    }
  }
  return { twilio, BaseUrlRequestClient };
}
let twilioLibrary: ReturnType<typeof loadTwilio> | undefined;

export interface SmsNotifierOptions {
  config: Notifications['sms'];
  links: LinkContext;
  clock: Clock;
  /** @default PROVIDER_TIMEOUT_MS (15 s) */
  timeoutMs?: number;
  /** Environment of env: secrets. @default process.env */
  env?: NodeJS.ProcessEnv;
}

/** The SMS channel: one message per number in `to`. */
export function smsNotifier(options: SmsNotifierOptions): Notifier {
  const c = options.config;
  const base = c.api_base_url.replace(/\/+$/, '');
  return {
    channel: 'sms',
    recipients: () => [...c.to],
    async notify(message: OutgoingMessage, signal: AbortSignal): Promise<DeliveryResult> {
      let sid: string;
      let token: string;
      try {
        sid = c.account_sid?.reveal(options.env) ?? '';
        token = c.auth_token?.reveal(options.env) ?? '';
        if (!sid || !token) throw new Error('account_sid and auth_token must be set');
      } catch (error) {
        return { status: 'permanent', reason: 'config', error: `Twilio credentials unavailable: ${(error as Error).message}` };
      }
      const { twilio, BaseUrlRequestClient } = await (twilioLibrary ??= loadTwilio());
      const httpClient = new BaseUrlRequestClient(base, options.timeoutMs ?? PROVIDER_TIMEOUT_MS);
      const client = twilio(sid, token, { httpClient, autoRetry: false });
      const body = renderSms(message.notifications, options.links);
      const aborted = new Promise<never>((_, reject) => {
        if (signal.aborted) reject(signal.reason);
        signal.addEventListener('abort', () => reject(signal.reason), { once: true });
      });
      const send = client.messages.create({ to: message.recipient, from: c.from, body });
      try {
        const sent = await Promise.race([send, aborted]);
        return { status: 'sent', providerId: sent.sid };
      } catch (error) {
        const e = error as { status?: number; code?: number; message?: string; moreInfo?: string };
        if (typeof e.status === 'number') {
          const text = `Twilio ${e.code ?? ''} ${e.message ?? ''}`.replace(/\s+/g, ' ').trim();
          if (e.code !== undefined && INVALID_RECIPIENT_CODES.has(e.code))
            return { status: 'permanent', reason: 'invalid_recipient', error: text };
          const retryAfter = httpClient.lastHeaders['retry-after'];
          const result = checkStatus(e.status, typeof retryAfter === 'string' ? retryAfter : null, '', options.clock.now());
          return result.status === 'sent' ? result : { ...result, error: `HTTP ${e.status}: ${text}` };
        }
        return networkFailure(error);
      } finally {
        send.catch(() => undefined);
      }
    },
    async close() {},
  };
}
