import { Given, Then, When } from '@cucumber/cucumber';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { ACCOUNT, between } from '../support/chain.js';
import { openConsole, within } from '../support/console.js';
import type { TraderWorld } from '../support/world.js';

interface AmAlert {
  labels: Record<string, string>;
  status: { state: string; silencedBy: string[] };
}

async function amAlerts(world: TraderWorld): Promise<AmAlert[]> {
  const chain = await world.ensureChain();
  return (await (await fetch(`${chain.alertmanager.url}/api/v2/alerts`)).json()) as AmAlert[];
}

Given('the alert OrderLatencyHigh was notified by webhook with a silence link', async function (this: TraderWorld) {
  this.chainOptions = { ...this.chainOptions, channels: ['webhook'], thresholds: { max_order_latency_ms: 200 } };
  const chain = await this.ensureChain();
  await chain.pushEvents([{ type: 'order_latency', account: ACCOUNT, stage: 'fill', latency_ms: 900 }]);
  const hit = await chain.want('webhook', between(0, 30), /OrderLatencyHigh/);
  const body = JSON.parse(hit.text) as { alerts: Array<{ silenceUrl?: string }> };
  const link = body.alerts[0]?.silenceUrl;
  assert.ok(link, `no silence link in ${hit.text.slice(0, 300)}`);
  // The link is the console's own address (alerts_page.listen), not an Alertmanager UI.
  const consoleUrl = new URL((await chain.startConsole()).url);
  assert.equal(new URL(link).host, consoleUrl.host);
  this.notes.silenceLink = link;
  this.notes.notifiedBefore = chain.count('webhook', /OrderLatencyHigh/);
});

When('the trader opens the silence link in the console and clicks "Silence"', async function (this: TraderWorld) {
  const page: Page = await openConsole(this, this.notes.silenceLink as string);
  // Prefilled from the link: the alert and the account.
  await within(10, 'the form is filled in', async () => (await page.locator('#silence-account').inputValue()) === ACCOUNT);
  assert.equal(await page.locator('#silence-alertname').inputValue(), 'OrderLatencyHigh');
  await page.getByRole('button', { name: 'Silence', exact: true }).click();
  await page.locator('#alerts-status.ok').waitFor({ timeout: 10_000 });
  this.notes.silencedAt = (await this.ensureChain()).now();
});

Then('Alertmanager holds the alert under that silence', async function (this: TraderWorld) {
  await within(10, 'Alertmanager suppresses the alert', async () =>
    (await amAlerts(this)).some(
      (a) =>
        a.labels.alertname === 'OrderLatencyHigh' &&
        a.labels.account === ACCOUNT &&
        a.status.state === 'suppressed' &&
        a.status.silencedBy.length === 1,
    ),
  );
});

Then('the next notification of that alert is not sent', async function (this: TraderWorld) {
  const chain = await this.ensureChain();
  // A slow acknowledgement adds an alert to the same group (alertname, account): without the
  // silence Alertmanager notifies the group again within a group_interval (1 s).
  await chain.pushEvents([{ type: 'order_latency', account: ACCOUNT, stage: 'ack', latency_ms: 900 }]);
  await within(15, 'the new alert reaches Alertmanager, silenced', async () =>
    (await amAlerts(this)).some(
      (a) => a.labels.alertname === 'OrderLatencyHigh' && a.labels.stage === 'ack' && a.status.state === 'suppressed',
    ),
  );
  await new Promise((r) => setTimeout(r, 4000));
  const after = chain.received('webhook').filter((r) => /OrderLatencyHigh/.test(r.text) && r.at > (this.notes.silencedAt as number));
  assert.deepEqual(
    after.map((r) => r.text.slice(0, 200)),
    [],
    'a notification of the silenced alert was sent',
  );
  assert.equal(chain.count('webhook', /OrderLatencyHigh/), this.notes.notifiedBefore);
});
