/**
 * The real chain: Alertmanager (the Debian binary) with the alertmanager.yml the generator
 * emits, posting to the bridge, which delivers to every sink. Also two Alertmanagers
 * sending the same group (a cluster's duplicates), silences and the CLI.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig, type LoadedConfig } from '@traderadmin/config';
import { generate } from '@traderadmin/rules-gen';
import {
  freePort,
  haveBinary,
  rawPost,
  startAlertmanager,
  waitFor,
  ALERTMANAGER_BIN,
  type ManagedProcess,
} from '@traderadmin/test-support';
import { main } from '../../cli/src/main.js';
import { startBridge, type RunningBridge } from '../src/index.js';
import {
  BRIDGE_TOKEN,
  FAST,
  allSecrets,
  assertNoSecrets,
  captureLogger,
  metric,
  startPeers,
  tempDir,
  writeConfig,
  type Peers,
} from './helpers.js';

const run = haveBinary(ALERTMANAGER_BIN) ? describe : describe.skip;

/** An Alertmanager with the generated files (alertmanager.yml and the 0600 token file). */
async function startGeneratedAlertmanager(loaded: LoadedConfig, port?: number): Promise<ManagedProcess> {
  const dir = mkdtempSync(path.join(tmpdir(), 'am-gen-'));
  let config = '';
  for (const [name, file] of generate(loaded)) {
    if (name === 'alertmanager.yml') config = file.content;
    else if (name.startsWith('secrets/')) {
      mkdirSync(path.join(dir, path.dirname(name)), { recursive: true });
      writeFileSync(path.join(dir, name), file.content, { mode: file.mode });
    }
  }
  expect(config).toContain('credentials_file');
  const am = await startAlertmanager({ config, dir, port });
  return {
    ...am,
    stop: async () => {
      await am.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function pushAlerts(am: ManagedProcess, alerts: unknown[]): Promise<void> {
  const res = await fetch(`${am.url}/api/v2/alerts`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(alerts),
  });
  expect(res.status, await res.text()).toBe(200);
}

const cli = async (...args: string[]) => {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(['node', 'traderadmin', ...args], { out: (l = '') => out.push(l), err: (l = '') => err.push(l), color: false });
  return { code, out: out.join('\n'), err: err.join('\n') };
};

run('Alertmanager → bridge → sinks', () => {
  let peers: Peers;
  let bridge: RunningBridge;
  let am: ManagedProcess;
  let am2: ManagedProcess | undefined;
  let loaded: LoadedConfig;
  let file: string;
  const tmp = tempDir();
  const log = captureLogger();
  const cliOutput: string[] = [];
  const startsAt = new Date(Date.now() - 60_000).toISOString();
  const latency = {
    labels: { alertname: 'OrderLatencyHigh', severity: 'warning', account: 'DU1234567' },
    annotations: {
      summary: 'Order round trip on DU1234567 took 1,250 ms',
      description: 'Slowest order round trip in the last minute: 1,250 ms (limit 1,000 ms).',
      dashboard_url: 'http://127.0.0.1:3000/d/trader-overview/trading-overview?var-account=DU1234567',
    },
    startsAt,
  };

  beforeAll(async () => {
    peers = await startPeers();
    const [bridgePort, amPort] = [await freePort(), await freePort()];
    file = writeConfig({
      dir: tmp.dir,
      peers,
      listen: `127.0.0.1:${bridgePort}`,
      alertmanagerListen: `127.0.0.1:${amPort}`,
      smsTo: ['+15555550100'],
    });
    writeFileSync(
      file,
      `${readFileSync(file, 'utf8').replace('[alertmanager]\n', '[alertmanager]\ngroup_wait_seconds = 0\ngroup_interval_seconds = 1\n')}`,
    );
    loaded = loadConfig(file);
    bridge = await startBridge(loaded, { ...FAST, listen: undefined, logger: log });
    am = await startGeneratedAlertmanager(loaded, amPort);
  });
  afterAll(async () => {
    await am2?.stop();
    await am?.stop();
    await bridge?.close();
    await peers?.stop();
    tmp.remove();
  });

  /** Waits until every channel got `n` notifications (email sends two mails each: one per recipient). */
  const everySinkHas = (n: number, what: string) =>
    waitFor(
      what,
      () =>
        peers.smtp.mails.length === 2 * n &&
        peers.slack.messages().length === n &&
        peers.twilio.messages().length === n &&
        peers.webhook.accepted().length === n,
      { timeoutMs: 20_000 },
    );

  it('delivers a firing alert to every channel, then its resolution', async () => {
    await pushAlerts(am, [latency]);
    await everySinkHas(1, 'all sinks');
    const hook = peers.webhook.accepted()[0].body as { status: string; receiver: string; alerts: Array<{ silenceUrl: string }> };
    expect(hook).toMatchObject({ status: 'firing', receiver: 'bridge-webhook' });
    // Debian's Alertmanager has no UI and no external_url is set: the link opens the console's silence form.
    expect(hook.alerts[0].silenceUrl).toBe(
      `http://${loaded.config.alerts_page.listen}/alerts/silence?alertname=OrderLatencyHigh&account=DU1234567`,
    );
    expect(peers.smtp.mails[0].parsed.subject).toBe('[FIRING warning] OrderLatencyHigh •••4567');

    await pushAlerts(am, [{ ...latency, endsAt: new Date(Date.now() - 1000).toISOString() }]);
    await everySinkHas(2, 'resolved on every channel');
    const resolved = peers.smtp.mails.at(-1)!.parsed;
    expect(resolved.subject).toBe('[RESOLVED] OrderLatencyHigh •••4567');
    expect(resolved.inReplyTo).toBe(peers.smtp.mails[0].parsed.inReplyTo);
    expect(peers.twilio.messages()[1].body).toMatch(/^\[RESOLVED\]/);
  });

  it('receives the Watchdog heartbeat on its own route', async () => {
    await pushAlerts(am, [
      { labels: { alertname: 'Watchdog', severity: 'none' }, annotations: { summary: 'alerting pipeline works' }, startsAt },
    ]);
    await waitFor('watchdog beat', async () => (await metric(bridge, 'alert_bridge_last_watchdog_timestamp_seconds')) > 0, {
      timeoutMs: 20_000,
    });
  });

  it('sends a group that two Alertmanagers both notify once', async () => {
    am2 = await startGeneratedAlertmanager(loaded);
    const dd = {
      labels: { alertname: 'DrawdownTodayExceeded', severity: 'critical', account: 'DU7654321' },
      annotations: { summary: 'Equity 6.2% below start of day', description: 'Drawdown 6.2% (limit 5%)' },
      startsAt,
    };
    const before = {
      mails: peers.smtp.mails.length,
      slack: peers.slack.messages().length,
      sms: peers.twilio.messages().length,
      hooks: peers.webhook.accepted().length,
    };
    await Promise.all([pushAlerts(am, [dd]), pushAlerts(am2, [dd])]);
    await waitFor(
      'duplicates seen',
      async () => (await metric(bridge, 'alert_bridge_notifications_deduplicated_total{channel="webhook"}')) >= 1,
      { timeoutMs: 20_000 },
    );
    await waitFor('delivered', () => bridge.outbox.pending().length === 0 && peers.webhook.accepted().length > before.hooks);
    expect(peers.smtp.mails.length - before.mails).toBe(2);
    expect(peers.slack.messages().length - before.slack).toBe(1);
    expect(peers.twilio.messages().length - before.sms).toBe(1);
    expect(peers.webhook.accepted().length - before.hooks).toBe(1);
    for (const ch of ['email', 'slack', 'sms'])
      expect(await metric(bridge, `alert_bridge_notifications_deduplicated_total{channel="${ch}"}`)).toBeGreaterThanOrEqual(1);
  });

  it('creates, lists and expires silences through the bridge API and the CLI', async () => {
    const added = await cli(
      'silence',
      'add',
      '--config',
      file,
      '--alert',
      'OrderLatencyHigh',
      '--account',
      'DU1234567',
      '--duration',
      '1h',
      '--comment',
      'broker maintenance',
    );
    cliOutput.push(added.out, added.err);
    expect(added.code, added.err).toBe(0);
    const id = /silence ([0-9a-f-]{36})/.exec(added.out)![1];
    const listed = await cli('silence', 'list', '--config', file);
    cliOutput.push(listed.out, listed.err);
    expect(listed.out).toContain(id);
    expect(listed.out).toContain('alertname="OrderLatencyHigh", account="DU1234567"');
    const amView = (await (await fetch(`${am.url}/api/v2/silence/${id}`)).json()) as { status: { state: string }; comment: string };
    expect(amView).toMatchObject({ status: { state: 'active' }, comment: 'broker maintenance' });
    const expired = await cli('silence', 'expire', id, '--config', file);
    expect(expired.code, expired.err).toBe(0);
    await waitFor(
      'expired',
      async () =>
        ((await (await fetch(`${am.url}/api/v2/silence/${id}`)).json()) as { status: { state: string } }).status.state === 'expired',
    );
    const bad = await cli('silence', 'add', '--config', file, '--duration', 'forever');
    expect(bad.code).toBe(1);
    expect(bad.err).toContain('give at least one matcher');
    expect((await cli('silence', 'expire', 'no/such', '--config', file)).code).toBe(1);
  });

  it('runs `traderadmin test-alert` against the running bridge', async () => {
    const r = await cli('test-alert', '--channel', 'email', '--config', file, '--message', 'CLI test');
    cliOutput.push(r.out, r.err);
    expect(r.code, r.err).toBe(0);
    expect(r.out).toContain('✓ email → trader@example.com');
    expect(r.out).toContain('✓ email → ops@example.com');
    await waitFor('CLI test mail', () => peers.smtp.mails.some((m) => m.parsed.text?.includes('CLI test')));
    peers.slack.behave({ fail: { status: 403, body: 'invalid_token' } });
    const failed = await cli('test-alert', '--channel', 'slack', '--config', file);
    peers.slack.behave({});
    cliOutput.push(failed.out, failed.err);
    expect(failed.code).toBe(1);
    expect(failed.err).toContain('✗ slack → slack webhook: HTTP 403: invalid_token');
  });

  it.each([
    ['text/plain (a web page, no preflight)', { 'content-type': 'text/plain' }, 415],
    ['a foreign Origin', { 'content-type': 'application/json', origin: 'http://evil.example' }, 403],
    ['a rebinding Host', { 'content-type': 'application/json', host: 'evil.example:9095' }, 421],
    ['no token', { 'content-type': 'application/json', noToken: 'yes' }, 401],
  ])(
    'refuses a ten-year silence of everything and a forged alert sent with %s: nothing is silenced or delivered',
    async (_n, h, status) => {
      const { noToken, ...headers } = h as Record<string, string>;
      const withToken = noToken ? headers : { ...headers, authorization: `Bearer ${BRIDGE_TOKEN}` };
      const before = { mails: peers.smtp.mails.length, slack: peers.slack.messages().length, hooks: peers.webhook.accepted().length };
      const silence = JSON.stringify({
        matchers: [{ name: 'alertname', value: '.+', isRegex: true }],
        endsAt: new Date(Date.now() + 10 * 365 * 86400_000).toISOString(),
        comment: 'x',
        createdBy: 'x',
      });
      const s = await rawPost(bridge.url, '/api/v1/silences', withToken, silence);
      expect(s.status).toBe(status);
      expect(JSON.parse(s.body)).toEqual({ error: expect.any(String) });
      const forged = JSON.stringify({
        version: '4',
        status: 'firing',
        receiver: 'x',
        groupKey: `forged-${status}`,
        groupLabels: {},
        commonLabels: {},
        commonAnnotations: {},
        externalURL: '',
        alerts: [
          {
            status: 'firing',
            labels: { alertname: 'BrokerDisconnected', severity: 'critical' },
            annotations: { summary: 'close all positions now' },
            startsAt,
          },
        ],
      });
      expect((await rawPost(bridge.url, '/api/v1/alertmanager/email', withToken, forged)).status).toBe(status);
      expect((await rawPost(bridge.url, '/api/v1/test-alert', withToken, '{"message":"close all positions now"}')).status).toBe(status);
      const active = (
        (await (await fetch(`${am.url}/api/v2/silences`)).json()) as Array<{ comment: string; status: { state: string } }>
      ).filter((x) => x.status.state === 'active');
      expect(active).toEqual([]);
      await new Promise((r) => setTimeout(r, 300));
      expect(bridge.outbox.pending()).toEqual([]);
      expect([peers.smtp.mails.length, peers.slack.messages().length, peers.webhook.accepted().length]).toEqual([
        before.mails,
        before.slack,
        before.hooks,
      ]);
    },
  );

  it('leaks no secret anywhere', () => {
    assertNoSecrets([...log.lines, ...cliOutput], allSecrets(peers));
  });
});
