import { Given, Then, When } from '@cucumber/cucumber';
import assert from 'node:assert/strict';
import { promQuery } from '@traderadmin/test-support';
import type { Page } from 'playwright-core';
import { ACCOUNT, between, type Channel } from '../support/chain.js';
import { ALL_CHANNELS } from '../support/notices.js';
import { amount, openConsole, readout, within } from '../support/console.js';
import type { TraderWorld } from '../support/world.js';

interface Snapshot {
  accounts: Record<string, { portfolio: { equity: number; realizedPnlToday: number; openPositionsCount: number; timestamp: string } }>;
}

async function snapshot(world: TraderWorld): Promise<Snapshot['accounts'][string]['portfolio']> {
  const chain = await world.ensureChain();
  const res = await fetch(`${chain.exporter.url}/api/v1/metrics`);
  assert.equal(res.status, 200);
  const body = (await res.json()) as Snapshot;
  const account = body.accounts[ACCOUNT];
  assert.ok(account, `no ${ACCOUNT} in the snapshot: ${JSON.stringify(body)}`);
  return account.portfolio;
}

// ---- Given: what the chain is configured with ----

Given('the alert configuration {string} is set to {int}', function (this: TraderWorld, key: string, value: number) {
  this.chainOptions.thresholds = { ...this.chainOptions.thresholds, [key]: value };
});

Given('max_latency_ms = {int}', function (this: TraderWorld, value: number) {
  // The first design document's key; our config names it max_order_latency_ms.
  this.chainOptions.thresholds = { ...this.chainOptions.thresholds, max_order_latency_ms: value };
});

Given('a {string} threshold is set to {int}', function (this: TraderWorld, key: string, value: number) {
  this.chainOptions.thresholds = { ...this.chainOptions.thresholds, [key]: value };
});

Given('the cooldown is set to {int} minute(s)', function (this: TraderWorld, minutes: number) {
  this.chainOptions.cooldownMinutes = minutes;
});

Given('the TraderAdmin application is running and connected to IBKR', async function (this: TraderWorld) {
  const chain = await this.ensureChain();
  // Ready = connected, logged in and data flowing, as the exporter's own /readyz says.
  const deadline = Date.now() + 20_000;
  for (;;) {
    const res = await fetch(`${chain.exporter.url}/readyz`);
    if (res.ok) break;
    if (Date.now() > deadline) assert.fail(`exporter never ready: ${res.status} ${await res.text()}`);
    await new Promise((r) => setTimeout(r, 200));
  }
});

Given('the backend metrics service is collecting portfolio data', async function (this: TraderWorld) {
  const chain = await this.ensureChain();
  // An open position, so equity moves with every price tick of the emulated market.
  const price = (await chain.emulator.control.state()).prices.AAPL;
  await chain.emulator.control.fill({ account: ACCOUNT, symbol: 'AAPL', side: 'BUY', quantity: 100, price });
  const deadline = Date.now() + 15_000;
  while ((await snapshot(this)).openPositionsCount !== 1) {
    if (Date.now() > deadline) assert.fail('the fill never reached the exporter');
    await new Promise((r) => setTimeout(r, 200));
  }
});

// ---- When / Then: the dashboard's data ----

When("the 'MonitoringTab' in the GUI fetches metrics periodically", async function (this: TraderWorld) {
  // The console's Monitoring view in headless Chromium: it fetches every refresh_seconds (5 s).
  const page = await openConsole(this, `/monitoring?account=${ACCOUNT}&range=1h`);
  await page.locator('[data-metric="equity"]').waitFor({ timeout: 15_000 });
  this.notes.console = page;
});

Then('the dashboard displays the current Equity, Realized P&L, and Open Positions Count', async function (this: TraderWorld) {
  const page = this.notes.console as Page;
  // What the screen shows is what the exporter reports (equity moves with every price tick,
  // so it is compared with the exporter's value read around the same refresh).
  await within(10, 'the screen matches the exporter', async () => {
    const exporter = await snapshot(this);
    const equity = amount(await readout(page, 'equity'));
    return (
      Math.abs(equity - exporter.equity) / exporter.equity < 0.005 &&
      Math.abs(amount(await readout(page, 'realized-pnl')) - exporter.realizedPnlToday) < 0.01 &&
      amount(await readout(page, 'open-positions')) === exporter.openPositionsCount
    );
  });
  assert.equal(amount(await readout(page, 'open-positions')), 1);
  assert.equal(await page.locator('table.positions tbody tr[data-symbol="AAPL"]').count(), 1, 'AAPL is not in the positions table');
  assert.deepEqual(this.notes.consoleErrors, []);
});

Then('these values update approximately every 5-10 seconds', async function (this: TraderWorld) {
  const page = this.notes.console as Page;
  const chain = await this.ensureChain();
  // Two refreshes of the view, 5 s apart (the "Updated" line changes on each).
  const updated = () => page.locator('#updated').textContent();
  const first = await updated();
  const gap = await within(12, 'the view refreshes', async () => (await updated()) !== first);
  const second = await updated();
  const next = await within(12, 'the view refreshes again', async () => (await updated()) !== second);
  assert.ok(next >= 4 && next <= 10, `the view refreshed ${next.toFixed(1)} s after the previous refresh (then ${gap.toFixed(1)} s)`);
  // The emulated account trades (through the emulator's control API): the screen follows within 10 s.
  const before = amount(await readout(page, 'realized-pnl'));
  const price = (await chain.emulator.control.state()).prices.AAPL;
  await chain.emulator.control.fill({ account: ACCOUNT, symbol: 'AAPL', side: 'SELL', quantity: 100, price: price + 1 });
  const seconds = await within(10, 'the sale shows on screen', async () => {
    const exporter = await snapshot(this);
    return (
      amount(await readout(page, 'open-positions')) === 0 &&
      exporter.openPositionsCount === 0 &&
      Math.abs(amount(await readout(page, 'realized-pnl')) - exporter.realizedPnlToday) < 0.01
    );
  });
  assert.notEqual(amount(await readout(page, 'realized-pnl')), before, 'realized P&L did not change on screen');
  this.attach(`the trade showed on screen ${seconds.toFixed(1)} s after the fill`);
});

// ---- Alerts ----

Given(/^an order execution takes (\d+) ?ms$/, async function (this: TraderWorld, ms: string) {
  await injectSlowFill(this, Number(ms));
});

Given('a trade execution took {int} ms', async function (this: TraderWorld, ms: number) {
  await injectSlowFill(this, ms);
});

async function injectSlowFill(world: TraderWorld, latencyMs: number): Promise<void> {
  const chain = await world.ensureChain();
  const price = (await chain.emulator.control.state()).prices.MSFT;
  // The emulator fills after latencyMs and, like a strategy orchestrator, reports the round trip to the exporter.
  await chain.emulator.control.fill({ account: ACCOUNT, symbol: 'MSFT', side: 'BUY', quantity: 10, price, latencyMs });
  world.notes.latencyMs = latencyMs;
  world.notes.pushedAt = chain.now();
}

When(/^(?:the alert system .*evaluates metrics|metrics are evaluated)$/, async function (this: TraderWorld) {
  const chain = await this.ensureChain();
  // Scrape 1 s + evaluation 1 s + group_wait 1 s: the alert reaches Alertmanager within seconds.
  const deadline = Date.now() + 30_000;
  for (;;) {
    const firing = await promQuery(chain.prometheus.url, `ALERTS{alertname="OrderLatencyHigh",alertstate="firing",account="${ACCOUNT}"}`);
    if (firing.length > 0) return;
    if (Date.now() > deadline) assert.fail('OrderLatencyHigh never fired in Prometheus');
    await new Promise((r) => setTimeout(r, 250));
  }
});

Then('an alert notification is triggered', async function (this: TraderWorld) {
  const chain = await this.ensureChain();
  const alerts = (await (
    await fetch(`${chain.alertmanager.url}/api/v2/alerts?filter=alertname%3D%22OrderLatencyHigh%22`)
  ).json()) as Array<{
    labels: Record<string, string>;
    annotations: Record<string, string>;
  }>;
  const alert = alerts.find((a) => a.labels.account === ACCOUNT);
  assert.ok(alert, 'OrderLatencyHigh is not in Alertmanager');
  assert.equal(alert.labels.severity, 'warning');
  assert.match(alert.annotations.description, new RegExp(`took ${this.notes.latencyMs}ms, above the \\d+ ms limit`));
});

Then(
  /^(?:sent via all enabled channels .*with details about the high latency|an alert is sent via each configured channel)$/,
  async function (this: TraderWorld) {
    const chain = await this.ensureChain();
    const from = this.notes.pushedAt as number;
    const latency = String(this.notes.latencyMs);
    for (const channel of ALL_CHANNELS) {
      const got = await chain.want(channel, between(from, from + 30), /OrderLatencyHigh|order round trip|Slow order/i);
      // The details: how slow it was, and the limit it crossed (SMS keeps it short but keeps both).
      assert.match(got.text, new RegExp(`${latency}\\s?ms`), `${channel} lacks the latency: ${got.text}`);
      assert.match(got.text, /200\s?ms/, `${channel} lacks the limit: ${got.text}`);
      assert.match(got.text, /4567/, `${channel} lacks the (masked) account: ${got.text}`);
      // People read a masked id; links keep the real one (the dashboard selects it, the silence
      // must match it), and the webhook's JSON keeps full labels for machines.
      if (channel !== 'webhook') {
        const prose = got.text.replace(/https?:\/\/[^\s"<>)]+/g, '<link>');
        assert.doesNotMatch(prose, new RegExp(ACCOUNT), `${channel} shows the full account id: ${prose}`);
      }
    }
  },
);

Given('{int} API errors occur within a few minutes', async function (this: TraderWorld, n: number) {
  const chain = await this.ensureChain();
  await chain.pushEvents(
    Array.from({ length: n }, () => ({ type: 'error', component: 'orchestrator', code: 'ORDER_TIMEOUT', class: 'order_reject' })),
  );
  this.notes.pushedAt = chain.now();
});

When('the alert system evaluates this condition', async function (this: TraderWorld) {
  const chain = await this.ensureChain();
  const deadline = Date.now() + 30_000;
  while ((await promQuery(chain.prometheus.url, 'ALERTS{alertname="ApiErrorsExcessive",alertstate="firing"}')).length === 0) {
    if (Date.now() > deadline) assert.fail('ApiErrorsExcessive never fired');
    await new Promise((r) => setTimeout(r, 250));
  }
});

Then('an alert for {string} is sent', async function (this: TraderWorld, title: string) {
  const chain = await this.ensureChain();
  const from = this.notes.pushedAt as number;
  const got = await chain.want('email', between(from, from + 30), new RegExp(title, 'i'));
  assert.match(got.text, /11 API errors/);
  this.notes.firstNotice = got.at;
  for (const channel of ['slack', 'webhook'] as Channel[])
    await chain.want(channel, between(from, from + 30), /ApiErrorsExcessive|Excessive API errors/i);
});

Then(
  'if more API errors occur immediately after, the same alert is not re-sent for a configurable cooldown period \\(e.g., {int} minutes)',
  async function (this: TraderWorld, _example: number) {
    const chain = await this.ensureChain();
    await chain.pushEvents(
      Array.from({ length: 5 }, () => ({ type: 'error', component: 'orchestrator', code: 'ORDER_TIMEOUT', class: 'order_reject' })),
    );
    const first = this.notes.firstNotice as number;
    const cooldown = (this.chainOptions.cooldownMinutes ?? 15) * 60;
    // Through most of the cooldown, with the errors still climbing: exactly one notice per channel.
    await chain.at(first + cooldown - 10);
    for (const channel of ['email', 'slack', 'webhook'] as Channel[]) {
      assert.equal(
        chain.count(channel, /ApiErrorsExcessive|Excessive API errors/i),
        1,
        `${channel} got a repeat inside the cooldown:\n${chain.describeReceived()}`,
      );
    }
  },
);

Then('once the cooldown has passed while it still fires, it is sent again as a reminder', async function (this: TraderWorld) {
  const chain = await this.ensureChain();
  const first = this.notes.firstNotice as number;
  const cooldown = (this.chainOptions.cooldownMinutes ?? 15) * 60;
  const waitForSecond = async () => {
    const deadline = chain.startedAt + (first + cooldown + 20) * 1000;
    while (chain.count('email', /Excessive API errors/i) < 2) {
      if (Date.now() > deadline) assert.fail(`no reminder by ${cooldown + 20} s after the first notice:\n${chain.describeReceived()}`);
      await new Promise((r) => setTimeout(r, 250));
    }
  };
  await waitForSecond();
  const reminder = chain.received('email').filter((r) => /Excessive API errors/i.test(r.text))[1];
  assert.ok(
    reminder.at >= first + cooldown - 1,
    `reminder at ${reminder.at.toFixed(1)} s, before the cooldown ended at ${(first + cooldown).toFixed(1)} s`,
  );
});
