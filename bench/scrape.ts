/**
 * Scrape benchmark (not a test): `node --import tsx bench/scrape.ts`.
 *
 * A real Prometheus, with the generated prometheus.yml and rules (the defaults: the account-level
 * job and the rules every 1 s, the per-position job every 5 s), scrapes a real exporter (HTTP,
 * no gateway) that holds 10 accounts × 1,000 open positions, fed through the exporter's gateway
 * sink as the IB reader does; 10% of the positions get a new market price every second
 * meanwhile. Reports Prometheus's own scrape_duration_seconds (p50, max) per job against its
 * interval, and the samples per scrape. Exits 1 when a scrape fails or takes half its interval.
 * Bounded: about 75 s.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadConfig } from '@traderadmin/config';
import { silentLogger, startExporter } from '@traderadmin/exporter';
import { JOBS, POSITIONS_JOB, generate, writeGenerated } from '@traderadmin/rules-gen';
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
  const intervals = {
    [JOBS.exporter]: loaded.config.prometheus.scrape_interval_seconds * 1000,
    [POSITIONS_JOB]:
      Math.max(loaded.config.prometheus.position_scrape_interval_seconds, loaded.config.prometheus.scrape_interval_seconds) * 1000,
  };
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
  const bodies = {
    [JOBS.exporter]: await (await fetch(`${exporter.url}/metrics?scope=account`)).text(),
    [POSITIONS_JOB]: await (await fetch(`${exporter.url}/metrics?scope=positions`)).text(),
  };

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
  const ms = (v: number) => `${v.toFixed(0)} ms`;
  const rows: string[] = [];
  let bad = false;
  for (const job of [JOBS.exporter, POSITIONS_JOB] as const) {
    const durations = (await range(`scrape_duration_seconds{job="${job}"}[${RUN_SECONDS + 5}s]`)).map((s) => s * 1000);
    const up = await range(`up{job="${job}"}[${RUN_SECONDS + 5}s]`);
    const samples = await range(`scrape_samples_scraped{job="${job}"}[${RUN_SECONDS + 5}s]`);
    const failed = up.filter((v) => v !== 1).length;
    const max = Math.max(...durations);
    const interval = intervals[job];
    if (failed > 0 || max >= interval / 2) bad = true;
    rows.push(
      `| ${job} | ${Math.max(...samples)} | ${(bodies[job].length / 1024 / 1024).toFixed(2)} MiB | ${durations.length} | ${failed} | ${ms(pct(durations, 50))} | ${ms(max)} | ${interval.toLocaleString('en-US')} ms | ${((max / interval) * 100).toFixed(0)}% |`,
    );
  }
  console.log(
    [
      `A real Prometheus (generated prometheus.yml and rules at the defaults: account-level job and rules every ${intervals[JOBS.exporter] / 1000} s, per-position job every ${intervals[POSITIONS_JOB] / 1000} s) scraping a real exporter over HTTP that holds ${ACCOUNTS} accounts × ${POSITIONS.toLocaleString('en-US')} open positions (10% of them repriced every second), for ${RUN_SECONDS} s.`,
      '',
      '| job | samples per scrape | body | scrapes | failed scrapes | scrape_duration_seconds p50 | max | interval | max / interval |',
      '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
      ...rows,
    ].join('\n'),
  );
  if (bad) process.exitCode = 1;
} finally {
  for (const stop of stops.reverse()) await stop().catch(() => undefined);
  rmSync(dir, { recursive: true, force: true });
}
