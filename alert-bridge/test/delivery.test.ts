/**
 * Delivery through the real libraries (nodemailer, @slack/webhook, twilio, fetch) to real
 * loopback peers: content per channel, duplicates, partial failures, sinks down and back,
 * 429 with Retry-After, permanent errors, dead letters, storms, secrets.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { sleep, waitFor } from '@traderadmin/test-support';
import { threadRootId } from '../src/format/email.js';
import { smsSegments, isGsm7 } from '../src/format/sms.js';
import { BRIDGE_TOKEN, WEBHOOK_TOKEN, alert, bridgeOnPeers, metric, payload, post } from './helpers.js';

// Retries up to 1 s apart: the storm test keeps Slack down while it posts 12 alerts, and with
// FAST's 200 ms cap the 8 attempts of the first one could run out before Slack is back.
const fx = bridgeOnPeers(() => ({ config: { maxAttempts: 8 }, deps: { providerTimeoutMs: 1500, retryMaxMs: 1000 } }));
const seen: string[] = [];
let counter = 0;
/** A payload with its own group, so tests do not dedupe each other. */
const fresh = (receiver: string, over: Parameters<typeof alert>[0] = {}) => {
  const n = ++counter;
  return payload({ receiver, groupKey: `{}:{alertname="OrderLatencyHigh", n="${n}"}` }, [alert({ fingerprint: `fp${n}`, ...over })]);
};
const postOk = async (channel: string, body: unknown) => {
  const r = await post(fx.bridge, channel, body);
  seen.push(JSON.stringify(r.body));
  expect(r.status, JSON.stringify(r.body)).toBe(200);
  return r.body;
};
beforeEach(() => {
  for (const p of [fx.peers.slack, fx.peers.twilio, fx.peers.webhook]) p.behave({});
  fx.peers.smtp.behave({});
});

describe('delivery to every channel', () => {
  it('sends email (HTML + text, threaded), Slack blocks, a short SMS and the webhook JSON', async () => {
    const body = fresh('bridge-email');
    for (const ch of ['email', 'slack', 'sms', 'webhook']) await postOk(ch, { ...body, receiver: `bridge-${ch}` });
    await waitFor(
      'every sink',
      () =>
        fx.peers.smtp.mails.length >= 2 &&
        fx.peers.slack.messages().length >= 1 &&
        fx.peers.twilio.messages().length >= 1 &&
        fx.peers.webhook.accepted().length >= 1,
    );

    const mail = fx.peers.smtp.mails.find((m) => m.envelopeTo.includes('trader@example.com'))!;
    expect(mail.parsed.subject).toBe('[FIRING warning] OrderLatencyHigh •••4567');
    expect(mail.parsed.text).toContain('Order round trip on •••4567 took 1,250 ms');
    expect(mail.parsed.html).toContain('Silence</a>');
    expect(mail.parsed.inReplyTo).toBe(threadRootId(body.groupKey, 'alerts@traderadmin.test'));
    expect(mail.parsed.references).toBe(mail.parsed.inReplyTo);
    expect(mail.parsed.messageId).toMatch(/@traderadmin\.test>$/);
    expect(fx.peers.smtp.mails.map((m) => m.envelopeTo[0]).sort()).toEqual(['ops@example.com', 'trader@example.com']);

    const slack = fx.peers.slack.messages()[0];
    expect(slack.text).toContain('OrderLatencyHigh •••4567');
    expect(fx.peers.slack.requests.every((r) => r.status === 200)).toBe(true);

    const sms = fx.peers.twilio.messages()[0];
    expect(sms).toMatchObject({ to: '+15555550100', from: '+15555550199' });
    expect(isGsm7(sms.body) && smsSegments(sms.body) <= 2).toBe(true);
    expect(sms.body).toContain('OrderLatencyHigh ***4567');

    const hook = fx.peers.webhook.accepted()[0];
    expect(hook.headers.authorization).toBe(`Bearer ${WEBHOOK_TOKEN}`);
    expect(hook.headers['idempotency-key']).toMatch(/^[0-9a-f]{64}$/);
    expect(hook.body).toMatchObject({
      version: '1',
      kind: 'alert',
      status: 'firing',
      alerts: [{ alertname: 'OrderLatencyHigh', account: '•••4567' }],
    });

    // A sink holds the message a moment before the bridge records the provider's answer.
    for (const ch of ['email', 'slack', 'sms', 'webhook']) {
      await waitFor(
        `${ch} counted as sent`,
        async () => (await metric(fx.bridge, `alert_bridge_notifications_sent_total{channel="${ch}"}`)) >= 1,
      );
    }
    await waitFor(
      'both email deliveries timed',
      async () => (await metric(fx.bridge, 'alert_bridge_delivery_latency_seconds_count{channel="email",since="alert_start"}')) >= 2,
    );
    for (const ch of ['email', 'slack', 'sms', 'webhook'])
      expect(await metric(fx.bridge, `alert_bridge_notifications_sent_total{channel="${ch}"}`)).toBeGreaterThanOrEqual(1);
    expect(await metric(fx.bridge, 'alert_bridge_delivery_latency_seconds_count{channel="email",since="receipt"}')).toBeGreaterThanOrEqual(
      2,
    );
    expect(
      await metric(fx.bridge, 'alert_bridge_delivery_latency_seconds_count{channel="email",since="alert_start"}'),
    ).toBeGreaterThanOrEqual(2);
    expect(
      fx.log.records().some((r) => r.msg === 'notification delivered' && r.channel === 'sms' && String(r.provider_id).startsWith('SM')),
    ).toBe(true);
  });

  it('sends a retried or duplicated webhook once (Alertmanager retry, cluster duplicate, concurrent posts)', async () => {
    const body = fresh('bridge-webhook');
    const before = fx.peers.webhook.accepted().length;
    const dedupBefore = await metric(fx.bridge, 'alert_bridge_notifications_deduplicated_total{channel="webhook"}');
    const first = await postOk('webhook', body);
    expect(first).toMatchObject({ status: 'stored', stored: 1, duplicates: 0 });
    const [a, b] = await Promise.all([post(fx.bridge, 'webhook', body), post(fx.bridge, 'webhook', body)]);
    expect([a.status, b.status]).toEqual([200, 200]);
    expect([a.body.duplicates, b.body.duplicates]).toEqual([1, 1]);
    await waitFor('delivery', () => fx.peers.webhook.accepted().length === before + 1);
    // After delivery too: the key is remembered for the dedup window.
    expect((await postOk('webhook', body)).duplicates).toBe(1);
    await sleep(150);
    expect(fx.peers.webhook.accepted().length).toBe(before + 1);
    expect(await metric(fx.bridge, 'alert_bridge_notifications_deduplicated_total{channel="webhook"}')).toBe(dedupBefore + 3);
  });

  it('retries a failing SMS without sending the email again', async () => {
    const body = fresh('x');
    const mailsBefore = fx.peers.smtp.mails.length;
    const smsBefore = fx.peers.twilio.messages().length;
    const requestsBefore = fx.peers.twilio.requests.length;
    fx.peers.twilio.behave({ fail: { status: 503, times: 2 } });
    await postOk('email', { ...body, receiver: 'bridge-email' });
    await postOk('sms', { ...body, receiver: 'bridge-sms' });
    await waitFor('sms after two failures', () => fx.peers.twilio.messages().length === smsBefore + 1, { timeoutMs: 10_000 });
    expect(fx.peers.twilio.requests.length - requestsBefore).toBe(3);
    await waitFor('the two mails', () => fx.peers.smtp.mails.length >= mailsBefore + 2);
    await sleep(200);
    expect(fx.peers.smtp.mails.length).toBe(mailsBefore + 2);
    expect(await metric(fx.bridge, 'alert_bridge_notifications_failed_total{channel="sms",reason="server_error"}')).toBeGreaterThanOrEqual(
      2,
    );
  });

  it('delivers everything once after a sink was down for a while', async () => {
    const before = fx.peers.webhook.accepted().length;
    await fx.peers.webhook.down();
    const bodies = [fresh('bridge-webhook'), fresh('bridge-webhook'), fresh('bridge-webhook')];
    for (const b of bodies) await postOk('webhook', b);
    await waitFor(
      'failed attempts',
      async () => (await metric(fx.bridge, 'alert_bridge_notifications_failed_total{channel="webhook",reason="network"}')) >= 3,
    );
    expect(await metric(fx.bridge, 'alert_bridge_queue_depth{channel="webhook"}')).toBe(3);
    expect(await metric(fx.bridge, 'alert_bridge_oldest_queued_age_seconds')).toBeGreaterThan(0);
    await fx.peers.webhook.up();
    await waitFor('delivery after the sink came back', () => fx.peers.webhook.accepted().length === before + 3, { timeoutMs: 10_000 });
    await sleep(200);
    const keys = fx.peers.webhook
      .accepted()
      .slice(before)
      .map((h) => h.headers['idempotency-key']);
    expect(new Set(keys).size).toBe(3);
    expect(fx.peers.webhook.accepted().length).toBe(before + 3);
    // The outbox entry is removed after the sink's answer arrives, a moment after the sink counts it.
    await waitFor('the queue drained', async () => (await metric(fx.bridge, 'alert_bridge_queue_depth{channel="webhook"}')) === 0);
    expect(await metric(fx.bridge, 'alert_bridge_queue_depth{channel="webhook"}')).toBe(0);
    expect(await metric(fx.bridge, 'alert_bridge_oldest_queued_age_seconds')).toBe(0);
  });

  it('waits as long as Slack’s Retry-After asks after a 429', async () => {
    fx.peers.slack.behave({ fail: { status: 429, retryAfter: '1', body: 'rate_limited', times: 1 } });
    const before = fx.peers.slack.requests.length;
    await postOk('slack', fresh('bridge-slack'));
    await waitFor('retry after 429', () => fx.peers.slack.requests.length >= before + 2 && fx.peers.slack.requests.at(-1)!.status === 200, {
      timeoutMs: 5000,
    });
    const [limited, ok] = fx.peers.slack.requests.slice(before, before + 2);
    expect(limited.status).toBe(429);
    expect(ok.at - limited.at).toBeGreaterThanOrEqual(900);
    expect(
      await metric(fx.bridge, 'alert_bridge_notifications_failed_total{channel="slack",reason="rate_limited"}'),
    ).toBeGreaterThanOrEqual(1);
  });

  it('does not retry a permanent error: dead letter, gauge up, then acknowledged', async () => {
    fx.peers.webhook.behave({ fail: { status: 401, body: 'bad token' } });
    const before = fx.peers.webhook.requests.length;
    await postOk('webhook', fresh('bridge-webhook'));
    await waitFor('dead letter', async () => (await metric(fx.bridge, 'alert_bridge_dead_letters{channel="webhook"}')) === 1);
    await sleep(200);
    expect(fx.peers.webhook.requests.length - before).toBe(1);
    expect(await metric(fx.bridge, 'alert_bridge_notifications_failed_total{channel="webhook",reason="auth"}')).toBe(1);
    const auth = { authorization: `Bearer ${BRIDGE_TOKEN}` };
    const list = (await (await fetch(`${fx.bridge.url}/api/v1/dead-letters`, { headers: auth })).json()) as Array<{
      id: string;
      reason: string;
      error: string;
    }>;
    seen.push(JSON.stringify(list));
    expect(list).toMatchObject([{ reason: 'auth', error: 'HTTP 401: bad token' }]);
    expect((await fetch(`${fx.bridge.url}/api/v1/dead-letters/${list[0].id}`, { method: 'DELETE', headers: auth })).status).toBe(200);
    expect(await metric(fx.bridge, 'alert_bridge_dead_letters{channel="webhook"}')).toBe(0);
  });

  it('gives up after max_attempts and raises the dead-letter gauge', async () => {
    fx.peers.twilio.behave({ fail: { status: 500 } });
    const before = fx.peers.twilio.requests.length;
    await postOk('sms', fresh('bridge-sms', { labels: { severity: 'critical' } }));
    await waitFor('dead letter', async () => (await metric(fx.bridge, 'alert_bridge_dead_letters{channel="sms"}')) === 1, {
      timeoutMs: 10_000,
    });
    expect(fx.peers.twilio.requests.length - before).toBe(8);
    const dead = fx.bridge.outbox.dead().find((e) => e.channel === 'sms')!;
    expect(dead).toMatchObject({ attempts: 8, lastReason: 'server_error' });
    fx.peers.twilio.behave({});
    const res = await fetch(`${fx.bridge.url}/api/v1/dead-letters/${dead.id}/retry`, {
      method: 'POST',
      headers: { authorization: `Bearer ${BRIDGE_TOKEN}`, 'content-type': 'application/json' },
    });
    expect(res.status).toBe(200);
    await waitFor(
      're-queued dead letter delivered',
      async () => (await metric(fx.bridge, 'alert_bridge_dead_letters{channel="sms"}')) === 0 && fx.bridge.outbox.pending().length === 0,
    );
  });

  it('retries a temporary SMTP refusal (451) and dead-letters a permanent one (550)', async () => {
    await waitFor('idle', () => fx.bridge.outbox.pending().length === 0);
    const mails = fx.peers.smtp.mails.length;
    fx.peers.smtp.behave({ fail: { code: 451, message: 'try again later', times: 1 } });
    await postOk('email', { ...fresh('bridge-email'), receiver: 'bridge-email' });
    await waitFor('both mails after one 451', () => fx.peers.smtp.mails.length === mails + 2, { timeoutMs: 10_000 });
    expect(await metric(fx.bridge, 'alert_bridge_notifications_failed_total{channel="email",reason="server_error"}')).toBe(1);
    fx.peers.smtp.behave({ fail: { code: 550, message: 'mailbox unavailable' } });
    await postOk('email', { ...fresh('bridge-email'), receiver: 'bridge-email' });
    await waitFor('two dead letters', () => fx.bridge.outbox.dead().filter((e) => e.channel === 'email').length === 2);
    expect(fx.bridge.outbox.dead().find((e) => e.channel === 'email')).toMatchObject({ attempts: 1, lastReason: 'invalid_recipient' });
    fx.peers.smtp.behave({});
  });

  it('gives up on a slow sink after the provider timeout and retries', async () => {
    const before = fx.peers.webhook.accepted().length;
    fx.peers.webhook.behave({ delayMs: 2000 });
    await postOk('webhook', fresh('bridge-webhook'));
    await waitFor(
      'a timeout',
      async () => (await metric(fx.bridge, 'alert_bridge_notifications_failed_total{channel="webhook",reason="timeout"}')) >= 1,
    );
    fx.peers.webhook.behave({});
    await waitFor(
      'delivered after the timeout',
      () => fx.bridge.outbox.pending().length === 0 && fx.peers.webhook.accepted().length > before,
      {
        timeoutMs: 10_000,
      },
    );
  });

  it('turns an alert storm into one digest instead of a flood', async () => {
    await fx.peers.slack.down();
    const before = fx.peers.slack.messages().length;
    const bodies = Array.from({ length: 12 }, () => fresh('bridge-slack'));
    for (const b of bodies) await postOk('slack', b);
    await waitFor('first failures', async () => (await metric(fx.bridge, 'alert_bridge_queue_depth{channel="slack"}')) === 12);
    await sleep(100);
    await fx.peers.slack.up();
    await waitFor('storm delivered', async () => (await metric(fx.bridge, 'alert_bridge_queue_depth{channel="slack"}')) === 0, {
      timeoutMs: 10_000,
    });
    const messages = fx.peers.slack.messages().slice(before);
    expect(messages.length).toBeLessThanOrEqual(2);
    expect(fx.bridge.outbox.dead().filter((e) => e.channel === 'slack')).toEqual([]);
    const text = JSON.stringify(messages);
    expect(text).toContain('DIGEST');
    for (const b of bodies) expect(text).toContain(`silence-${b.alerts[0].fingerprint}`);
  });

  it('never writes a secret into logs, errors or API answers', () => {
    expect(fx.log.lines.length).toBeGreaterThan(20);
    fx.assertNoSecrets(seen);
  });
});
