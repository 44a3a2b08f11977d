/**
 * `node --import tsx scripts/console-screenshots.ts`: screenshots of the console's three views
 * (1280 px and 375 px wide, light and dark) on the real chain (emulator trading, one slow order
 * firing OrderLatencyHigh, one silence), written to docs/screenshots/. About 60 s.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { launchChromium } from '@traderadmin/console/browser';
import { ACCOUNT, Chain } from '../features/support/chain.js';

const OUT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../docs/screenshots');
const dir = mkdtempSync(path.join(tmpdir(), 'console-shots-'));
const chain = await Chain.start(dir, { tradeIntervalSeconds: 3, channels: ['webhook'], thresholds: { max_order_latency_ms: 500 } });
try {
  const console_ = await chain.startConsole();
  const prices = (await chain.emulator.control.state()).prices;
  await chain.emulator.control.fill({ account: ACCOUNT, symbol: 'AAPL', side: 'BUY', quantity: 100, price: prices.AAPL });
  await chain.emulator.control.fill({ account: ACCOUNT, symbol: 'MSFT', side: 'BUY', quantity: 40, price: prices.MSFT, latencyMs: 800 });
  await new Promise((r) => setTimeout(r, 30_000));
  await fetch(`${console_.url}api/silences`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ alertname: 'ComponentDown', durationMinutes: 120, comment: 'orchestrator not deployed on this machine' }),
  });
  const browser = await launchChromium();
  const views = [
    ['monitoring', `monitoring?account=${ACCOUNT}&range=1h`],
    ['alerts', `alerts/silence?alertname=OrderLatencyHigh&account=${ACCOUNT}`],
    ['config', 'config'],
  ];
  for (const [name, address] of views)
    for (const [width, dark] of [
      [1280, false],
      [1280, true],
      [375, false],
      [375, true],
    ] as const) {
      const context = await browser.newContext({
        colorScheme: dark ? 'dark' : 'light',
        viewport: { width, height: 900 },
        isMobile: width < 600,
        hasTouch: width < 600,
        reducedMotion: 'reduce',
      });
      const page = await context.newPage();
      await page.goto(`${console_.url}${address}`);
      await page.waitForTimeout(3000);
      const overflow = Number(await page.evaluate('document.documentElement.scrollWidth - document.documentElement.clientWidth'));
      if (overflow > 0) process.stderr.write(`${name} ${width}: ${overflow} px of sideways scrolling\n`);
      await page.screenshot({ path: path.join(OUT, `${name}-${width}-${dark ? 'dark' : 'light'}.png`), fullPage: name !== 'config' });
      await context.close();
    }
  await browser.close();
} finally {
  await chain.stop();
  rmSync(dir, { recursive: true, force: true });
}
