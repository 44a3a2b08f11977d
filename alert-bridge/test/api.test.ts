/**
 * The HTTP API: authentication, status codes Alertmanager's retrier relies on, metrics,
 * health, reload (SIGHUP's twin), test alerts, runbooks, watchdog.
 */
import { mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { waitFor } from '@traderadmin/test-support';
import { BridgeClient, BridgeUnreachableError, METRIC_NAMES } from '../src/index.js';
import { BRIDGE_TOKEN, alert, bridgeOnPeers, captureLogger, metric, payload, post, start, writeConfig } from './helpers.js';

const answers: string[] = [];
const clock = {
  t: Date.parse('2026-11-21T10:00:00Z'),
  now() {
    return this.t;
  },
};
const fx = bridgeOnPeers((dir) => {
  writeFileSync(path.join(dir, 'runbooks.md'), '# Runbooks\n\n## OrderLatencyHigh\n\nCheck the gateway.\n');
  return {
    config: { bridge: 'watchdog_timeout_seconds = 60\nauth_user = "alertmanager"\nmax_body_bytes = 2048' },
    deps: { clock, runbooksFile: path.join(dir, 'runbooks.md') },
  };
});
const auth = { authorization: `Bearer ${BRIDGE_TOKEN}` };
const call = async (method: string, p: string, body?: unknown, headers: Record<string, string> = auth) => {
  const res = await fetch(`${fx.bridge.url}${p}`, {
    method,
    headers: { 'content-type': 'application/json', ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  answers.push(text);
  return { status: res.status, text, json: () => JSON.parse(text) as Record<string, unknown> };
};

describe('receiving webhooks', () => {
  it('answers 401 without the token or with a wrong one, and accepts Basic auth with the token as password', async () => {
    expect((await post(fx.bridge, 'webhook', payload(), null)).status).toBe(401);
    expect((await post(fx.bridge, 'webhook', payload(), 'wrong-token')).status).toBe(401);
    const basic = `Basic ${Buffer.from(`alertmanager:${BRIDGE_TOKEN}`).toString('base64')}`;
    const r = await call('POST', '/api/v1/alertmanager/webhook', payload({ groupKey: 'basic' }), { authorization: basic });
    expect(r.status).toBe(200);
    const wrongUser = `Basic ${Buffer.from(`someone:${BRIDGE_TOKEN}`).toString('base64')}`;
    expect((await call('POST', '/api/v1/alertmanager/webhook', payload(), { authorization: wrongUser })).status).toBe(401);
  });

  it('answers 4xx only for requests that can never be valid', async () => {
    expect((await post(fx.bridge, 'webhook', '{"version":')).status).toBe(400);
    const bad = await post(fx.bridge, 'webhook', { version: '3', alerts: [{}] });
    expect(bad.status).toBe(400);
    expect(bad.body.problems).toEqual(
      expect.arrayContaining(['version must be "4", got "3"', 'alerts[0].fingerprint must be a non-empty string']),
    );
    expect((await post(fx.bridge, 'pager', payload())).status).toBe(404);
    const big = payload(
      {},
      Array.from({ length: 30 }, (_, i) => alert({ fingerprint: `big${i}` })),
    );
    expect((await post(fx.bridge, 'webhook', big)).status).toBe(413);
  });

  it('answers a body that is not a JSON object with what was expected, not JSON.parse’s text', async () => {
    const nul = await post(fx.bridge, 'webhook', 'null');
    expect(nul.status).toBe(400);
    expect(nul.body.error).toMatch(/^expected an Alertmanager webhook JSON object \(\{"version":"4","alerts":\[…\],…\}\) as the body: /);
    const raw = await fetch(`${fx.bridge.url}/api/v1/test-alert`, {
      method: 'POST',
      headers: { ...auth, 'content-type': 'application/json' },
      body: '"email"',
    });
    expect(raw.status).toBe(400);
    expect(((await raw.json()) as { error: string }).error).toMatch(
      /^expected a JSON object such as \{"channel":"email","message":"…"\} as the body/,
    );
  });

  it('answers 500 when the notification cannot be stored, so Alertmanager retries', async () => {
    const pending = path.join(fx.bridge.dataDir, 'outbox', 'pending');
    renameSync(pending, `${pending}.aside`);
    writeFileSync(pending, 'not a folder');
    try {
      const r = await post(fx.bridge, 'webhook', payload({ groupKey: 'disk-full' }));
      expect(r.status).toBe(500);
      expect((await call('GET', '/readyz')).status).toBe(503);
    } finally {
      rmSync(pending);
      renameSync(`${pending}.aside`, pending);
    }
    const again = await post(fx.bridge, 'webhook', payload({ groupKey: 'disk-full' }));
    expect(again).toMatchObject({ status: 200, body: { stored: 1 } });
    expect((await call('GET', '/readyz')).status).toBe(200);
  });

  it('keeps alerts below the channel’s min_severity out', async () => {
    const r = await post(fx.bridge, 'email', payload({ groupKey: 'sev' }, [alert({ labels: { severity: 'info' } })]));
    expect(r).toMatchObject({ status: 200, body: { stored: 2 } });
    // The fixture sends everything (min_severity = info); Watchdog's "none" is below every channel.
    const w = await post(fx.bridge, 'email', payload({ groupKey: 'wd' }, [alert({ labels: { alertname: 'Watchdog', severity: 'none' } })]));
    expect(w).toMatchObject({ status: 200, body: { stored: 0, filtered: 1 } });
  });
});

describe('operations endpoints', () => {
  it('serves its own metrics with the agreed names, health and readiness', async () => {
    const text = (await call('GET', '/metrics', undefined, {})).text;
    for (const name of Object.values(METRIC_NAMES)) expect(text).toContain(`# TYPE ${name} `);
    expect(text).toContain('alert_bridge_dead_letters{channel="sms"} 0');
    expect((await call('GET', '/healthz', undefined, {})).json()).toEqual({ status: 'ok' });
    expect((await call('GET', '/readyz', undefined, {})).json()).toMatchObject({ ready: true });
  });

  it('answers its root with a short index of its endpoints', async () => {
    const r = await fetch(`${fx.bridge.url}/`);
    expect(r.status).toBe(200);
    const body = (await r.json()) as { service: string; endpoints: Record<string, string> };
    expect(body.service).toBe('alert-bridge');
    expect(Object.keys(body.endpoints)).toEqual(
      expect.arrayContaining(['POST /api/v1/alertmanager/{channel}', 'GET /runbooks', 'GET /metrics']),
    );
  });

  it('serves the runbooks with one anchor per alert', async () => {
    const r = await call('GET', '/runbooks', undefined, {});
    expect(r.status).toBe(200);
    expect(r.text).toContain('<h2 id="orderlatencyhigh">OrderLatencyHigh</h2>');
  });

  it('sends a test alert through every channel now and reports per recipient', async () => {
    await waitFor('earlier deliveries', () => fx.bridge.outbox.pending().length === 0);
    const before = fx.peers.smtp.mails.length;
    const r = await call('POST', '/api/v1/test-alert', { channel: 'all', message: 'Hello from the test' });
    expect(r.status).toBe(200);
    const results = r.json().results as Array<{ channel: string; recipient: string; ok: boolean }>;
    expect(results.map((x) => `${x.channel}:${x.recipient}:${x.ok}`).sort()).toEqual(
      [
        'email:ops@example.com:true',
        'email:trader@example.com:true',
        'slack:slack webhook:true',
        'sms:+15555550100:true',
        `webhook:${fx.peers.webhook.url}/…:true`,
      ].sort(),
    );
    await waitFor('test mails', () => fx.peers.smtp.mails.length === before + 2);
    expect(fx.peers.smtp.mails.at(-1)!.parsed.subject).toBe('[TEST] Test notification from TraderAdmin');
    expect(fx.peers.smtp.mails.at(-1)!.parsed.text).toContain('Hello from the test');
    expect(fx.peers.twilio.messages().at(-1)!.body).toContain('Hello from the test');
  });

  it('reports the provider’s error text for a failing channel, secrets redacted', async () => {
    fx.peers.twilio.behave({
      fail: {
        status: 401,
        contentType: 'application/json',
        body: JSON.stringify({ code: 20003, message: `Authenticate ${fx.peers.twilio.authToken}`, status: 401 }),
      },
    });
    try {
      const r = await call('POST', '/api/v1/test-alert', { channel: 'sms' });
      expect(r.status).toBe(502);
      const [res] = r.json().results as Array<{ ok: boolean; error: string; reason: string }>;
      expect(res).toMatchObject({ ok: false, reason: 'auth' });
      expect(res.error).toContain('Authenticate <secret>');
    } finally {
      fx.peers.twilio.behave({});
    }
    expect((await call('POST', '/api/v1/test-alert', { channel: 'fax' })).status).toBe(400);
  });

  it('offers the same through the library client (TestAlertNotification)', async () => {
    const client = new BridgeClient({ url: fx.bridge.url, token: BRIDGE_TOKEN });
    const r = await client.testAlertNotification('webhook', 'via the client');
    expect(r.status).toBe(200);
    expect(r.body.results).toMatchObject([{ channel: 'webhook', ok: true }]);
    expect(fx.peers.webhook.accepted().at(-1)!.body as { kind: string; message: string }).toMatchObject({
      kind: 'test',
      message: 'via the client',
    });
    expect((await new BridgeClient({ url: fx.bridge.url }).testAlertNotification('all')).status).toBe(401);
    await expect(new BridgeClient({ url: 'http://127.0.0.1:1' }).reload()).rejects.toBeInstanceOf(BridgeUnreachableError);
  });

  it('raises the alarm once when the Watchdog stops, and says when it is back', async () => {
    const wd = payload({ receiver: 'bridge-watchdog', groupKey: 'watchdog' }, [
      alert({ labels: { alertname: 'Watchdog', severity: 'none' }, fingerprint: 'wd' }),
    ]);
    expect((await post(fx.bridge, 'watchdog', wd)).status).toBe(200);
    expect(await metric(fx.bridge, 'alert_bridge_last_watchdog_timestamp_seconds')).toBe(clock.t / 1000);
    const mails = fx.peers.smtp.mails.length;
    clock.t += 30_000;
    await fx.bridge.checkWatchdog();
    expect(fx.bridge.outbox.pending().filter((e) => e.notification.kind === 'watchdog')).toEqual([]);
    clock.t += 31_000;
    await fx.bridge.checkWatchdog();
    await fx.bridge.checkWatchdog();
    await waitFor('monitoring-down mails', () => fx.peers.smtp.mails.length === mails + 2);
    expect(fx.peers.smtp.mails.at(-1)!.parsed.subject).toBe('[MONITORING DOWN] Monitoring is down: no Watchdog alert from Alertmanager');
    await waitFor(
      'down on every channel',
      () =>
        fx.peers.twilio.messages().some((m) => m.body.startsWith('Monitoring is down')) &&
        fx.peers.slack.messages().some((m) => m.text?.startsWith('MONITORING DOWN')),
    );
    clock.t += 600_000;
    await fx.bridge.checkWatchdog();
    expect(fx.peers.smtp.mails.length).toBe(mails + 2);
    expect((await post(fx.bridge, 'watchdog', wd)).status).toBe(200);
    await waitFor('monitoring-back mails', () => fx.peers.smtp.mails.length === mails + 4);
    expect(fx.peers.smtp.mails.at(-1)!.parsed.subject).toBe('[MONITORING BACK] Monitoring is back: Watchdog alerts arrive again');
    // Counted from the last Watchdog received (661 s before), not from the alarm one timeout later.
    expect(fx.peers.smtp.mails.at(-1)!.parsed.text).toContain('monitoring was down for about 11 min');
  });
});

describe('one bridge per data folder', () => {
  it('refuses to start a second bridge on the same outbox, naming the running one', async () => {
    await expect(start(fx.configFile, { logger: captureLogger() })).rejects.toThrow(
      new RegExp(`another alert bridge \\(pid ${process.pid}\\) already uses ${fx.bridge.dataDir}`),
    );
    expect((await fetch(`${fx.bridge.url}/healthz`)).ok).toBe(true);
  });
});

describe('reload', () => {
  it('swaps a valid config, and keeps the old one (400 with the problems) for an invalid one', async () => {
    writeConfig({ dir: fx.dir, peers: fx.peers, emailTo: ['new@example.com'], disabled: ['sms'], bridge: 'watchdog_timeout_seconds = 60' });
    const ok = await call('POST', '/-/reload');
    expect(ok.status).toBe(200);
    expect(fx.bridge.config().alerts_config.notifications.email.recipients).toEqual(['new@example.com']);
    const r = await post(fx.bridge, 'email', payload({ groupKey: 'after-reload' }));
    expect(r.body.stored).toBe(1);
    await waitFor('mail to the new recipient', () => fx.peers.smtp.mails.some((m) => m.envelopeTo.includes('new@example.com')));
    expect((await post(fx.bridge, 'sms', payload({ groupKey: 'sms-off' }))).status).toBe(503);

    writeFileSync(fx.configFile, '[alert_bridge]\nmax_attempts = 0\nlisten = "nope"\n');
    const bad = await call('POST', '/-/reload');
    expect(bad.status).toBe(400);
    const problems = bad.json().problems as string[];
    expect(problems.join('\n')).toContain('alert_bridge.max_attempts');
    expect(problems.join('\n')).toContain('alert_bridge.listen');
    expect(fx.bridge.config().alerts_config.notifications.email.recipients).toEqual(['new@example.com']);
    expect((await call('POST', '/-/reload', undefined, {})).status).toBe(401);
  });
});

describe('secrets', () => {
  it('never appear in logs or API answers', () => {
    mkdirSync(fx.dir, { recursive: true });
    expect(answers.length).toBeGreaterThan(5);
    fx.assertNoSecrets(answers);
  });
});
