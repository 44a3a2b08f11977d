/**
 * Faults of the alerting pipeline itself (features/pipeline_faults.feature): Prometheus and
 * Alertmanager restart, the bridge process is killed mid-delivery; nothing is lost or doubled
 * but the one delivery in flight, read from the bridge's metrics, outbox and the peers' inboxes.
 */
import { Given, Then, When } from '@cucumber/cucumber';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { ACCOUNT, type Chain, type Channel } from '../support/chain.js';
import { ALL_CHANNELS, noticePattern } from '../support/notices.js';
import { bridgeMetric, prom, sleep, until } from '../support/probes.js';
import type { TraderWorld } from '../support/world.js';

/** The webhook requests the peer saw, with their Idempotency-Key and alert names. */
function webhookPosts(chain: Chain) {
  return chain.webhook.requests.map((r) => {
    const body = JSON.parse(r.body) as { status?: string; kind?: string; alerts?: Array<{ alertname: string }> };
    return {
      key: String(r.headers['idempotency-key']),
      status: body.status,
      alerts: (body.alerts ?? []).map((a) => a.alertname),
      http: r.status,
    };
  });
}

/** The raw JSON of the bridge's pending outbox entries for `channel` (one file each). */
function pendingEntries(chain: Chain, channel: Channel): string[] {
  const dir = path.join(chain.dir, 'bridge-data/outbox/pending');
  const texts: string[] = [];
  for (const name of existsSync(dir) ? readdirSync(dir) : []) {
    try {
      const text = readFileSync(path.join(dir, name), 'utf8');
      if ((JSON.parse(text) as { channel?: string }).channel === channel) texts.push(text);
    } catch {
      // Being renamed or written right now: the next poll reads it.
    }
  }
  return texts;
}

// ---- Prometheus and Alertmanager restarts ----

Given('Prometheus re-sends firing alerts to Alertmanager every {int} seconds', function (this: TraderWorld, seconds: number) {
  // Alertmanager keeps an alert 4 × this after the last send: Prometheus's default is 60 s, the chain's 1 s.
  this.chainOptions.resendDelaySeconds = seconds;
});

When('Prometheus restarts', async function (this: TraderWorld) {
  const chain = await this.ensureChain();
  await chain.restartPrometheus();
  this.notes.restartedAt = Date.now() / 1000;
});

When('Alertmanager restarts', async function (this: TraderWorld) {
  const chain = await this.ensureChain();
  await chain.restartAlertmanager();
  this.notes.restartedAt = Date.now() / 1000;
});

Then('the Watchdog heartbeat reaches the bridge again after the restarts', async function (this: TraderWorld) {
  const chain = await this.ensureChain();
  const after = this.notes.restartedAt as number;
  await until(
    'a Watchdog heartbeat after the restarts',
    async () => (await bridgeMetric(chain, 'alert_bridge_last_watchdog_timestamp_seconds')) > after,
    40_000,
  );
});

Then('every channel still has exactly one {word} notice, and no resolution', async function (this: TraderWorld, alert: string) {
  const chain = await this.ensureChain();
  // Alertmanager has the alert again (the Watchdog came in the same batch): a re-send would come within seconds.
  await sleep(8000);
  assert.deepEqual(await prom(chain, `ALERTS{alertname="${alert}",alertstate="firing"}`), [1], `${alert} no longer fires`);
  for (const channel of ALL_CHANNELS) {
    assert.equal(chain.count(channel, noticePattern(channel, alert, 'firing')), 1, `${channel} firing\n${chain.describeReceived()}`);
    assert.equal(chain.count(channel, noticePattern(channel, alert, 'resolved')), 0, `${channel} resolved\n${chain.describeReceived()}`);
  }
});

// ---- The bridge killed mid-delivery ----

Given('the alert bridge runs as its own process', function (this: TraderWorld) {
  this.chainOptions.bridgeProcess = true;
  // One notification per request (no digest), so each Idempotency-Key can be followed.
  this.chainOptions.bridge = { ...this.chainOptions.bridge, digest_threshold: 100 };
});

Given('the webhook receiver holds every answer for {int} seconds', async function (this: TraderWorld, seconds: number) {
  const chain = await this.ensureChain();
  chain.webhook.behave({ delayMs: seconds * 1000 });
});

When('a slow order, a burst of API errors and a losing trade raise three alerts', async function (this: TraderWorld) {
  const chain = await this.ensureChain();
  this.notes.since = chain.now();
  const { prices } = await chain.emulator.control.state();
  await chain.emulator.control.fill({ account: ACCOUNT, symbol: 'MSFT', side: 'BUY', quantity: 10, price: prices.MSFT, latencyMs: 250 });
  await chain.pushEvents(
    Array.from({ length: 11 }, () => ({ type: 'error', component: 'orchestrator', code: 'ORDER_TIMEOUT', class: 'order_reject' })),
  );
  await chain.emulator.control.fill({ account: ACCOUNT, symbol: 'AAPL', side: 'BUY', quantity: 100, price: prices.AAPL });
  await chain.emulator.control.fill({ account: ACCOUNT, symbol: 'AAPL', side: 'SELL', quantity: 100, price: prices.AAPL - 20 });
  this.notes.alerts = ['OrderLatencyHigh', 'ApiErrorsExcessive', 'DailyRealizedPnlBelowLimit'];
});

When('a webhook delivery is in flight, with the three alerts still queued for the webhook', async function (this: TraderWorld) {
  const chain = await this.ensureChain();
  const alerts = this.notes.alerts as string[];
  // Other alerts may be in the queue too (ExporterDown on a slow start): the three must be there, undelivered.
  await until(
    'a webhook request held, and webhook notifications of the three alerts in the outbox',
    async () => {
      const pending = pendingEntries(chain, 'webhook');
      return chain.webhook.requests.length > 0 && alerts.every((a) => pending.some((text) => text.includes(`"${a}"`)));
    },
    60_000,
  );
  // The other channels are done, so the kill can only cut the webhook delivery.
  for (const channel of ['email', 'slack', 'sms'] as Channel[]) {
    await until(`${channel} delivered all three`, async () => {
      const all = alerts.every((a) => chain.count(channel, noticePattern(channel, a, 'firing')) === 1);
      return all && (await bridgeMetric(chain, `alert_bridge_queue_depth{channel="${channel}"}`)) === 0;
    });
  }
});

When('the alert bridge process is killed with SIGKILL', async function (this: TraderWorld) {
  const chain = await this.ensureChain();
  // The request the receiver is holding (it answers after 12 s): the bridge never sees its answer.
  const held = chain.webhook.requests.filter((r) => Date.now() - r.at < 10_000);
  assert.equal(held.length, 1, `expected one webhook request in flight, saw ${held.length}`);
  this.notes.inFlightKey = String(held[0].headers['idempotency-key']);
  await chain.killBridge('SIGKILL');
  assert.equal(chain.bridgeChild?.signalCode, 'SIGKILL');
});

When('the webhook receiver answers promptly again', async function (this: TraderWorld) {
  const chain = await this.ensureChain();
  chain.webhook.behave({});
});

When('the alert bridge is started again on the same data folder', async function (this: TraderWorld) {
  const chain = await this.ensureChain();
  await chain.startBridgeProcess();
  // It found the webhook notifications the killed process had accepted (the three alerts at least).
  const recovered = chain.bridgeLog.map((l) => /"msg":"outbox recovered","pending":(\d+)/.exec(l)).find(Boolean);
  assert.ok(
    recovered && Number(recovered[1]) >= 3,
    `no "outbox recovered" with 3 or more pending:\n${chain.bridgeLog.slice(-20).join('\n')}`,
  );
});

Then('email, Slack and SMS each received the three alerts exactly once', async function (this: TraderWorld) {
  const chain = await this.ensureChain();
  const alerts = this.notes.alerts as string[];
  for (const channel of ['email', 'slack', 'sms'] as Channel[]) {
    for (const alert of alerts) {
      assert.equal(chain.count(channel, noticePattern(channel, alert, 'firing')), 1, `${channel} ${alert}\n${chain.describeReceived()}`);
    }
  }
});

Then(
  'the webhook received each of the three alerts, the one in flight at the kill twice with the same Idempotency-Key, every other notification once',
  async function (this: TraderWorld) {
    const chain = await this.ensureChain();
    const alerts = this.notes.alerts as string[];
    const inFlight = this.notes.inFlightKey as string;
    const keysOf = (alert: string) =>
      new Set(
        webhookPosts(chain)
          .filter((p) => p.status === 'firing' && p.alerts.includes(alert))
          .map((p) => p.key),
      );
    await until(
      'the three alerts and the in-flight one again at the webhook, and an empty webhook queue',
      async () =>
        alerts.every((a) => keysOf(a).size > 0) &&
        webhookPosts(chain).filter((p) => p.key === inFlight).length === 2 &&
        (await bridgeMetric(chain, 'alert_bridge_queue_depth{channel="webhook"}')) === 0,
      40_000,
    );
    await sleep(3000);
    const byKey = new Map<string, number>();
    for (const p of webhookPosts(chain)) byKey.set(p.key, (byKey.get(p.key) ?? 0) + 1);
    for (const [key, n] of byKey) {
      assert.match(key, /^[0-9a-f]{64}$/);
      assert.equal(
        n,
        key === inFlight ? 2 : 1,
        `Idempotency-Key ${key.slice(0, 12)}… arrived ${n} times: ${JSON.stringify(webhookPosts(chain))}`,
      );
    }
    // One notification (one key) per alert: nothing re-sent as new.
    for (const alert of alerts) assert.equal(keysOf(alert).size, 1, `${alert}: ${JSON.stringify(webhookPosts(chain))}`);
  },
);
