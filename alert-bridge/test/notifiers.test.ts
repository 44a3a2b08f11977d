/**
 * Each notifier against its peer, through the real library: how provider answers map to
 * sent / retry / permanent, and that the peers hold providers' rules.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Secret } from '@traderadmin/config';
import { slackNotifier } from '../src/notifiers/slack.js';
import { smsNotifier } from '../src/notifiers/sms.js';
import { emailNotifier } from '../src/notifiers/email.js';
import type { Notification, OutgoingMessage } from '../src/types.js';
import { SMTP_PASSWORD, payload, startPeers, type Peers } from './helpers.js';

const links = { alertmanagerUrl: 'http://am.test', grafanaUrl: 'http://grafana.test', consoleUrl: 'http://console.test' };
const clock = { now: () => Date.now() };
const note = (): Notification => {
  const { version: _v, ...p } = payload();
  return { kind: 'alert', ...p };
};
const message = (channel: OutgoingMessage['channel'], recipient: string): OutgoingMessage => ({
  id: 'n1',
  key: 'k1',
  channel,
  recipient,
  notifications: [note()],
});
const signal = () => AbortSignal.timeout(10_000);

let peers: Peers;
beforeAll(async () => {
  peers = await startPeers();
});
afterAll(async () => {
  await peers?.stop();
});

describe('sms (twilio library → Twilio Messages API peer)', () => {
  const config = (token: string) => ({
    enabled: true,
    provider: 'twilio' as const,
    account_sid: new Secret(peers.twilio.accountSid),
    auth_token: new Secret(token),
    from: '+15555550199',
    to: ['+15555550100'],
    api_base_url: peers.twilio.url,
    min_severity: 'critical' as const,
  });

  it('sends with Basic auth and form fields, and keeps the message sid', async () => {
    const r = await smsNotifier({ config: config(peers.twilio.authToken), links, clock }).notify(message('sms', '+15555550100'), signal());
    expect(r).toMatchObject({ status: 'sent', providerId: expect.stringMatching(/^SM[0-9a-f]{32}$/) });
    expect(peers.twilio.requests.at(-1)!.headers['content-type']).toContain('application/x-www-form-urlencoded');
  });

  it('treats wrong credentials and an invalid number as permanent', async () => {
    const auth = await smsNotifier({ config: config('wrong-token-000'), links, clock }).notify(message('sms', '+15555550100'), signal());
    expect(auth).toMatchObject({ status: 'permanent', reason: 'auth' });
    expect(auth.status !== 'sent' && auth.error).toContain('20003');
    const bad = await smsNotifier({ config: config(peers.twilio.authToken), links, clock }).notify(message('sms', '12345'), signal());
    expect(bad).toMatchObject({ status: 'permanent', reason: 'invalid_recipient' });
  });

  it('retries a 429 with the Retry-After the API gave', async () => {
    peers.twilio.behave({
      fail: {
        status: 429,
        retryAfter: '2',
        contentType: 'application/json',
        body: '{"code":20429,"message":"Too Many Requests","status":429}',
        times: 1,
      },
    });
    const r = await smsNotifier({ config: config(peers.twilio.authToken), links, clock }).notify(message('sms', '+15555550100'), signal());
    expect(r).toMatchObject({ status: 'retry', reason: 'rate_limited', retryAfterMs: 2000 });
  });
});

describe('slack (@slack/webhook → Slack peer)', () => {
  const config = (url: string) => ({ enabled: true, webhook_url: new Secret(url), min_severity: 'warning' as const });
  it('is rejected by the peer when the payload breaks a rule, and that is permanent', async () => {
    const n = slackNotifier({ config: config(peers.slack.webhookUrl), links, clock, fetch });
    expect(await n.notify(message('slack', 'slack'), signal())).toEqual({ status: 'sent' });
    const wrongPath = slackNotifier({ config: config(`${peers.slack.url}/services/nope`), links, clock, fetch });
    expect(await wrongPath.notify(message('slack', 'slack'), signal())).toMatchObject({
      status: 'permanent',
      reason: 'client_error',
      error: 'HTTP 404: no_service',
    });
    const oversized = { blocks: Array.from({ length: 51 }, () => ({ type: 'divider' })) };
    const res = await fetch(peers.slack.webhookUrl, { method: 'POST', body: JSON.stringify(oversized) });
    expect([res.status, await res.text()]).toEqual([400, 'invalid_blocks']);
    expect(peers.slack.lastProblems()).toEqual(['51 blocks (max 50)']);
  });
  it('retries when Slack is unreachable', async () => {
    const n = slackNotifier({ config: config('http://127.0.0.1:1/services/x'), links, clock, fetch });
    expect(await n.notify(message('slack', 'slack'), signal())).toMatchObject({ status: 'retry', reason: 'network' });
  });
});

describe('email (nodemailer → SMTP peer)', () => {
  const config = (password: string) => ({
    enabled: true,
    recipients: ['trader@example.com'],
    from: 'alerts@traderadmin.test',
    smtp_host: '127.0.0.1',
    smtp_port: peers.smtp.port,
    smtp_user: 'alerts',
    smtp_password: new Secret(password),
    smtp_tls: 'none' as const,
    min_severity: 'warning' as const,
  });
  it('logs in and sends; a wrong password is a permanent auth failure', async () => {
    const ok = emailNotifier({ config: config(SMTP_PASSWORD), links });
    expect(await ok.notify(message('email', 'trader@example.com'), signal())).toMatchObject({
      status: 'sent',
      providerId: expect.stringMatching(/^<n1\.[0-9a-f]{12}@traderadmin\.test>$/),
    });
    await ok.close();
    const bad = emailNotifier({ config: config('not-the-password'), links });
    const r = await bad.notify(message('email', 'trader@example.com'), signal());
    expect(r).toMatchObject({ status: 'permanent', reason: 'auth' });
    await bad.close();
  });
});
