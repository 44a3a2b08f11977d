/**
 * The "Test" buttons: the alert bridge's `POST /api/v1/test-alert {channel, message}` sends a
 * sample alert through the configuration the bridge has loaded and answers what happened per
 * recipient. This client turns every outcome (unreachable, refused, not enabled) into words.
 */
import type { RecipientResult, TestAlertResponse } from './shared/api.js';

export interface TestAlertOptions {
  /** http://host:port of the bridge. */
  bridgeUrl: string;
  /** alert_bridge.auth_token, revealed; sent as a bearer token. */
  token?: string;
  channel: string;
  message?: string;
  fetch?: typeof fetch;
  /** The bridge tries every recipient, with the provider's own timeouts. @default 60000 */
  timeoutMs?: number;
}

/** The message of a test from the page, as the design documents word it. */
export const TEST_MESSAGE = 'This is a test alert from TraderAdmin.';

/** Sends a test alert through the bridge; never throws. */
export async function sendTestAlert(options: TestAlertOptions): Promise<TestAlertResponse> {
  const f = options.fetch ?? fetch;
  const url = `${options.bridgeUrl.replace(/\/+$/, '')}/api/v1/test-alert`;
  let res: Response;
  try {
    res = await f(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(options.token ? { authorization: `Bearer ${options.token}` } : {}) },
      body: JSON.stringify({ channel: options.channel, message: options.message ?? TEST_MESSAGE }),
      signal: AbortSignal.timeout(options.timeoutMs ?? 60_000),
    });
  } catch (error) {
    const e = error as Error & { cause?: { code?: string; message?: string } };
    const cause = e.cause?.code ?? e.cause?.message ?? (e.name === 'TimeoutError' ? 'no answer in time' : e.message);
    return {
      ok: false,
      results: [],
      error: `cannot reach the alert bridge at ${options.bridgeUrl} (${cause}): is it running? ("traderadmin bridge" or "traderadmin up")`,
    };
  }
  let body: { ok?: boolean; results?: RecipientResult[]; error?: string } = {};
  try {
    body = (await res.json()) as typeof body;
  } catch {
    // not JSON: described by the status below
  }
  const results = Array.isArray(body.results)
    ? body.results.map((r: RecipientResult & { providerId?: unknown }) => ({
        channel: String(r.channel),
        recipient: String(r.recipient),
        ok: r.ok === true,
        error: typeof r.error === 'string' ? r.error : undefined,
        detail: typeof r.providerId === 'string' ? `accepted as ${r.providerId}` : undefined,
      }))
    : [];
  if (res.status === 401 || res.status === 403) {
    return { ok: false, results, error: `the alert bridge refused the page (HTTP ${res.status}): check alert_bridge.auth_token` };
  }
  if (res.status === 409) return { ok: false, results, error: body.error ?? `the bridge has no enabled ${options.channel} channel` };
  if (res.status !== 200 && res.status !== 502) {
    return { ok: false, results, error: `the alert bridge answered HTTP ${res.status}${body.error ? `: ${body.error}` : ''}` };
  }
  return {
    ok: res.status === 200 && results.every((r) => r.ok),
    results,
    error: results.length === 0 ? 'the bridge sent nothing' : undefined,
  };
}
