/**
 * Headless Chromium (Debian's /usr/bin/chromium) driven by playwright-core, for the page's
 * browser tests and the Cucumber steps. One browser at a time: the machine is shared.
 */
import { chromium, type Browser, type BrowserContext } from 'playwright-core';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = path.dirname(fileURLToPath(import.meta.url));

export const CHROMIUM = process.env.CHROMIUM_BIN ?? '/usr/bin/chromium';
/**
 * Chromium's command-line flags, one list for every browser test: test-support/chromium-flags.json,
 * data rather than a module because grafana/panel's harness (a separate npm project) reads it too.
 */
export const CHROMIUM_FLAGS: string[] = JSON.parse(readFileSync(path.join(HERE, '../../test-support/chromium-flags.json'), 'utf8'));

/** Where tests save screenshots (gitignored). */
export const RESULTS_DIR = path.resolve(HERE, '../test-results');

export function haveChromium(): boolean {
  return existsSync(CHROMIUM);
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_FLAGS });
}

/** A browser context as a person would have it: light or dark, desktop or phone (375 px wide). */
export function newContext(browser: Browser, options: { dark?: boolean; phone?: boolean } = {}): Promise<BrowserContext> {
  return browser.newContext({
    colorScheme: options.dark ? 'dark' : 'light',
    viewport: options.phone ? { width: 375, height: 812 } : { width: 1100, height: 900 },
    deviceScaleFactor: 1,
    hasTouch: options.phone,
    isMobile: options.phone,
    reducedMotion: 'reduce',
  });
}

/** The path of a screenshot named `name` in RESULTS_DIR (created when missing). */
export function screenshotPath(name: string): string {
  mkdirSync(RESULTS_DIR, { recursive: true });
  return path.join(RESULTS_DIR, `${name}.png`);
}
