/**
 * Breach-to-notification benchmark, with its costs (not a test): `node --import tsx bench/latency.ts [render] [chain] [cost]`.
 *
 * 1. Render: the exporter's /metrics text for 1 × 20, 1 × 1,000, 10 × 100 and 10 × 1,000 open
 *    positions, beside prom-client's bare Registry holding the same series as plain gauges.
 * 2. Latency: the whole chain at the stack's DEFAULT timings (config.example.toml), and beside
 *    it in the same run the stock chain: a second Prometheus with the same prometheus.yml and
 *    the same rules file (so it scrapes and evaluates at the same phase: Prometheus derives both
 *    offsets from the target labels, the host name and the rule file's path), sending to a
 *    second Alertmanager at the same timings whose own webhook, Slack and email receivers send
 *    to the same kinds of loopback sinks. One exporter (fed through its gateway sink, as the IB
 *    reader does; its events API for order round trips), the IB Gateway emulator for the
 *    connection. Breaches one per account, 1.37 s apart so their phase against the 1 s cycle
 *    spreads over it: one slow order (OrderLatencyHigh), a realized loss past the limit
 *    (DailyRealizedPnlBelowLimit), equity 10 % under start of day (DrawdownTodayExceeded,
 *    which then recovers: the resolved message is timed too). Time from the breach to arrival.
 * 3. Cost: CPU and memory (/proc/<pid>/stat and status) of Prometheus, Alertmanager, the
 *    exporter and the bridge, each its own process, for 1 × 20 and 10 × 1,000 positions (10 %
 *    repriced every second), at the previous defaults (scrape and evaluation 5 s, group_wait 10 s,
 *    group_interval 60 s, one exporter job) and at the new ones.
 *
 * The parts live in bench/latency/ (render.ts, chain.ts with ours.ts, stock.ts, breaches.ts, arrivals.ts and
 * report.ts, cost.ts with child.ts); bench/kit/ holds what the other benches share. BENCH_QUICK=1: a smoke run
 * of every part in seconds (figures meaningless).
 *
 * Bounded: about 4 minutes; a hard stop at 7.
 */
import { chainPart } from './latency/chain.js';
import { costPart } from './latency/cost.js';
import { renderPart } from './latency/render.js';

async function main() {
  const hardStop = setTimeout(() => {
    console.error('bench/latency.ts: over 7 minutes, giving up');
    process.exit(2);
  }, 420_000);
  // `node --import tsx bench/latency.ts [render] [chain] [cost]`: only those parts (default: all three).
  const wanted = process.argv.slice(2).filter((a) => !a.startsWith('-'));
  const parts = { render: renderPart, chain: chainPart, cost: costPart };
  const unknown = wanted.filter((w) => !(w in parts));
  if (unknown.length > 0) {
    console.error(`bench/latency.ts: unknown part ${unknown.join(', ')}; parts: ${Object.keys(parts).join(', ')}`);
    process.exit(2);
  }
  const out: string[] = [];
  try {
    for (const [name, part] of Object.entries(parts))
      if (wanted.length === 0 || wanted.includes(name)) out.push(...(out.length ? [''] : []), ...(await part()));
    console.log(out.join('\n'));
  } finally {
    clearTimeout(hardStop);
  }
}

await main();
