/**
 * Exporter benchmark (a script, not a test): `npx tsx bench/exporter.ts`.
 *
 * 1. /metrics render time (p50/p99 over N renders of the exporter's whole /metrics text) and memory at
 *    10, 100 and 1,000 open positions × 1 and 10 accounts, feeding the accounting layer
 *    directly (no gateway).
 * 2. Events ingest throughput through the real HTTP endpoint (express, loopback), client
 *    and server in this one Node process, so on one core.
 *
 * Prints a markdown table. Bounded: about a minute on a shared 2-core machine.
 */
import { Agent, request } from 'node:http';
import { performance } from 'node:perf_hooks';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { checkConfigText } from '@traderadmin/config';
import { createExporterCore, silentLogger, startExporter } from '@traderadmin/exporter';
import { benchAccounts, feedBook } from './kit/book.js';

setFlagsFromString('--expose_gc');
const gc = runInNewContext('gc') as () => void;

const { config } = checkConfigText('[exporter]\nmax_event_body_bytes = 8388608\n', 'bench.toml');
if (!config) throw new Error('bench config invalid');

const MB = (n: number) => (n / 1024 / 1024).toFixed(1);
const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
};

async function renderCase(positions: number, accounts: number) {
  gc();
  const before = process.memoryUsage().heapUsed;
  const core = createExporterCore(config!, { logger: silentLogger });
  feedBook(core.sink, benchAccounts(accounts), positions, { fills: true });
  const body = await core.metrics('all');
  const series = body.split('\n').filter((l) => l && !l.startsWith('#')).length;
  const n = positions * accounts >= 10_000 ? 30 : positions * accounts >= 1000 ? 100 : 300;
  const times: number[] = [];
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    await core.metrics('all');
    times.push(performance.now() - t);
  }
  gc();
  const mem = process.memoryUsage();
  const row = {
    positions,
    accounts,
    series,
    bytes: body.length,
    n,
    p50: pct(times, 50),
    p99: pct(times, 99),
    heapDelta: mem.heapUsed - before,
    heapUsed: mem.heapUsed,
    rss: mem.rss,
  };
  // Keep `core` alive until measured.
  if (core.ledger.accounts().length !== accounts) throw new Error('accounts missing');
  return row;
}

async function ingestCase(batch: number, seconds: number, concurrency: number) {
  const exp = await startExporter(config!, { listen: '127.0.0.1:0', logger: silentLogger, connect: false });
  const events = Array.from({ length: batch }, (_, i) =>
    i % 2
      ? { type: 'order_latency', account: 'DU1234567', stage: 'fill', latency_ms: 100 + (i % 900) }
      : { type: 'heartbeat', component: 'scanner' },
  );
  const body = JSON.stringify(batch === 1 ? events[0] : { events });
  // node:http with keep-alive: a light client, so the server's cost dominates the one core.
  const agent = new Agent({ keepAlive: true, maxSockets: concurrency });
  const url = new URL(`${exp.url}/api/v1/events`);
  const postOnce = () =>
    new Promise<number>((resolve, reject) => {
      const req = request(
        {
          host: url.hostname,
          port: url.port,
          path: url.pathname,
          method: 'POST',
          agent,
          headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
        },
        (res) => {
          let text = '';
          res.on('data', (d) => (text += d));
          res.on('end', () =>
            res.statusCode === 200
              ? resolve((JSON.parse(text) as { accepted: number }).accepted)
              : reject(new Error(`status ${res.statusCode}: ${text}`)),
          );
        },
      );
      req.on('error', reject);
      req.end(body);
    });
  let accepted = 0;
  let requests = 0;
  const deadline = performance.now() + seconds * 1000;
  const started = performance.now();
  const worker = async () => {
    while (performance.now() < deadline) {
      // Not `accepted += await …`: that reads `accepted` before awaiting and loses updates.
      const n = await postOnce();
      accepted += n;
      requests++;
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  const elapsed = (performance.now() - started) / 1000;
  agent.destroy();
  await exp.close();
  return { batch, concurrency, requests, accepted, eventsPerSecond: accepted / elapsed, requestsPerSecond: requests / elapsed };
}

const out: string[] = [];
out.push(`Exporter benchmark — Node ${process.version}, ${new Date().toISOString()}`, '');
out.push('| open positions | accounts | series | body | renders | p50 | p99 | heap Δ | heapUsed | RSS |');
out.push('| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
for (const accounts of [1, 10]) {
  for (const positions of [10, 100, 1000]) {
    const r = await renderCase(positions, accounts);
    out.push(
      `| ${positions} | ${accounts} | ${r.series} | ${(r.bytes / 1024).toFixed(0)} KiB | ${r.n} | ${r.p50.toFixed(2)} ms | ${r.p99.toFixed(2)} ms | ${MB(r.heapDelta)} MB | ${MB(r.heapUsed)} MB | ${MB(r.rss)} MB |`,
    );
    console.error(`render: ${positions} positions × ${accounts} accounts done`);
  }
}
out.push(
  '',
  '| events ingest (HTTP, one process) | concurrency | requests | events/s | requests/s |',
  '| --- | ---: | ---: | ---: | ---: |',
);
for (const batch of [1, 100]) {
  const r = await ingestCase(batch, 5, 16);
  out.push(
    `| ${batch === 1 ? 'one event per request' : `batches of ${batch}`} | ${r.concurrency} | ${r.requests} | ${Math.round(r.eventsPerSecond)} | ${Math.round(r.requestsPerSecond)} |`,
  );
  console.error(`ingest: batch ${batch} done`);
}
console.log(out.join('\n'));
