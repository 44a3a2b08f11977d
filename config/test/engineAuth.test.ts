import { describe, expect, it } from 'vitest';
import { engineAuthorization, engineFetch } from '../src/index.js';

/** A fetch that records the Authorization header of each call. */
function recorder() {
  const seen: Array<{ url: string; authorization: string | null }> = [];
  const fetchFn = (async (input: string | URL | Request, init?: RequestInit) => {
    const url = input instanceof Request ? input.url : String(input);
    seen.push({ url, authorization: new Headers(init?.headers).get('authorization') });
    return new Response('{}');
  }) as typeof fetch;
  return { seen, fetchFn };
}

describe('engineFetch', () => {
  it('sends the credential to Prometheus and Alertmanager only, and never replaces a caller’s own', async () => {
    const { seen, fetchFn } = recorder();
    let password: string | undefined = 'token-0123456789abcdef';
    const f = engineFetch({ urls: () => ['http://127.0.0.1:9090', 'http://127.0.0.1:9093/'], password: () => password, fetch: fetchFn });
    await f('http://127.0.0.1:9090/api/v1/query?query=up');
    await f(new URL('http://127.0.0.1:9093/api/v2/silences'), { method: 'POST', headers: { 'content-type': 'application/json' } });
    await f('http://127.0.0.1:9464/api/v1/metrics'); // the exporter: not ours to send it to
    await f('http://127.0.0.1:90/api/v1/query'); // another port
    await f('http://127.0.0.1:9093/-/reload', { headers: { authorization: 'Bearer other' } });
    password = undefined; // no token (generate --no-local-token): nothing is added
    await f('http://127.0.0.1:9090/api/v1/query');
    const basic = engineAuthorization('token-0123456789abcdef');
    expect(basic).toBe(`Basic ${Buffer.from('traderadmin:token-0123456789abcdef').toString('base64')}`);
    expect(seen.map((s) => s.authorization)).toEqual([basic, basic, null, null, 'Bearer other', null]);
  });
});
