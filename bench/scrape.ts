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
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { loadConfig } from '@traderadmin/config';
import { silentLogger, startExporter } from '@traderadmin/exporter';
import { JOBS, POSITIONS_JOB } from '@traderadmin/rules-gen';
import { freePort, promQuery, sleep, waitFor } from '@traderadmin/test-support';
import { benchAccounts, feedBook } from './kit/book.js';
import { startGeneratedPrometheus } from './kit/prometheus.js';
import { withScratch } from './kit/scratch.js';
import { percentile } from './kit/stats.js';

const ACCOUNTS = 10;
const POSITIONS = 1000;
const RUN_SECONDS = 60;

await withScratch('bench-scrape-', async (dir, stops) => {
  const [exporterPort, prometheusPort] = [await freePort(), await freePort()];
  const accounts = benchAccounts(ACCOUNTS);
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
  const tick = feedBook(exporter.sink, accounts, POSITIONS, { fills: true });
  const open = exporter.ledger.accounts().length;
  if (open !== ACCOUNTS) throw new Error(`${open} accounts in the ledger, expected ${ACCOUNTS}`);
  const bodies = {
    [JOBS.exporter]: await (await fetch(`${exporter.url}/metrics?scope=account`)).text(),
    [POSITIONS_JOB]: await (await fetch(`${exporter.url}/metrics?scope=positions`)).text(),
  };

  const { prometheus: prom } = await startGeneratedPrometheus(loaded, dir, prometheusPort);
  stops.push(() => prom.stop());

  // Prices move while Prometheus scrapes: 10% of the positions every second.
  const mover = setInterval(tick, 1000);
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
      `| ${job} | ${Math.max(...samples)} | ${(bodies[job].length / 1024 / 1024).toFixed(2)} MiB | ${durations.length} | ${failed} | ${ms(percentile(durations, 50))} | ${ms(max)} | ${interval.toLocaleString('en-US')} ms | ${((max / interval) * 100).toFixed(0)}% |`,
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
});
