/** A generic webhook receiver: records JSON bodies and headers; 200 unless told otherwise. */
import { startHttpPeer, type HttpPeer } from './http.js';

export interface WebhookPeer extends HttpPeer {
  /** Parsed JSON bodies of the requests answered 2xx. */
  accepted(): Array<{ body: unknown; headers: Record<string, string | string[] | undefined> }>;
}

export async function startWebhookPeer(options: { port?: number } = {}): Promise<WebhookPeer> {
  const peer = await startHttpPeer((req, body) => {
    if (req.method !== 'POST') return { status: 405 };
    try {
      JSON.parse(body);
    } catch {
      return { status: 400, body: 'not JSON' };
    }
    return { status: 200, body: '{"ok":true}', headers: { 'content-type': 'application/json' } };
  }, options);
  return Object.assign(peer, {
    accepted: () =>
      peer.requests
        .filter((r) => r.status >= 200 && r.status < 300)
        .map((r) => ({ body: JSON.parse(r.body) as unknown, headers: r.headers })),
  });
}
