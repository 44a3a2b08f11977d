/**
 * The page in real headless Chromium against a running stack: real Prometheus and
 * Alertmanager with generated configuration, the real alert bridge, a real SMTP server.
 */
import { requireBinaries } from '@traderadmin/test-support';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, newContext, screenshotPath } from './browser.js';
import { AlertsPageDriver } from './driver.js';
import { startPageHarness, type PageHarness } from './harness.js';

// page.evaluate callbacks run in the browser; this file is type-checked for Node, without DOM types.
declare const document: {
  activeElement: { id: string } | null;
  querySelector(selector: string): unknown;
  documentElement: { scrollWidth: number };
  body: unknown;
};
declare const window: { scrollTo(x: number, y: number): void };
declare function getComputedStyle(element: unknown): { outlineStyle: string; backgroundColor: string; color: string };

// Skipped on a machine without them (npm test's bootstrap installs them); never skipped in CI.
requireBinaries('chromium', 'prometheus', 'prometheus-alertmanager');

const LATENCY = '#f-alerts_config_thresholds_max_order_latency_ms';
const STALENESS = '#f-alerts_config_thresholds_max_data_staleness_seconds';
const API_ERRORS = '#f-alerts_config_thresholds_max_api_errors_per_hour';

/** The query of a loaded alerting rule, from Prometheus's /api/v1/rules. */
async function loadedRule(h: PageHarness, name: string): Promise<string> {
  const body = (await (await fetch(`${h.prometheus.url}/api/v1/rules?type=alert`)).json()) as {
    data: { groups: Array<{ rules: Array<{ name: string; query: string }> }> };
  };
  const rule = body.data.groups.flatMap((g) => g.rules).find((r) => r.name === name);
  if (!rule) throw new Error(`Prometheus has no rule ${name}`);
  return rule.query;
}

async function open(browser: Browser, h: PageHarness, options: { dark?: boolean; phone?: boolean } = {}): Promise<Page> {
  const context = await newContext(browser, options);
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(`${h.url}config`);
  await page.locator(LATENCY).waitFor();
  (page as Page & { errors: string[] }).errors = errors;
  return page;
}

/** Clicks Apply configuration, confirms the review, and waits for the outcome. */
async function applyAndConfirm(page: Page): Promise<string> {
  await page.getByRole('button', { name: 'Apply configuration' }).click();
  const dialog = page.getByRole('dialog', { name: 'Review the changes' });
  await dialog.waitFor();
  await dialog.getByRole('button', { name: 'Apply', exact: true }).click();
  const status = page.locator('#status');
  await expect
    .poll(async () => (await status.textContent()) ?? '', { timeout: 20_000 })
    .toMatch(/applied and in effect|failed|refused|changed since/);
  return (await status.textContent()) ?? '';
}

describe('the alerts configuration page in Chromium, on a running stack', () => {
  let h: PageHarness;
  let browser: Browser;
  let original: string;

  beforeAll(async () => {
    // The webhook keeps a bearer token: a new URL for it must give the token's reference again.
    h = await startPageHarness({
      bridge: true,
      emailEnabled: false,
      env: { WEBHOOK_TOKEN: 'hook-s3cr3t' },
      edits: [{ path: ['alerts_config', 'notifications', 'webhook', 'bearer_token'], value: 'env:WEBHOOK_TOKEN' }],
    });
    original = h.configText();
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await h?.stop();
  });

  it('enables email with a recipient, applies it, and the bridge reloads the new settings', async () => {
    const page = await AlertsPageDriver.open(browser, h.url);
    const details = page.page.locator('#f-alerts_config_notifications_email-details');
    expect(await details.isHidden()).toBe(true);
    await page.enableNotifications('email');
    expect(await details.isVisible()).toBe(true);
    await page.setListItem('email', 'recipient', 1, 'test@example.com');
    const status = await page.apply();
    expect(status).toContain('The configuration applied and in effect');
    expect(status).toContain('the alert bridge reloaded');
    const text = h.configText();
    expect(text).toContain('[alerts_config.notifications.email]\n# Send alerts by email.\nenabled = true\n');
    expect(text).toContain('recipients = ["test@example.com"]');
    expect(h.bridge!.config().alerts_config.notifications.email.recipients).toEqual(['test@example.com']);
    expect(page.errors).toEqual([]);
    await page.close();
  });

  it('sends a test email from the "Test Email Alert" button to the real SMTP server and shows the result per recipient', async () => {
    const page = await AlertsPageDriver.open(browser, h.url);
    const before = h.testMails().length;
    const result = await page.testAlert('email');
    expect(result).toContain('Test alert delivered.');
    expect(result).toContain('✓ delivered: Email → test@example.com');
    expect(h.testMails().length).toBe(before + 1);
    const mail = h.testMails().at(-1)!;
    expect(mail.envelopeTo).toEqual(['test@example.com']);
    expect(mail.parsed.text ?? '').toContain('This is a test alert from TraderAdmin.');
    await page.close();
  });

  it("shows the provider's error for a recipient the SMTP server refuses", async () => {
    const page = await AlertsPageDriver.open(browser, h.url);
    h.smtp!.behave({ fail: { code: 550, message: 'mailbox unavailable' } });
    try {
      const result = await page.testAlert('email');
      expect(result).toContain('Test alert failed');
      expect(result).toMatch(/✗ failed: Email → test@example\.com — .*550/);
    } finally {
      h.smtp!.behave({});
      await page.close();
    }
  });

  it('changes a threshold with the keyboard only, and Prometheus loads the new value', async () => {
    expect(await loadedRule(h, 'OrderLatencyHigh')).toMatch(/> 1$/);
    const page = await open(browser, h);
    // Tab from the top of the page to the field: it is reachable, in order, and visibly focused.
    let presses = 0;
    while (!(await page.evaluate((sel) => document.activeElement === document.querySelector(sel), LATENCY))) {
      await page.keyboard.press('Tab');
      if (++presses > 40) throw new Error('the latency threshold is not reachable with Tab');
    }
    expect(await page.evaluate(() => getComputedStyle(document.activeElement!).outlineStyle)).toBe('solid');
    await page.keyboard.press('Control+A');
    await page.keyboard.type('200');
    // On to the Apply button, then Enter; the review dialog takes focus on its confirm button.
    for (presses = 0; !(await page.evaluate(() => document.activeElement?.id === 'apply')); presses++) {
      await page.keyboard.press('Tab');
      if (presses > 200) throw new Error('Apply configuration is not reachable with Tab');
    }
    await page.keyboard.press('Enter');
    await page.getByRole('dialog', { name: 'Review the changes' }).waitFor();
    expect(await page.locator('#review-body').textContent()).toContain('alerts_config.thresholds.max_order_latency_ms10002');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('review-confirm');
    await page.keyboard.press('Enter');
    await expect
      .poll(async () => (await page.locator('#status').textContent()) ?? '', { timeout: 20_000 })
      .toContain('applied and in effect');
    expect(await page.locator('#status').textContent()).toContain('Prometheus: prometheus_config_last_reload_successful = 1');
    expect(h.configText()).toContain('max_order_latency_ms = 200\n');
    expect(await loadedRule(h, 'OrderLatencyHigh')).toMatch(/> 0\.2$/);
    await page.context().close();
  });

  it('refuses an invalid value with the message next to its field, and nothing changes on disk', async () => {
    const page = await open(browser, h);
    const fileBefore = h.configText();
    const rulesBefore = readFileSync(path.join(h.outDir, 'rules.yml'), 'utf8');
    await page.locator(STALENESS).fill('abc');
    const problem = page.locator(`${STALENESS}-problem`);
    await expect.poll(async () => (await problem.textContent()) ?? '').toBe('expected an integer, got a string "abc"');
    expect(await page.locator(STALENESS).getAttribute('aria-invalid')).toBe('true');
    // The message is tied to the field for screen readers.
    expect(await page.locator(STALENESS).getAttribute('aria-describedby')).toContain(`${STALENESS.slice(1)}-problem`);
    await page.getByRole('button', { name: 'Apply configuration' }).click();
    await expect
      .poll(async () => (await page.locator('#status').textContent()) ?? '')
      .toContain('Fix the problems shown next to the fields first');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe(STALENESS.slice(1));
    expect(h.configText()).toBe(fileBefore);
    expect(readFileSync(path.join(h.outDir, 'rules.yml'), 'utf8')).toBe(rulesBefore);
    // The server refuses it too, whatever a page sends.
    const answer = await page.evaluate(async () => {
      const state = (await (await fetch('/api/state')).json()) as { sha256: string; draft: { thresholds: Record<string, unknown> } };
      state.draft.thresholds.max_data_staleness_seconds = 'abc';
      const res = await fetch('/api/apply', {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'if-match': state.sha256 },
        body: JSON.stringify({ draft: state.draft }),
      });
      return { status: res.status, body: (await res.json()) as { problems: Array<{ path: string; message: string }> } };
    });
    expect(answer.status).toBe(400);
    expect(answer.body.problems[0]).toMatchObject({
      path: 'alerts_config.thresholds.max_data_staleness_seconds',
      message: 'expected an integer, got a string "abc"',
    });
    expect(h.configText()).toBe(fileBefore);
    await page.context().close();
  });

  it('does not lose either change when two tabs apply from the same version: the second is offered a merge', async () => {
    const first = await open(browser, h);
    const second = await open(browser, h);
    await first.locator(API_ERRORS).fill('25');
    expect(await applyAndConfirm(first)).toContain('applied and in effect');
    await second.locator(STALENESS).fill('90');
    await second.getByRole('button', { name: 'Apply configuration' }).click();
    await second.getByRole('dialog', { name: 'Review the changes' }).getByRole('button', { name: 'Apply', exact: true }).click();
    const conflict = second.getByRole('dialog', { name: 'config.toml changed since you loaded it' });
    await conflict.waitFor();
    expect(await conflict.textContent()).toContain('alerts_config.thresholds.max_api_errors_per_hour');
    expect(h.configText()).toContain('max_data_staleness_seconds = 60');
    await conflict.getByRole('button', { name: 'Reload and keep my edits' }).click();
    await expect.poll(() => second.locator(API_ERRORS).inputValue()).toBe('25');
    expect(await second.locator(STALENESS).inputValue()).toBe('90');
    expect(await applyAndConfirm(second)).toContain('applied and in effect');
    const text = h.configText();
    expect(text).toContain('max_api_errors_per_hour = 25');
    expect(text).toContain('max_data_staleness_seconds = 90');
    await first.context().close();
    await second.context().close();
  });

  it('lists who applied what and when, and restores the first version after showing its diff', async () => {
    const page = await open(browser, h);
    const rows = page.locator('#history-list tbody tr');
    await expect.poll(() => rows.count()).toBe(5);
    expect(await rows.first().textContent()).toContain('local user');
    const oldest = rows.last();
    expect(await oldest.textContent()).toContain('the file before the first change from this page');
    await oldest.getByRole('button', { name: /Review and restore/ }).click();
    const dialog = page.getByRole('dialog', { name: /Restore the version of/ });
    await dialog.waitFor();
    const diff = (await dialog.textContent()) ?? '';
    expect(diff).toContain('alerts_config.thresholds.max_order_latency_ms2001000');
    expect(diff).toContain('alerts_config.notifications.email.enabledtruefalse');
    await dialog.getByRole('button', { name: 'Restore this version' }).click();
    await expect
      .poll(async () => (await page.locator('#status').textContent()) ?? '', { timeout: 20_000 })
      .toContain('The earlier version applied and in effect');
    expect(h.configText()).toBe(original);
    expect(await loadedRule(h, 'OrderLatencyHigh')).toMatch(/> 1$/);
    await page.context().close();
  });

  it('asks for the secret reference again when the webhook URL changes: a wrong one changes nothing, the stored one applies', async () => {
    const KEY = 'alerts_config.notifications.webhook.bearer_token';
    const HOOK = 'http://127.0.0.1:9/new-hook';
    const fileBefore = h.configText();
    const rulesBefore = readFileSync(path.join(h.outDir, 'alertmanager.yml'), 'utf8');
    const page = await AlertsPageDriver.open(browser, h.url);
    // Point the webhook somewhere new and press Apply: the page asks for the token's reference in place.
    await page.enableNotifications('webhook');
    await page.setListItem('webhook', 'URL', 1, HOOK);
    const asked = await page.apply();
    expect(asked).toContain('changes where webhook sends: enter the secret reference of each key below again');
    expect(asked).toContain('Nothing was changed yet.');
    const form = page.page.getByRole('form', { name: 'Enter the secret references again' });
    await expect.poll(() => page.page.evaluate(() => document.activeElement?.id)).toBe(`reconfirm-${KEY}`);
    expect(h.configText()).toBe(fileBefore);
    // The same state at 1280 and 375 px, light and dark (one page: the state costs an apply each time).
    for (const width of [1280, 375])
      for (const colorScheme of ['light', 'dark'] as const) {
        await page.page.setViewportSize({ width, height: 900 });
        await page.page.emulateMedia({ colorScheme });
        await form.scrollIntoViewIfNeeded();
        await page.page.screenshot({ path: screenshotPath(`alerts-page-reconfirm-${width}-${colorScheme}`) });
        expect(await page.page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(width);
      }
    // A reference that is not the stored one: asked again, nothing written.
    await form.getByLabel(KEY).fill('env:SOMEWHERE_ELSE');
    await form.getByRole('button', { name: 'Apply with these references' }).click();
    const status = page.page.locator('#status');
    const again = () => page.page.getByRole('form', { name: 'Enter the secret references again' });
    // The answer replaces the form with a fresh, empty one.
    await expect.poll(() => again().getByLabel(KEY).inputValue(), { timeout: 20_000 }).toBe('');
    expect(await status.textContent()).toContain('Nothing was changed yet.');
    expect(h.configText()).toBe(fileBefore);
    // An empty field is not sent at all (the field is required).
    await again().getByRole('button').click();
    expect(
      await again()
        .getByLabel(KEY)
        .evaluate((input) => (input as { validity: { valueMissing: boolean } }).validity.valueMissing),
    ).toBe(true);
    expect(h.configText()).toBe(fileBefore);

    // The stored reference: applied, the file holds the new destination and the same reference.
    await again().getByLabel(KEY).fill('env:WEBHOOK_TOKEN');
    await again().getByRole('button', { name: 'Apply with these references' }).click();
    await expect.poll(async () => (await status.textContent()) ?? '', { timeout: 20_000 }).toContain('applied and in effect');
    const text = h.configText();
    expect(text).toContain(`urls = ["${HOOK}"]`);
    expect(text).toContain('bearer_token = "env:WEBHOOK_TOKEN"');
    expect(text).not.toContain('hook-s3cr3t');
    expect(readFileSync(path.join(h.outDir, 'alertmanager.yml'), 'utf8')).not.toBe(rulesBefore);
    expect(h.bridge!.config().alerts_config.notifications.webhook.urls).toEqual([HOOK]);
    expect(page.errors).toEqual([]);
    await page.close();
  }, 60_000);

  it('reads well in light and dark, and at phone width (screenshots in console/test-results/)', async () => {
    for (const [name, options] of [
      ['light', {}],
      ['dark', { dark: true }],
      ['phone-light', { phone: true }],
      ['phone-dark', { phone: true, dark: true }],
    ] as const) {
      const page = await open(browser, h, options);
      await page.getByLabel('Enable Email notifications').check();
      await page.locator(LATENCY).fill('0');
      await expect.poll(async () => (await page.locator(`${LATENCY}-problem`).textContent()) ?? '').toContain('out of range');
      await page.screenshot({ path: screenshotPath(`alerts-page-${name}`), fullPage: true });
      const colors = await page.evaluate(() => [getComputedStyle(document.body).backgroundColor, getComputedStyle(document.body).color]);
      expect(colors).toEqual('dark' in options ? ['rgb(15, 20, 25)', 'rgb(230, 237, 243)'] : ['rgb(255, 255, 255)', 'rgb(27, 31, 36)']);
      if ('phone' in options) {
        // What a phone shows at once: the top, and the email channel.
        await page.evaluate(() => window.scrollTo(0, 0));
        await page.screenshot({ path: screenshotPath(`alerts-page-${name}-top`) });
        await page.locator('#f-alerts_config_notifications_email').scrollIntoViewIfNeeded();
        await page.screenshot({ path: screenshotPath(`alerts-page-${name}-email`) });
        await page.locator('#history').scrollIntoViewIfNeeded();
        await page.screenshot({ path: screenshotPath(`alerts-page-${name}-history`) });
        // Nothing wider than the screen: no sideways scrolling at 375 px.
        expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
      }
      await page.context().close();
    }
  });

  it('puts everything back, and says what failed, when a reload fails (Alertmanager down)', async () => {
    const page = await AlertsPageDriver.open(browser, h.url);
    const fileBefore = h.configText();
    const rulesBefore = readFileSync(path.join(h.outDir, 'rules.yml'), 'utf8');
    await h.alertmanager.stop();
    await page.setField('thresholds.max_order_latency_ms', '300');
    const status = await page.apply();
    expect(status).toContain('failed: cannot reach Alertmanager');
    // Alertmanager is still down, so the previous configuration cannot be reloaded there either: the page says so.
    expect(status).toContain(
      'config.toml and the generated files were put back, but the previous configuration could not be reloaded everywhere',
    );
    expect(status).toMatch(/restored from .*config\.toml\.bak/);
    await page.page.locator('#status').scrollIntoViewIfNeeded();
    await page.page.screenshot({ path: screenshotPath('alerts-page-rollback') });
    expect(h.configText()).toBe(fileBefore);
    expect(readFileSync(path.join(h.outDir, 'rules.yml'), 'utf8')).toBe(rulesBefore);
    // Prometheus, which did reload the new rules before Alertmanager failed, runs the old ones again.
    expect(await loadedRule(h, 'OrderLatencyHigh')).toMatch(/> 1$/);
    await page.close();
  });
});
