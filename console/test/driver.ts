/**
 * The alerts page as a person uses it, for thin Cucumber steps and the browser tests: every
 * action goes through the page's labels and buttons (what a screen reader announces), never
 * through its internals.
 *
 *   const page = await AlertsPageDriver.open(browser, harness.url);
 *   await page.enableNotifications('email');
 *   await page.setListItem('email', 'recipient', 1, 'test@example.com');
 *   const outcome = await page.apply();          // "The configuration applied and in effect. …"
 *   const results = await page.testAlert('email'); // "✓ delivered: Email → test@example.com …"
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { channelTitle, fieldId } from '../src/shared/form.js';
import { newContext } from './browser.js';

export class AlertsPageDriver {
  private constructor(
    readonly page: Page,
    private readonly context: BrowserContext,
    /** Uncaught errors of the page's script: a test should expect none. */
    readonly errors: string[],
  ) {}

  /** Opens the page in a new browser context and waits for the form. */
  static async open(browser: Browser, url: string, options: { dark?: boolean; phone?: boolean } = {}): Promise<AlertsPageDriver> {
    const context = await newContext(browser, options);
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(new URL('config', url).href);
    await page.locator('#form[aria-busy="false"]').waitFor();
    return new AlertsPageDriver(page, context, errors);
  }

  private title(channel: string): string {
    return channelTitle(channel);
  }

  /** Ticks "Enable <Channel> notifications", which reveals the channel's settings. */
  async enableNotifications(channel: string, on = true): Promise<void> {
    await this.page.getByLabel(`Enable ${this.title(channel)} notifications`).setChecked(on);
  }

  /** Types into row `n` (1-based) of a list, adding rows as needed: setListItem('email', 'recipient', 1, 'a@b.c'). */
  async setListItem(channel: string, item: string, n: number, value: string): Promise<void> {
    const name = `${this.title(channel)} ${item}`;
    for (let rows = await this.page.getByRole('textbox', { name: new RegExp(`^${name} \\d+$`) }).count(); rows < n; rows++) {
      await this.page.getByRole('button', { name: `Add ${name.toLowerCase()}` }).click();
    }
    await this.page.getByRole('textbox', { name: `${name} ${n}`, exact: true }).fill(value);
  }

  /** Sets the field of a key path under alerts_config (`thresholds.max_order_latency_ms`). */
  async setField(keyPath: string, value: string): Promise<void> {
    await this.page.locator(`#${fieldId(`alerts_config.${keyPath}`)}`).fill(value);
  }

  /** The problem shown next to a key path's field, once validation has answered ('' when none). */
  async problemOf(keyPath: string, waitForText = true): Promise<string> {
    const slot = this.page.locator(`#${fieldId(`alerts_config.${keyPath}`)}-problem`);
    if (waitForText) await slot.filter({ hasText: /\S/ }).waitFor({ timeout: 10_000 });
    return (await slot.textContent()) ?? '';
  }

  /**
   * Clicks "Apply configuration", confirms the reviewed diff when there is one, and returns the
   * outcome the page shows (applied, refused, failed and rolled back, or changed elsewhere).
   */
  async apply(): Promise<string> {
    const status = this.page.locator('#status');
    const before = (await status.textContent()) ?? '';
    await this.page.getByRole('button', { name: 'Apply configuration' }).click();
    const dialog = this.page.getByRole('dialog', { name: 'Review the changes' });
    const conflict = this.page.getByRole('dialog', { name: 'config.toml changed since you loaded it' });
    const changed = async () => ((await status.textContent()) ?? '') !== before && !/^Applying/.test((await status.textContent()) ?? '');
    // Either the review opens, or the page answers at once (invalid, nothing to apply).
    for (let i = 0; i < 200 && !(await dialog.isVisible()) && !(await changed()); i++) await this.page.waitForTimeout(50);
    if (await dialog.isVisible()) await dialog.getByRole('button', { name: 'Apply', exact: true }).click();
    for (let i = 0; i < 600; i++) {
      if (await conflict.isVisible()) return (await conflict.textContent()) ?? '';
      const text = (await status.textContent()) ?? '';
      if (text !== before && !/^Applying/.test(text)) return text;
      await this.page.waitForTimeout(50);
    }
    throw new Error('the page did not say how the apply went within 30 s');
  }

  /** Clicks "Test <Channel> Alert" (or "Test All Channels" for 'all') and returns what the page reports. */
  async testAlert(channel: string): Promise<string> {
    const area = this.page.locator(channel === 'all' ? '#test-results' : `#test-${channel}`);
    await this.page.getByRole('button', { name: channel === 'all' ? 'Test All Channels' : `Test ${this.title(channel)} Alert` }).click();
    const box = area.locator('.results-box');
    await box.filter({ hasText: /Test alert (delivered|failed)/ }).waitFor({ timeout: 60_000 });
    return (await box.textContent()) ?? '';
  }

  async close(): Promise<void> {
    await this.context.close();
  }
}
