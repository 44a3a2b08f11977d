import { Given, Then, When } from '@cucumber/cucumber';
import assert from 'node:assert/strict';
import { parse as parseToml } from 'smol-toml';
import { startPageHarness, type PageHarness } from '@traderadmin/console/harness';
import { launchChromium } from '@traderadmin/console/browser';
import { AlertsPageDriver } from '@traderadmin/console/driver';
import { DEFAULT_TEST_MESSAGE } from '@traderadmin/alert-bridge';
import { startSlackPeer, waitFor, type SlackPeer } from '@traderadmin/test-support';
import type { TraderWorld } from '../support/world.js';

interface PageContext {
  harness: PageHarness;
  driver: AlertsPageDriver;
  before: string;
  slack?: SlackPeer;
  result?: string;
}

/** Starts the page on a real stack and opens it in Chromium. */
async function openPage(world: TraderWorld, options: Parameters<typeof startPageHarness>[0]): Promise<PageContext> {
  const harness = await startPageHarness(options);
  world.cleanups.push(() => harness.stop());
  const browser = await launchChromium();
  world.cleanups.push(() => browser.close());
  const driver = await AlertsPageDriver.open(browser, harness.url);
  const context: PageContext = { harness, driver, before: harness.configText() };
  world.notes.page = context;
  return context;
}

const page = (world: TraderWorld) => world.notes.page as PageContext;

// Slack's posts, like the harness's testMails(): ExporterDown fires in the page's stack (it has no
// exporter) and may be posted too.
const testPosts = (slack: SlackPeer) => slack.messages().filter((m) => JSON.stringify(m).includes(DEFAULT_TEST_MESSAGE));
// The assertions after each wait say what arrived, so a wait that runs out is not an error itself.
const arrived = (what: string, done: () => boolean) => waitFor(what, done, { timeoutMs: 15_000 }).catch(() => undefined);

type Toml = { alerts_config: { notifications: Record<string, { enabled: boolean; recipients?: string[] }> } };

Given("the user navigates to the 'AlertsConfigurationTab'", async function (this: TraderWorld) {
  // Email is configured (SMTP server, sender) but not enabled yet: the trader turns it on.
  await openPage(this, { bridge: true, emailEnabled: false });
});

When('the user enables email notifications', async function (this: TraderWorld) {
  await page(this).driver.enableNotifications('email');
});

When('enters {string} in the email recipients field', async function (this: TraderWorld, address: string) {
  await page(this).driver.setListItem('email', 'recipient', 1, address);
  this.notes.address = address;
});

When('clicks "Apply Configuration" to save changes', async function (this: TraderWorld) {
  const outcome = await page(this).driver.apply();
  assert.match(outcome, /applied/i, `the page said: ${outcome}`);
});

Then("the 'config.toml' is updated with the new email alert settings", function (this: TraderWorld) {
  const { harness, before } = page(this);
  const after = harness.configText();
  const email = (parseToml(after) as unknown as Toml).alerts_config.notifications.email;
  assert.equal(email.enabled, true);
  assert.deepEqual(email.recipients, [this.notes.address]);
  // Only the changed lines changed: the user's comments and every other key are kept as written.
  const changed = after.split('\n').filter((line, i) => line !== before.split('\n')[i]);
  assert.ok(changed.length > 0 && changed.length <= 2, `changed lines:\n${changed.join('\n')}`);
  assert.equal(
    after.split('\n').filter((l) => l.trim().startsWith('#')).length,
    before.split('\n').filter((l) => l.trim().startsWith('#')).length,
  );
});

Then('the alert service reloads the new configuration', async function (this: TraderWorld) {
  const { harness } = page(this);
  const email = harness.bridge!.config().alerts_config.notifications.email;
  assert.equal(email.enabled, true, 'the running bridge did not pick up the change');
  assert.deepEqual([...email.recipients], [this.notes.address]);
  // Alertmanager runs the regenerated routes: email is a receiver now.
  const status = (await (await fetch(`${harness.alertmanager.url}/api/v2/status`)).json()) as { config: { original: string } };
  assert.match(status.config.original, /bridge-email/);
});

Given('email notifications are enabled and configured with a valid recipient and SMTP settings', async function (this: TraderWorld) {
  await openPage(this, { bridge: true, emailEnabled: true });
});

When('the user clicks the "Test Email Alert" button on the \'AlertsConfigurationTab\'', async function (this: TraderWorld) {
  page(this).result = await page(this).driver.testAlert('email');
});

Then("the backend 'TestAlertNotification' function is called for the email channel", function (this: TraderWorld) {
  // The page shows, per recipient, what the bridge's test-alert API answered.
  const result = page(this).result ?? '';
  assert.match(result, /Test alert delivered/, result);
  assert.match(result, /trader@example\.com/, result);
});

Then('a sample email alert is successfully delivered to the configured recipient\\(s)', async function (this: TraderWorld) {
  const { harness } = page(this);
  await arrived('a test alert at the SMTP server', () => harness.testMails().length > 0);
  const [mail, ...more] = harness.testMails();
  assert.ok(
    mail,
    `no test alert reached the SMTP server; it got: ${harness.smtp!.mails.map((m) => m.parsed.subject).join(', ') || 'nothing'}`,
  );
  assert.equal(more.length, 0, 'the test alert was mailed more than once');
  assert.deepEqual(mail.envelopeTo, ['trader@example.com']);
  assert.ok(mail.parsed.html, 'the mail has no HTML part');
});

Given('valid email and Slack webhook in alerts config', async function (this: TraderWorld) {
  const slack = await startSlackPeer();
  this.cleanups.push(() => slack.stop());
  const context = await openPage(this, {
    bridge: true,
    emailEnabled: true,
    env: { FEATURE_SLACK_WEBHOOK_URL: slack.webhookUrl },
    edits: [
      { path: ['alerts_config', 'notifications', 'slack', 'enabled'], value: true },
      { path: ['alerts_config', 'notifications', 'slack', 'webhook_url'], value: 'env:FEATURE_SLACK_WEBHOOK_URL' },
    ],
  });
  context.slack = slack;
});

When('user clicks "Test Alert"', async function (this: TraderWorld) {
  page(this).result = await page(this).driver.testAlert('all');
});

Then('a sample notification is delivered to each endpoint', async function (this: TraderWorld) {
  const { harness, slack, result } = page(this);
  assert.doesNotMatch(result ?? '', /failed/i, result);
  await arrived('a test alert at each endpoint', () => harness.testMails().length > 0 && testPosts(slack!).length > 0);
  assert.equal(harness.testMails().length, 1, 'test alerts at the email endpoint');
  assert.equal(testPosts(slack!).length, 1, 'test alerts at the Slack endpoint');
});
