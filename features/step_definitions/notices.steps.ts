/**
 * An alert's notices on every channel, for every fault scenario: it fires and reaches each
 * enabled channel, then resolves with exactly one resolution each.
 */
import { Then } from '@cucumber/cucumber';
import assert from 'node:assert/strict';
import { between } from '../support/chain.js';
import { ALL_CHANNELS, noticePattern } from '../support/notices.js';
import { prom, since, sleep, until } from '../support/probes.js';
import type { TraderWorld } from '../support/world.js';

Then('{word} fires and reaches every channel', async function (this: TraderWorld, alert: string) {
  const chain = await this.ensureChain();
  const from = since(this);
  await until(
    `${alert} firing in Prometheus`,
    async () => (await prom(chain, `ALERTS{alertname="${alert}",alertstate="firing"}`)).length > 0,
    40_000,
  );
  for (const channel of ALL_CHANNELS) await chain.want(channel, between(from, from + 60), noticePattern(channel, alert, 'firing'));
});

Then('{word} resolves and every channel is told once', async function (this: TraderWorld, alert: string) {
  const chain = await this.ensureChain();
  const from = since(this);
  for (const channel of ALL_CHANNELS) await chain.want(channel, between(from, chain.now() + 40), noticePattern(channel, alert, 'resolved'));
  await sleep(2000);
  for (const channel of ALL_CHANNELS) {
    for (const status of ['firing', 'resolved'] as const) {
      assert.equal(
        chain.count(channel, noticePattern(channel, alert, status)),
        1,
        `${channel}: ${alert} ${status}\n${chain.describeReceived()}`,
      );
    }
  }
});
