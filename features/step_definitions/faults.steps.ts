/**
 * Faults on the whole chain: the gateway, Prometheus, Alertmanager, the bridge process and the
 * providers fail; the steps check what the trader receives and that nothing is lost. Every
 * check reads the real chain: Prometheus queries, the bridge's own metrics, the peers' inboxes.
 */
import { Given, Then, When } from '@cucumber/cucumber';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { promQuery } from '@traderadmin/test-support';
import { ACCOUNT, between, type Chain, type Channel } from '../support/chain.js';
import { ALL_CHANNELS, noticePattern } from '../support/notices.js';
import type { TraderWorld } from '../support/world.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Polls `check` until it returns a value other than undefined/false, or fails with `what` and the last value seen. */
async function until<T>(what: string, check: () => Promise<T | undefined | false>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value !== undefined && value !== false) return value;
      last = value;
    } catch (error) {
      last = (error as Error).message;
    }
    if (Date.now() > deadline) assert.fail(`${what}: not within ${timeoutMs / 1000} s (last: ${JSON.stringify(last)})`);
    await sleep(250);
  }
}

/** The values of an instant PromQL query. */
async function prom(chain: Chain, expr: string): Promise<number[]> {
  return (await promQuery(chain.prometheus.url, expr)).map((r) => Number(r.value[1]));
}

/** One sample of the bridge's own /metrics (0 when the series is absent). */
async function bridgeMetric(chain: Chain, series: string): Promise<number> {
  const text = await (await fetch(`${chain.bridgeUrl}/metrics`)).text();
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line ? Number(line.split(' ')[1]) : 0;
}

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

const since = (world: TraderWorld) => (world.notes.since as number | undefined) ?? (world.notes.pushedAt as number | undefined) ?? 0;

/** HH:MM in New York, `hours` from now: the nightly restart window (no BrokerDisconnected page) must not cover the test run. */
function newYorkTime(hours: number): string {
  const t = new Date(Date.now() + hours * 3_600_000);
  return new Intl.DateTimeFormat('en-GB', { timeZone: 'America/New_York', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(t);
}

// ---- The gateway ----

Given('the exporter reconnects to the gateway within {int} seconds', function (this: TraderWorld, seconds: number) {
  this.chainOptions.broker = {
    ...this.chainOptions.broker,
    reconnect_min_seconds: 0.5,
    reconnect_max_seconds: seconds,
    restart_window_start: newYorkTime(10),
    restart_window_end: newYorkTime(11),
  };
});

Given(
  'the account bought {int} {word}, and the exporter counted {int} buy fill(s)',
  async function (this: TraderWorld, quantity: number, symbol: string, fills: number) {
    const chain = await this.ensureChain();
    const price = (await chain.emulator.control.state()).prices[symbol];
    await chain.emulator.control.fill({ account: ACCOUNT, symbol, side: 'BUY', quantity, price });
    await until(`trader_executions_total{side="buy"} = ${fills} in Prometheus`, async () => {
      const [v] = await prom(chain, `trader_executions_total{account="${ACCOUNT}",side="buy"}`);
      return v === fills;
    });
  },
);

When('the gateway goes down', async function (this: TraderWorld) {
  const chain = await this.ensureChain();
  await chain.emulator.control.refuseConnections();
  await chain.emulator.control.dropConnections();
  this.notes.since = this.notes.downAt = chain.now();
});

When('{int} {word} are bought while the gateway is down', async function (this: TraderWorld, quantity: number, symbol: string) {
  const chain = await this.ensureChain();
  const state = await chain.emulator.control.state();
  // Really during the outage: the gateway refuses connections and has no client.
  assert.equal(state.gateway.refusing, true);
  assert.equal(state.gateway.connections, 0, 'a client is still connected');
  await chain.emulator.control.fill({ account: ACCOUNT, symbol, side: 'BUY', quantity, price: state.prices[symbol] });
});

When('the gateway comes back after being down {int} seconds', async function (this: TraderWorld, seconds: number) {
  const chain = await this.ensureChain();
  await chain.at((this.notes.downAt as number) + seconds);
  await chain.emulator.control.acceptConnections();
});

When('the gateway stops answering but keeps the socket open', async function (this: TraderWorld) {
  const chain = await this.ensureChain();
  await chain.emulator.control.hang();
  this.notes.since = chain.now();
});

When('the gateway answers again', async function (this: TraderWorld) {
  const chain = await this.ensureChain();
  await chain.emulator.control.unhang();
});

When('the gateway restarts and is down for {int} seconds', async function (this: TraderWorld, seconds: number) {
  const chain = await this.ensureChain();
  this.notes.since = chain.now();
  await chain.emulator.control.restart({ downMs: seconds * 1000 });
});

Then('Prometheus shows {word} = {int}', async function (this: TraderWorld, metric: string, value: number) {
  const chain = await this.ensureChain();
  await until(`${metric} = ${value} in Prometheus`, async () => (await prom(chain, metric)).includes(value));
});

Then('trader_broker_connected is back to 1', async function (this: TraderWorld) {
  const chain = await this.ensureChain();
  await until('trader_broker_connected = 1 in Prometheus', async () => (await prom(chain, 'trader_broker_connected'))[0] === 1, 40_000);
});

Then(
  'the exporter counted {int} buy fills: the one made during the outage, and none twice',
  async function (this: TraderWorld, fills: number) {
    const chain = await this.ensureChain();
    const series = `trader_executions_total{account="${ACCOUNT}",side="buy"}`;
    await until(`${series} = ${fills}`, async () => (await prom(chain, series))[0] === fills);
    // The reconnect replays the whole day's executions: the ones already counted must not count again.
    await sleep(3000);
    assert.deepEqual(await prom(chain, `max_over_time(${series}[10m])`), [fills], 'a fill was counted twice at some point');
    const snapshot = (await (await fetch(`${chain.exporter.url}/api/v1/metrics`)).json()) as {
      accounts: Record<string, { portfolio: { openPositionsCount: number } }>;
    };
    assert.equal(snapshot.accounts[ACCOUNT].portfolio.openPositionsCount, fills, 'open positions after the reconnect');
  },
);

Then(
  'the exporter still shows {int} open position(s) and {int} buy fill(s), none counted twice',
  async function (this: TraderWorld, positions: number, fills: number) {
    const chain = await this.ensureChain();
    const series = `trader_executions_total{account="${ACCOUNT}",side="buy"}`;
    await until(
      'open positions back in the exporter',
      async () => (await prom(chain, `trader_open_positions{account="${ACCOUNT}"}`))[0] === positions,
    );
    await sleep(2000);
    assert.deepEqual(await prom(chain, series), [fills]);
    assert.deepEqual(await prom(chain, `max_over_time(${series}[10m])`), [fills], 'a fill was counted twice at some point');
  },
);

// ---- IB's own connectivity codes ----

When("the gateway loses its connection to IB's servers", async function (this: TraderWorld) {
  const chain = await this.ensureChain();
  this.notes.since = chain.now();
  await chain.emulator.control.connectivityLost();
});

When(/^the connection to IB's servers is restored with the data (lost|kept)$/, async function (this: TraderWorld, how: string) {
  const chain = await this.ensureChain();
  // @stoqey/ib answers 1100 with a reconnect of its own: restore once that session is up, as IB would later.
  await until('the exporter ready again', async () => (await fetch(`${chain.exporter.url}/readyz`)).ok);
  chain.emulator.control.connectivityRestored(how === 'lost');
});

Then('the exporter counted IB code {int} exactly {int} time(s)', async function (this: TraderWorld, code: number, times: number) {
  const chain = await this.ensureChain();
  const series = `trader_api_errors_total{component="ibkr",code="${code}"}`;
  await until(`${series} = ${times}`, async () => (await prom(chain, series))[0] === times);
});

Then(
  'prices still reach the exporter: {word} set to {float} shows as its market price',
  async function (this: TraderWorld, symbol: string, price: number) {
    const chain = await this.ensureChain();
    await chain.emulator.control.price({ symbol, price });
    // 1101 means the gateway forgot every subscription: only a fresh one brings the new price.
    // The random walk moves it by ~0.1 % a tick from there: within 1 % is this price, not the old one.
    let seen = NaN;
    await until(
      `trader_position_market_price{symbol="${symbol}"} near ${price}`,
      async () => {
        [seen] = await prom(chain, `trader_position_market_price{account="${ACCOUNT}",symbol="${symbol}"}`);
        return Math.abs(seen - price) / price < 0.01;
      },
      20_000,
    ).catch((error: Error) => assert.fail(`${error.message}; the exporter still shows ${seen}`));
  },
);

Then(
  'the socket stayed up all along: trader_broker_connected never dropped and BrokerDisconnected never fired',
  async function (this: TraderWorld) {
    const chain = await this.ensureChain();
    assert.deepEqual(await prom(chain, 'min_over_time(trader_broker_connected[30s])'), [1]);
    assert.deepEqual(await prom(chain, 'count_over_time(ALERTS{alertname="BrokerDisconnected"}[1m])'), []);
    assert.equal(chain.count('email', /BrokerDisconnected/), 0);
  },
);

// ---- Alerts on every channel ----

Then('{word} fires and reaches every channel', async function (this: TraderWorld, alert: string) {
  const chain = await this.ensureChain();
  const from = since(this);
  await until(
    `${alert} firing in Prometheus`,
    async () => (await prom(chain, `ALERTS{alertname="${alert}",alertstate="firing"}`)).length > 0,
    40_000,
  );
  for (const channel of ALL_CHANNELS) await chain.want(channel, between(from, from + 60), noticePattern(channel, alert, 'firing'));
});

Then('{word} resolves and every channel is told once', async function (this: TraderWorld, alert: string) {
  const chain = await this.ensureChain();
  const from = since(this);
  for (const channel of ALL_CHANNELS) await chain.want(channel, between(from, chain.now() + 40), noticePattern(channel, alert, 'resolved'));
  await sleep(2000);
  for (const channel of ALL_CHANNELS) {
    for (const status of ['firing', 'resolved'] as const) {
      assert.equal(
        chain.count(channel, noticePattern(channel, alert, status)),
        1,
        `${channel}: ${alert} ${status}\n${chain.describeReceived()}`,
      );
    }
  }
});

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

// ---- Providers failing ----

Given(
  'the bridge retries a delivery up to {int} times, backing off from 1 to {int} seconds',
  function (this: TraderWorld, attempts: number, max: number) {
    this.chainOptions.bridge = { ...this.chainOptions.bridge, max_attempts: attempts, retry_min_seconds: 1, retry_max_seconds: max };
  },
);

/** Makes a peer fail now and recover `seconds` later; the scenario remembers when. */
function outage(world: TraderWorld, seconds: number, fail: () => void, recover: () => void, chain: Chain): void {
  fail();
  const timer = setTimeout(recover, seconds * 1000);
  world.cleanups.push(() => clearTimeout(timer));
  const ends = chain.now() + seconds;
  world.notes.outageEnds = Math.max((world.notes.outageEnds as number | undefined) ?? 0, ends);
  world.notes.since = Math.min((world.notes.since as number | undefined) ?? Infinity, chain.now());
}

Given('the SMTP server rejects every message with 451 for {int} seconds', async function (this: TraderWorld, seconds: number) {
  const chain = await this.ensureChain();
  outage(
    this,
    seconds,
    () => chain.smtp.behave({ fail: { code: 451, message: 'try again later' } }),
    () => chain.smtp.behave({}),
    chain,
  );
  this.notes.failing = [...((this.notes.failing as string[] | undefined) ?? []), 'email'];
});

Given(
  /^(Slack|Twilio) answers 429 with Retry-After (\d+) for (\d+) seconds$/,
  async function (this: TraderWorld, who: string, retryAfter: string, seconds: string) {
    const chain = await this.ensureChain();
    const peer = who === 'Slack' ? chain.slack : chain.twilio;
    outage(
      this,
      Number(seconds),
      () => peer.behave({ fail: { status: 429, retryAfter } }),
      () => peer.behave({}),
      chain,
    );
    this.notes.failing = [...((this.notes.failing as string[] | undefined) ?? []), who === 'Slack' ? 'slack' : 'sms'];
  },
);

// Waits out the outage itself (a full minute in the @long scenarios), so longer than the default step timeout.
Then(
  '{word} reaches each failing channel exactly once, after the outage',
  { timeout: 240_000 },
  async function (this: TraderWorld, alert: string) {
    const chain = await this.ensureChain();
    const failing = this.notes.failing as Channel[];
    const ends = this.notes.outageEnds as number;
    for (const channel of failing) {
      const got = await chain.want(channel, between(ends - 1, ends + 90), noticePattern(channel, alert, 'firing'));
      assert.ok(got.at >= ends - 1, `${channel} got it at ${got.at} s, during the outage`);
    }
    await sleep(3000);
    for (const channel of failing)
      assert.equal(chain.count(channel, noticePattern(channel, alert, 'firing')), 1, `${channel}\n${chain.describeReceived()}`);
    // The outage was real: each provider refused at least one attempt.
    if (failing.includes('email')) assert.ok(chain.smtp.attempts() > chain.smtp.mails.length, 'the SMTP server never refused a message');
    if (failing.includes('slack'))
      assert.ok(
        chain.slack.requests.some((r) => r.status === 429),
        'Slack never answered 429',
      );
    if (failing.includes('sms'))
      assert.ok(
        chain.twilio.requests.some((r) => r.status === 429),
        'Twilio never answered 429',
      );
  },
);

Then('nothing was given up on, and AlertDeliveryFailing never fired', async function (this: TraderWorld) {
  const chain = await this.ensureChain();
  const dead = await prom(chain, 'max_over_time(alert_bridge_dead_letters[10m])');
  assert.ok(dead.length > 0, 'Prometheus has no alert_bridge_dead_letters: the bridge is not scraped');
  assert.deepEqual([...new Set(dead)], [0], 'the bridge gave up on a notification');
  // Prometheus saw the backlog while the providers failed.
  const [oldest] = await prom(chain, 'max_over_time(alert_bridge_oldest_queued_age_seconds[10m])');
  assert.ok(oldest > 0, 'Prometheus never saw a queued notification');
  assert.deepEqual(await prom(chain, 'count_over_time(ALERTS{alertname="AlertDeliveryFailing"}[10m])'), []);
  const letters = (await (await fetch(`${chain.bridgeUrl}/api/v1/dead-letters`)).json()) as unknown[] | { deadLetters?: unknown[] };
  assert.equal(Array.isArray(letters) ? letters.length : (letters.deadLetters ?? []).length, 0);
});
