/**
 * Providers failing (features/pipeline_faults.feature): the SMTP server, Slack and Twilio refuse
 * or rate-limit for a while; each alert arrives once after the outage and nothing is given up on.
 */
import { Given, Then } from '@cucumber/cucumber';
import assert from 'node:assert/strict';
import { between, type Chain, type Channel } from '../support/chain.js';
import { noticePattern } from '../support/notices.js';
import { prom, sleep } from '../support/probes.js';
import type { TraderWorld } from '../support/world.js';

// ---- Providers failing ----

Given(
  'the bridge retries a delivery up to {int} times, backing off from 1 to {int} seconds',
  function (this: TraderWorld, attempts: number, max: number) {
    this.chainOptions.bridge = { ...this.chainOptions.bridge, max_attempts: attempts, retry_min_seconds: 1, retry_max_seconds: max };
  },
);

/** Makes a peer fail now and recover `seconds` later; the scenario remembers when. */
function outage(world: TraderWorld, seconds: number, fail: () => void, recover: () => void, chain: Chain): void {
  fail();
  const timer = setTimeout(recover, seconds * 1000);
  world.cleanups.push(() => clearTimeout(timer));
  const ends = chain.now() + seconds;
  world.notes.outageEnds = Math.max((world.notes.outageEnds as number | undefined) ?? 0, ends);
  world.notes.since = Math.min((world.notes.since as number | undefined) ?? Infinity, chain.now());
}

Given('the SMTP server rejects every message with 451 for {int} seconds', async function (this: TraderWorld, seconds: number) {
  const chain = await this.ensureChain();
  outage(
    this,
    seconds,
    () => chain.smtp.behave({ fail: { code: 451, message: 'try again later' } }),
    () => chain.smtp.behave({}),
    chain,
  );
  this.notes.failing = [...((this.notes.failing as string[] | undefined) ?? []), 'email'];
});

Given(
  /^(Slack|Twilio) answers 429 with Retry-After (\d+) for (\d+) seconds$/,
  async function (this: TraderWorld, who: string, retryAfter: string, seconds: string) {
    const chain = await this.ensureChain();
    const peer = who === 'Slack' ? chain.slack : chain.twilio;
    outage(
      this,
      Number(seconds),
      () => peer.behave({ fail: { status: 429, retryAfter } }),
      () => peer.behave({}),
      chain,
    );
    this.notes.failing = [...((this.notes.failing as string[] | undefined) ?? []), who === 'Slack' ? 'slack' : 'sms'];
  },
);

// Waits out the outage itself (a full minute in the @long scenarios), so longer than the default step timeout.
Then(
  '{word} reaches each failing channel exactly once, after the outage',
  { timeout: 240_000 },
  async function (this: TraderWorld, alert: string) {
    const chain = await this.ensureChain();
    const failing = this.notes.failing as Channel[];
    const ends = this.notes.outageEnds as number;
    for (const channel of failing) {
      const got = await chain.want(channel, between(ends - 1, ends + 90), noticePattern(channel, alert, 'firing'));
      assert.ok(got.at >= ends - 1, `${channel} got it at ${got.at} s, during the outage`);
    }
    await sleep(3000);
    for (const channel of failing)
      assert.equal(chain.count(channel, noticePattern(channel, alert, 'firing')), 1, `${channel}\n${chain.describeReceived()}`);
    // The outage was real: each provider refused at least one attempt.
    if (failing.includes('email')) assert.ok(chain.smtp.attempts() > chain.smtp.mails.length, 'the SMTP server never refused a message');
    if (failing.includes('slack'))
      assert.ok(
        chain.slack.requests.some((r) => r.status === 429),
        'Slack never answered 429',
      );
    if (failing.includes('sms'))
      assert.ok(
        chain.twilio.requests.some((r) => r.status === 429),
        'Twilio never answered 429',
      );
  },
);

Then('nothing was given up on, and AlertDeliveryFailing never fired', async function (this: TraderWorld) {
  const chain = await this.ensureChain();
  const dead = await prom(chain, 'max_over_time(alert_bridge_dead_letters[10m])');
  assert.ok(dead.length > 0, 'Prometheus has no alert_bridge_dead_letters: the bridge is not scraped');
  assert.deepEqual([...new Set(dead)], [0], 'the bridge gave up on a notification');
  // Prometheus saw the backlog while the providers failed.
  const [oldest] = await prom(chain, 'max_over_time(alert_bridge_oldest_queued_age_seconds[10m])');
  assert.ok(oldest > 0, 'Prometheus never saw a queued notification');
  assert.deepEqual(await prom(chain, 'count_over_time(ALERTS{alertname="AlertDeliveryFailing"}[10m])'), []);
  const letters = (await (await fetch(`${chain.bridgeUrl}/api/v1/dead-letters`)).json()) as unknown[] | { deadLetters?: unknown[] };
  assert.equal(Array.isArray(letters) ? letters.length : (letters.deadLetters ?? []).length, 0);
});
