/**
 * Twilio's Messages API as documented (https://www.twilio.com/docs/messaging/api/message-resource):
 * POST /2010-04-01/Accounts/{AccountSid}/Messages.json, HTTP Basic auth with the account SID
 * and auth token, form fields To, From, Body; 201 with a JSON message resource (sid "SM…").
 * Errors are JSON {code, message, more_info, status}: 401/20003 for bad credentials, 400/21211
 * for an invalid To, 400/21602 for a missing Body.
 */
import { randomBytes } from 'node:crypto';
import { startHttpPeer, type HttpPeer } from './http.js';

export interface TwilioPeer extends HttpPeer {
  readonly accountSid: string;
  readonly authToken: string;
  /** Messages accepted (201). */
  messages(): Array<{ sid: string; to: string; from: string; body: string }>;
}

const E164 = /^\+[1-9]\d{6,14}$/;

export async function startTwilioPeer(options: { port?: number; accountSid?: string; authToken?: string } = {}): Promise<TwilioPeer> {
  const accountSid = options.accountSid ?? `AC${randomBytes(16).toString('hex')}`;
  const authToken = options.authToken ?? randomBytes(16).toString('hex');
  const sent: Array<{ sid: string; to: string; from: string; body: string }> = [];
  const error = (status: number, code: number, message: string) => ({
    status,
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ code, message, more_info: `https://www.twilio.com/docs/errors/${code}`, status }),
  });
  const peer = await startHttpPeer((req, body) => {
    const auth = req.headers.authorization ?? '';
    const expected = `Basic ${Buffer.from(`${accountSid}:${authToken}`).toString('base64')}`;
    if (auth !== expected) return error(401, 20003, 'Authentication Error - invalid username');
    const m = /^\/2010-04-01\/Accounts\/([^/]+)\/Messages\.json$/.exec(req.url ?? '');
    if (req.method !== 'POST' || !m) return error(404, 20404, 'The requested resource was not found');
    if (m[1] !== accountSid) return error(403, 20003, 'Authenticate');
    const form = new URLSearchParams(body);
    const to = form.get('To') ?? '';
    const from = form.get('From') ?? '';
    const text = form.get('Body') ?? '';
    if (!to) return error(400, 21604, "A 'To' phone number is required.");
    if (!E164.test(to)) return error(400, 21211, `The 'To' number ${to} is not a valid phone number.`);
    if (!from) return error(400, 21603, "A 'From' phone number is required.");
    if (!text) return error(400, 21602, 'Message body is required.');
    if (text.length > 1600) return error(400, 21617, 'The concatenated message body exceeds the 1600 character limit.');
    const sid = `SM${randomBytes(16).toString('hex')}`;
    sent.push({ sid, to, from, body: text });
    const now = new Date().toUTCString();
    return {
      status: 201,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        sid,
        account_sid: accountSid,
        to,
        from,
        body: text,
        status: 'queued',
        direction: 'outbound-api',
        num_segments: '1',
        num_media: '0',
        api_version: '2010-04-01',
        date_created: now,
        date_updated: now,
        date_sent: null,
        error_code: null,
        error_message: null,
        price: null,
        price_unit: 'USD',
        uri: `/2010-04-01/Accounts/${accountSid}/Messages/${sid}.json`,
      }),
    };
  }, options);
  return Object.assign(peer, { accountSid, authToken, messages: () => [...sent] });
}
