/** bench/latency.ts part 2: breach to notification at the stack's default timings, our chain beside the stock one, in one run. */
import { JOBS } from '@traderadmin/rules-gen';
import { promQuery, sleep, waitFor } from '@traderadmin/test-support';
import { withScratch } from '../kit/scratch.js';
import { arrivalFinders } from './arrivals.js';
import { breach, openAccounts, planBreaches, recover, spaced } from './breaches.js';
import { startOurChain } from './ours.js';
import { chainReport } from './report.js';
import { startStockChain } from './stock.js';

export function chainPart(): Promise<string[]> {
  return withScratch('bench-latency-', async (dir, stops) => {
    const ours = await startOurChain(dir, stops);
    const stock = await startStockChain(ours, dir, stops);

    const breaches = planBreaches();
    openAccounts(ours.exporter, breaches);
    for (const p of [ours.prometheus, stock.prometheus])
      await waitFor(
        'Prometheus sees every breach account',
        async () => (await promQuery(p.url, `count(trader_equity{job="${JOBS.exporter}"})`))[0]?.value[1] === String(breaches.length + 1),
        { timeoutMs: 30_000, intervalMs: 200 },
      );
    await sleep(2000);

    const sinks = arrivalFinders(ours, stock, stops);
    await spaced(breaches, (b) => breach(ours.exporter, b));
    await waitFor(
      'every breach at every sink, ours and stock',
      () => breaches.every((b) => sinks.every((s) => s.ours(b, 'firing', b.at) !== undefined && s.stock(b, 'firing', b.at) !== undefined)),
      { timeoutMs: 60_000, intervalMs: 100 },
    ).catch((error: Error) => {
      const missing = sinks.flatMap((s) =>
        breaches
          .filter((b) => s.ours(b, 'firing', b.at) === undefined || s.stock(b, 'firing', b.at) === undefined)
          .map((b) => `${s.name}:${b.kind}`),
      );
      throw new Error(`${error.message}; missing ${missing.join(', ')}`);
    });

    // Recovery: each drawdown account back to its start-of-day equity, timed to the resolved message.
    const drawdowns = breaches.filter((b) => b.kind === 'drawdown');
    await spaced(drawdowns, (b) => recover(ours.exporter, b));
    const [webhook] = sinks;
    await waitFor(
      'every resolved message at both webhooks',
      () =>
        drawdowns.every(
          (b) => webhook.ours(b, 'resolved', b.recovered!) !== undefined && webhook.stock(b, 'resolved', b.recovered!) !== undefined,
        ),
      { timeoutMs: 30_000, intervalMs: 100 },
    );
    return chainReport(ours.config, breaches, sinks);
  });
}
