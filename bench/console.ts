/**
 * Console benchmark (not a test): `node --import tsx bench/console.ts`.
 *
 * For 1 account × 20 positions and 10 accounts × 1,000 positions: a real exporter fed through
 * its gateway sink (as the IB reader does), a real Prometheus scraping it with the generated
 * configuration, and the console on loopback. Reports the server time of one Monitoring refresh
 * (live + history requests in parallel, as the browser sends them; median and p95 of 20), the
 * first render of the Monitoring view in headless Chromium (navigation to readouts and the equity
 * chart drawn; median of 3 fresh tabs), and the bytes of the bundled script. Alertmanager and the
 * bridge are not started (their health checks fail at once on loopback). Bounded: about 70 s.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { loadConfig } from '@traderadmin/config';
import { startAlertsPage } from '@traderadmin/console';
import { launchChromium, newContext } from '@traderadmin/console/browser';
import { silentLogger, startExporter } from '@traderadmin/exporter';
import { freePort, sleep } from '@traderadmin/test-support';
import { benchAccounts, feedBook } from './kit/book.js';
import { startGeneratedPrometheus } from './kit/prometheus.js';
import { withScratch } from './kit/scratch.js';
import { percentile } from './kit/stats.js';

interface Row {
  shape: string;
  refreshMedian: number;
  refreshP95: number;
  liveBytes: number;
  firstRender: number;
}

const run = (accountsCount: number, positions: number): Promise<Row> =>
  withScratch('bench-console-', async (dir, stops) => {
    const [exporterPort, prometheusPort, am, bridge] = [await freePort(), await freePort(), await freePort(), await freePort()];
    const accounts = benchAccounts(accountsCount);
    const file = path.join(dir, 'config.toml');
    writeFileSync(
      file,
      `[broker]\naccounts = ${JSON.stringify(accounts)}\n[exporter]\nlisten = "127.0.0.1:${exporterPort}"\n[prometheus]\nlisten = "127.0.0.1:${prometheusPort}"\n[alertmanager]\nlisten = "127.0.0.1:${am}"\n[alert_bridge]\nlisten = "127.0.0.1:${bridge}"\n`,
    );
    const loaded = loadConfig(file);
    const exporter = await startExporter(loaded, { logger: silentLogger, connect: false });
    stops.push(() => exporter.close());
    feedBook(exporter.sink, accounts, positions, { fills: true });
    const { generated, prometheus: prom } = await startGeneratedPrometheus(loaded, dir, prometheusPort);
    stops.push(() => prom.stop());
    // Equity moves while Prometheus scrapes, so the charts have a curve.
    const ticker = setInterval(() => {
      for (const account of accounts) exporter.sink.accountValue(account, 'NetLiquidation', 1_000_000 + Math.random() * 1000, 'USD');
    }, 1000);
    stops.push(async () => clearInterval(ticker));
    await sleep(12_000);
    const page = await startAlertsPage({ configFile: file, listen: '127.0.0.1:0', out: generated });
    stops.push(() => page.close());
    const account = accounts[accounts.length - 1];
    const refresh = async () => {
      const started = performance.now();
      const [live] = await Promise.all([
        fetch(`${page.url}api/monitoring/live?account=${account}`).then((r) => r.text()),
        fetch(`${page.url}api/monitoring/history?account=${account}&range=1h`).then((r) => r.text()),
      ]);
      return { ms: performance.now() - started, liveBytes: live.length };
    };
    await refresh();
    const times: number[] = [];
    let liveBytes = 0;
    for (let i = 0; i < 20; i++) {
      const r = await refresh();
      times.push(r.ms);
      liveBytes = r.liveBytes;
    }
    const browser = await launchChromium();
    stops.push(() => browser.close());
    const renders: number[] = [];
    for (let i = 0; i < 3; i++) {
      const context = await newContext(browser);
      const tab = await context.newPage();
      const started = performance.now();
      await tab.goto(`${page.url}monitoring?account=${account}&range=1h`);
      await tab.locator('[data-metric="equity"]').waitFor();
      await tab.locator('[data-chart="equity-curve"] canvas').waitFor();
      renders.push(performance.now() - started);
      await context.close();
    }
    return {
      shape: `${accountsCount} × ${positions.toLocaleString('en')}`,
      refreshMedian: percentile(times, 50),
      refreshP95: percentile(times, 95),
      liveBytes,
      firstRender: percentile(renders, 50),
    };
  });

const { bundleClient } = await import('@traderadmin/console');
const code = await bundleClient();
const bundle = { bytes: Buffer.byteLength(code), gzip: gzipSync(code).length };
const rows = [await run(1, 20), await run(10, 1000)];
const ms = (n: number) => `${n.toFixed(1)} ms`;
console.log(
  [
    `Bundled script (web/ + uPlot, minified): ${bundle.bytes.toLocaleString('en')} bytes, ${bundle.gzip.toLocaleString('en')} gzipped.`,
    '',
    '| accounts × positions | server time per refresh, median | p95 | live answer | first render of Monitoring |',
    '| --- | --- | --- | --- | --- |',
    ...rows.map(
      (r) =>
        `| ${r.shape} | ${ms(r.refreshMedian)} | ${ms(r.refreshP95)} | ${r.liveBytes.toLocaleString('en')} bytes | ${ms(r.firstRender)} |`,
    ),
  ].join('\n'),
);
