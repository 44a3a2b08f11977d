/**
 * What every notifier does the same way when it calls a provider: the per-request timeout,
 * the options each one is built with, a secret read at delivery time (so `env:` secrets follow
 * reloads), the notifier of a channel that sends to one secret place, and a JSON POST through
 * the injected fetch (no redirects: a webhook URL that redirects is misconfigured, and
 * following it could send the body somewhere else).
 */
import type { ChannelName, Secret } from '@traderadmin/config';
import type { LinkContext } from '../format/view.js';
import { checkStatus, networkFailure } from '../delivery/policy.js';
import type { Clock, DeliveryResult, Notifier, OutgoingMessage } from '../types.js';

/** Per-request timeout of every provider call, unless the bridge is given another. */
export const PROVIDER_TIMEOUT_MS = 15_000;

const USER_AGENT = 'traderadmin-alert-bridge/0.1';

/** How the bridge builds a notifier: its channel's config table plus what every channel shares. */
export interface ProviderOptions<C> {
  config: C;
  links: LinkContext;
  fetch: typeof fetch;
  clock: Clock;
  /** Per-request timeout. @default PROVIDER_TIMEOUT_MS (15 s) */
  timeoutMs?: number;
  /** Environment of env: secrets. @default process.env */
  env?: NodeJS.ProcessEnv;
}

/** The delivery's signal, also aborted when one request takes longer than the timeout. */
export function requestSignal(signal: AbortSignal, timeoutMs = PROVIDER_TIMEOUT_MS): AbortSignal {
  return AbortSignal.any([signal, AbortSignal.timeout(timeoutMs)]);
}

/**
 * A required secret's value now, or the permanent "config" failure to return instead: `what`
 * names it for people ("Slack webhook URL"), `key` for the config file. Never the value.
 */
export function revealSecret(
  secret: Secret | undefined,
  env: NodeJS.ProcessEnv | undefined,
  key: string,
  what: string,
): { value: string } | { failure: DeliveryResult } {
  try {
    const value = secret?.reveal(env) ?? '';
    if (!value) throw new Error(`${key} is not set`);
    return { value };
  } catch (error) {
    return { failure: { status: 'permanent', reason: 'config', error: `${what} unavailable: ${(error as Error).message}` } };
  }
}

/** The secret of a channel that sends to one secret place: `key` names it for the config file, `what` for people. */
export interface SecretTarget {
  secret: Secret | undefined;
  key: string;
  what: string;
  env?: NodeJS.ProcessEnv;
}

/**
 * A channel that sends to one secret place (a webhook URL, a routing key). Its one recipient is
 * the channel's name once the secret is set; each delivery reads the secret afresh (see
 * revealSecret) and hands it to `send`; whatever `send` throws is a network failure.
 */
export function secretTargetNotifier(
  channel: ChannelName,
  target: SecretTarget,
  send: (secret: string, message: OutgoingMessage, signal: AbortSignal) => Promise<DeliveryResult>,
): Notifier {
  return {
    channel,
    recipients: () => (target.secret ? [channel] : []),
    async notify(message, signal) {
      const revealed = revealSecret(target.secret, target.env, target.key, target.what);
      if ('failure' in revealed) return revealed.failure;
      try {
        return await send(revealed.value, message, signal);
      } catch (error) {
        return networkFailure(error);
      }
    },
    async close() {},
  };
}

/** POSTs `body` as JSON to a provider; the caller reads the answer. */
export function postJson(
  o: Pick<ProviderOptions<unknown>, 'fetch' | 'timeoutMs'>,
  url: string | URL,
  body: unknown,
  signal: AbortSignal,
  headers: Record<string, string> = {},
): Promise<Response> {
  return o.fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'user-agent': USER_AGENT, ...headers },
    body: JSON.stringify(body),
    redirect: 'error',
    signal: requestSignal(signal, o.timeoutMs),
  });
}

/** A provider's answer as a delivery result, after its Retry-After unless told another wait. */
export function answerResult(res: Response, text: string, now: number, retryAfter = res.headers.get('retry-after')): DeliveryResult {
  return checkStatus(res.status, retryAfter, text, now);
}
