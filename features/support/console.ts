/**
 * The console in headless Chromium for the scenarios: one browser for the whole run (started
 * on first use), one page per scenario on the scenario's own chain, and readers for what the
 * Monitoring view shows.
 */
import { AfterAll } from '@cucumber/cucumber';
import type { Browser, Page } from 'playwright-core';
import { launchChromium, newContext } from '@traderadmin/console/browser';
import type { TraderWorld } from './world.js';

let shared: Promise<Browser> | undefined;

AfterAll(async () => {
  if (shared) await (await shared).close();
});

/** Opens `address` (a path such as /monitoring?account=ID, or a full URL) of the scenario chain's console. */
export async function openConsole(world: TraderWorld, address: string): Promise<Page> {
  const chain = await world.ensureChain();
  const running = await chain.startConsole();
  shared ??= launchChromium();
  const context = await newContext(await shared);
  world.cleanups.push(() => context.close());
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  world.notes.consoleErrors = errors;
  await page.goto(new URL(address, running.url).href);
  return page;
}

/** A money or count readout as a number: "+$1,234.50" → 1234.5, "−$3.00" → -3. */
export function amount(text: string): number {
  const cleaned = text.replace(/[−–]/g, '-').replace(/[^0-9.-]/g, '');
  const n = Number(cleaned);
  if (cleaned === '' || !Number.isFinite(n)) throw new Error(`"${text}" is not an amount`);
  return n;
}

/** The value of the readout `metric` (data-metric) as shown. */
export async function readout(page: Page, metric: string): Promise<string> {
  return (await page.locator(`[data-metric="${metric}"] .value`).textContent({ timeout: 15_000 })) ?? '';
}

/** Waits (polling every 200 ms) until `check` holds, up to `seconds`; returns how long it took. */
export async function within(seconds: number, what: string, check: () => Promise<boolean>): Promise<number> {
  const started = Date.now();
  for (;;) {
    if (await check()) return (Date.now() - started) / 1000;
    if (Date.now() - started > seconds * 1000) throw new Error(`${what}: not within ${seconds} s`);
    await new Promise((r) => setTimeout(r, 200));
  }
}
