import { Given, Then, When } from '@cucumber/cucumber';
import assert from 'node:assert/strict';
import { queryPanel } from '@traderadmin/grafana';
import { promQuery } from '@traderadmin/test-support';
import { ACCOUNT } from '../support/chain.js';
import { openConsole, within } from '../support/console.js';
import type { TraderWorld } from '../support/world.js';

/** The equity series of the dashboard's "Equity curve" panel, queried as Grafana would. */
async function equityCurve(world: TraderWorld) {
  const chain = await world.ensureChain();
  const results = await queryPanel(chain.prometheus.url, {
    panel: 'Equity curve',
    vars: { account: ACCOUNT },
    from: chain.startedAt,
    to: Date.now(),
    scrapeIntervalSeconds: 5,
  });
  const series = results.find((r) => r.refId === 'equity')?.series[0];
  assert.ok(
    results.some((r) => r.refId === 'equity'),
    `the panel has no equity query: ${JSON.stringify(results.map((r) => r.refId))}`,
  );
  return series ?? { refId: 'equity', labels: {}, times: [], values: [] };
}

Given('trading has begun', async function (this: TraderWorld) {
  // The emulator's own strategy trades, and an open position makes equity move with prices.
  this.chainOptions = { ...this.chainOptions, scrapeIntervalSeconds: 5, tradeIntervalSeconds: 5 };
  const chain = await this.ensureChain();
  const price = (await chain.emulator.control.state()).prices.NVDA;
  await chain.emulator.control.fill({ account: ACCOUNT, symbol: 'NVDA', side: 'BUY', quantity: 200, price });
});

When('Metrics arrive every 5 seconds', async function (this: TraderWorld) {
  const chain = await this.ensureChain();
  // Prometheus scrapes the exporter every 5 s: wait for a curve of a few points, then for the next scrapes.
  const deadline = Date.now() + 40_000;
  while ((await equityCurve(this)).values.length < 3) {
    if (Date.now() > deadline) assert.fail('the equity curve never had 3 points');
    await new Promise((r) => setTimeout(r, 1000));
  }
  this.notes.curveBefore = await equityCurve(this);
  await new Promise((r) => setTimeout(r, 11_000));
  const [interval] = await promQuery(chain.prometheus.url, 'prometheus_target_interval_length_seconds{quantile="0.5",interval="5s"}');
  assert.ok(interval, 'Prometheus is not scraping every 5 s');
});

Then('the Equity Curve line chart updates accordingly', async function (this: TraderWorld) {
  const chain = await this.ensureChain();
  const before = this.notes.curveBefore as Awaited<ReturnType<typeof equityCurve>>;
  const after = await equityCurve(this);
  const lastBefore = before.times.at(-1)!;
  const newPoints = after.times.filter((t) => t > lastBefore);
  // 11 s at one point per 5 s: at least two new points, the chart moved on in time.
  assert.ok(newPoints.length >= 2, `only ${newPoints.length} new points on the curve`);
  // The points already drawn stay as they were; the chart only grows.
  for (let i = 0; i < before.times.length; i++) {
    const j = after.times.indexOf(before.times[i]);
    if (j >= 0) assert.equal(after.values[j], before.values[i], `point at ${new Date(before.times[i]).toISOString()} changed`);
  }
  // Its newest point is the account's equity as the exporter reports it now (within a scrape's move).
  const snapshot = (await (await fetch(`${chain.exporter.url}/api/v1/metrics`)).json()) as {
    accounts: Record<string, { portfolio: { equity: number } }>;
  };
  const equity = snapshot.accounts[ACCOUNT].portfolio.equity;
  const last = after.values.at(-1)!;
  assert.ok(Math.abs(last - equity) / equity < 0.01, `curve ends at ${last}, the account is at ${equity}`);
  // And it moves: the prices of the open position move the equity between points.
  assert.ok(new Set(after.values).size > 1, 'the curve is flat');

  // The console's equity chart (uPlot, headless Chromium) draws the same curve and moves on
  // with the next scrape; its newest point is the exporter's equity.
  const page = await openConsole(this, `/monitoring?account=${ACCOUNT}&range=1h`);
  const chart = page.locator('[data-chart="equity-curve"]');
  await within(15, 'the console draws the equity curve', async () => Number(await chart.getAttribute('data-points')) >= 3);
  assert.equal(await chart.locator('canvas').count(), 1, 'no canvas in the equity chart');
  const drawnAt = Number(await chart.getAttribute('data-last-time'));
  await within(12, 'the console chart moves on', async () => Number(await chart.getAttribute('data-last-time')) > drawnAt);
  const shown = Number(await chart.getAttribute('data-last'));
  const now = (await (await fetch(`${chain.exporter.url}/api/v1/metrics`)).json()) as typeof snapshot;
  const current = now.accounts[ACCOUNT].portfolio.equity;
  assert.ok(Math.abs(shown - current) / current < 0.01, `the console's curve ends at ${shown}, the account is at ${current}`);
});
