/** bench/latency.ts part 1: the exporter's /metrics render time beside prom-client's bare Registry holding the same series. */
import { performance } from 'node:perf_hooks';
import { Gauge, Registry } from 'prom-client';
import { checkConfigText } from '@traderadmin/config';
import { createExporterCore, silentLogger } from '@traderadmin/exporter';
import { benchAccounts, feedBook } from '../kit/book.js';
import { percentile as pct } from '../kit/stats.js';
import { QUICK } from './quick.js';

const ms = (v: number) => (v < 10 ? `${v.toFixed(2)} ms` : `${v.toFixed(1)} ms`);

/** prom-client's Registry with the same series as plain gauges, set once: its rendering cost alone. */
function bareRegistry(text: string): Registry {
  const registry = new Registry();
  const byName = new Map<string, Array<[Record<string, string>, number]>>();
  for (const line of text.split('\n')) {
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!m) continue;
    const labels: Record<string, string> = {};
    for (const [, k, v] of (m[2] ?? '').matchAll(/([a-zA-Z_]+)="((?:[^"\\]|\\.)*)"/g)) labels[k] = v;
    (byName.get(m[1]) ?? byName.set(m[1], []).get(m[1])!).push([labels, Number(m[3])]);
  }
  for (const [name, samples] of byName) {
    const gauge = new Gauge({ name, help: name, labelNames: Object.keys(samples[0][0]), registers: [registry] });
    for (const [labels, value] of samples) gauge.set(labels, value);
  }
  return registry;
}

async function timeRenders(n: number, render: () => Promise<unknown>): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    await render();
    times.push(performance.now() - t);
  }
  return times;
}

export async function renderPart(): Promise<string[]> {
  const { config } = checkConfigText('', 'bench.toml');
  const rows: string[] = [];
  let worst = 0;
  for (const [accounts, positions] of [
    [1, 20],
    [1, 1000],
    [10, 100],
    [10, 1000],
  ]) {
    const core = createExporterCore(config!, { logger: silentLogger });
    feedBook(core.sink, benchAccounts(accounts), positions)();
    const text = await core.metrics('all');
    const series = text.split('\n').filter((l) => l && !l.startsWith('#')).length;
    const bare = bareRegistry(text);
    const bareSeries = (await bare.metrics()).split('\n').filter((l) => l && !l.startsWith('#')).length;
    if (bareSeries !== series) throw new Error(`bare registry has ${bareSeries} series, ours ${series}`);
    const n = QUICK ? 3 : accounts * positions >= 10_000 ? 40 : 200;
    await timeRenders(5, () => core.metrics('all'));
    const ours = await timeRenders(n, () => core.metrics('all'));
    const account = await timeRenders(n, () => core.metrics('account'));
    await timeRenders(3, () => bare.metrics());
    const theirs = await timeRenders(n, () => bare.metrics());
    if (accounts * positions === 10_000) worst = pct(ours, 50);
    rows.push(
      `| ${accounts} × ${positions} | ${series} | ${(text.length / 1024).toFixed(0)} KiB | ${n} | ${ms(pct(ours, 50))} | ${ms(pct(ours, 99))} | ${ms(pct(account, 50))} | ${ms(pct(theirs, 50))} | ${ms(pct(theirs, 99))} | ${(pct(theirs, 50) / pct(ours, 50)).toFixed(1)}× |`,
    );
  }
  return [
    '#### /metrics render',
    '',
    "The exporter's whole /metrics text (account-level families through prom-client, the trader_position_* families written directly), its `?scope=account` part alone (what the 1 s job scrapes), and prom-client's bare Registry holding the same series as plain gauges (no collect callbacks: its rendering alone), in this process, wall time.",
    '',
    '| accounts × positions | series | body | renders | ours p50 | ours p99 | account scope p50 | prom-client p50 | prom-client p99 | prom-client / ours |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...rows,
    '',
    `10 × 1,000 p50: ${ms(worst)} (target ≤ 40 ms).`,
  ];
}
