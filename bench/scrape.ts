/**
 * Scrape benchmark (not a test): `node --import tsx bench/scrape.ts`.
 *
 * A real Prometheus, with the generated prometheus.yml and rules (scrape and evaluation every
 * 5 s, the defaults), scrapes a real exporter (HTTP, no gateway) that holds 10 accounts × 1,000
 * open positions, fed through the exporter's gateway sink as the IB reader does; 10% of the
 * positions get a new market price every second meanwhile. Reports Prometheus's own
 * scrape_duration_seconds (p50, max) against the 5 s interval, and the samples per scrape.
 * Bounded: about 75 s.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadConfig } from '@traderadmin/config';
import { silentLogger, startExporter } from '@traderadmin/exporter';
import { generate, writeGenerated } from '@traderadmin/rules-gen';
import { freePort, promQuery, sleep, startPrometheus, waitFor } from '@traderadmin/test-support';

const ACCOUNTS = 10;
const POSITIONS = 1000;
const RUN_SECONDS = 60;

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)];
};

const dir = mkdtempSync(path.join(tmpdir(), 'bench-scrape-'));
const stops: Array<() => Promise<unknown>> = [];
try {
  const [exporterPort, prometheusPort] = [await freePort(), await freePort()];
  const accounts = Array.from({ length: ACCOUNTS }, (_, a) => `DU${1000000 + a}`);
  const file = path.join(dir, 'config.toml');
  writeFileSync(
    file,
    `[broker]
accounts = ${JSON.stringify(accounts)}
[exporter]
listen = "127.0.0.1:${exporterPort}"
[prometheus]
listen = "127.0.0.1:${prometheusPort}"
`,
  );
  const loaded = loadConfig(file);
  if (loaded.config.prometheus.scrape_interval_seconds !== 5) throw new Error('the default scrape interval is no longer 5 s');
  const exporter = await startExporter(loaded, { logger: silentLogger, connect: false });
  stops.push(() => exporter.close());
  const now = Date.now();
  const position = (account: string, p: number, drift: number) => {
    const price = 10 + (p % 500);
    const market = price * drift;
    exporter.sink.position({
      account,
      key: String(100_000 + p),
      symbol: `SYM${p}`,
      secType: 'STK',
      currency: 'USD',
      quantity: 100,
      avgCost: price,
      marketPrice: market,
      marketValue: market * 100,
      unrealizedPnl: (market - price) * 100,
    });
  };
  for (const account of accounts) {
    exporter.sink.accountValue(account, 'NetLiquidation', 1_000_000, 'USD');
    exporter.sink.accountValue(account, 'BuyingPower', 4_000_000, 'USD');
    exporter.sink.accountValue(account, 'TotalCashValue', 500_000, 'USD');
    for (let p = 0; p < POSITIONS; p++) {
      const price = 10 + (p % 500);
      const fill = {
        account,
        key: String(100_000 + p),
        symbol: `SYM${p}`,
        secType: 'STK',
        currency: 'USD',
        quantity: 100,
        price,
        time: now,
      };
      exporter.sink.fills([{ ...fill, execId: `${account}.${p}`, side: 'BUY' }], true);
      position(account, p, 1.01);
    }
  }
  const open = exporter.ledger.accounts().length;
  if (open !== ACCOUNTS) throw new Error(`${open} accounts in the ledger, expected ${ACCOUNTS}`);
  const body = await (await fetch(`${exporter.url}/metrics`)).text();

  const generated = path.join(dir, 'generated');
  mkdirSync(generated, { recursive: true });
  const files = generate(loaded);
  writeGenerated(generated, files);
  const prom = await startPrometheus({
    config: files.get('prometheus.yml')!.content,
    dir: generated,
    port: prometheusPort,
    storagePath: path.join(dir, 'prom-data'),
  });
  stops.push(() => prom.stop());

  // Prices move while Prometheus scrapes: 10% of the positions every second.
  let tick = 0;
  const mover = setInterval(() => {
    tick++;
    for (const account of accounts)
      for (let p = tick % 10; p < POSITIONS; p += 10) position(account, p, 1 + ((tick * 7 + p) % 40) / 1000 - 0.02);
  }, 1000);
  stops.push(async () => clearInterval(mover));

  await waitFor('first scrape', async () => (await promQuery(prom.url, 'up{job="trader-exporter"}')).length === 1, {
    timeoutMs: 30_000,
    intervalMs: 250,
  });
  await sleep(RUN_SECONDS * 1000);

  const range = async (q: string) => {
    const res = (await (await fetch(`${prom.url}/api/v1/query?query=${encodeURIComponent(q)}`)).json()) as {
      data: { result: Array<{ values: Array<[number, string]> }> };
    };
    return res.data.result.flatMap((r) => r.values.map(([, v]) => Number(v)));
  };
  const durations = (await range(`scrape_duration_seconds{job="trader-exporter"}[${RUN_SECONDS + 5}s]`)).map((s) => s * 1000);
  const up = await range(`up{job="trader-exporter"}[${RUN_SECONDS + 5}s]`);
  const samples = await range(`scrape_samples_scraped{job="trader-exporter"}[${RUN_SECONDS + 5}s]`);
  const failed = up.filter((v) => v !== 1).length;

  const ms = (v: number) => `${v.toFixed(0)} ms`;
  console.log(
    [
      `A real Prometheus (generated prometheus.yml and rules, scrape and evaluation every 5 s) scraping a real exporter over HTTP that holds ${ACCOUNTS} accounts × ${POSITIONS.toLocaleString('en-US')} open positions (10% of them repriced every second), for ${RUN_SECONDS} s.`,
      '',
      '| positions | samples per scrape | body | scrapes | failed scrapes | scrape_duration_seconds p50 | max | interval | max / interval |',
      '| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
      `| ${ACCOUNTS} × ${POSITIONS} | ${Math.max(...samples)} | ${(body.length / 1024 / 1024).toFixed(1)} MiB | ${durations.length} | ${failed} | ${ms(pct(durations, 50))} | ${ms(Math.max(...durations))} | 5,000 ms | ${((Math.max(...durations) / 5000) * 100).toFixed(0)}% |`,
    ].join('\n'),
  );
  if (failed > 0 || Math.max(...durations) >= 5000) process.exitCode = 1;
} finally {
  for (const stop of stops.reverse()) await stop().catch(() => undefined);
  rmSync(dir, { recursive: true, force: true });
}
