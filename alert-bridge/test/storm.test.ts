/**
 * An alert storm, bounded: 300 alerts in 15 s over 10 accounts and 4 alert names, POSTed to
 * the real Alertmanager (generated alertmanager.yml at the stack's default timings, 0 s
 * group_wait and 1 s group_interval, so groups keep changing), routed to the real bridge with its default rate limits and digest
 * threshold, delivered to loopback peers. Asserts counts, rates and completeness, never
 * speed; bench/storm.ts runs the full 1,000-in-a-minute storm with the stack's timings.
 */
import { describe, expect, it } from 'vitest';
import { ALERTMANAGER_BIN, requireBinaries } from '@traderadmin/test-support';
import { countSegments, runStorm, STORM_CHANNELS, type StormResult } from './stormKit.js';

requireBinaries(ALERTMANAGER_BIN);

describe('alert storm through Alertmanager and the bridge', () => {
  it('counts SMS segments as the network does', () => {
    expect(countSegments('a'.repeat(160))).toBe(1);
    expect(countSegments('a'.repeat(161))).toBe(2);
    expect(countSegments('a'.repeat(306))).toBe(2);
    expect(countSegments('a'.repeat(307))).toBe(3);
    expect(countSegments('€'.repeat(80))).toBe(1); // extension table: 2 septets each
    expect(countSegments('•'.repeat(71))).toBe(2); // not GSM-7: UCS-2
    expect(countSegments('•'.repeat(135))).toBe(3);
  });

  it('delivers 300 alerts in 15 s as digests, none lost, within the rate limits', { timeout: 90_000 }, async () => {
    const r: StormResult = await runStorm({
      alerts: 300,
      seconds: 15,
      accounts: 10,
      groupWaitSeconds: 0,
      groupIntervalSeconds: 1,
      drainTimeoutSeconds: 40,
    });
    // Every alert reached the webhook sink, which carries every alert of every digest.
    expect(r.posted).toBe(300);
    expect(r.missing).toEqual([]);
    expect(r.seenInWebhook).toBe(300);
    // Nothing dead, nothing left behind, nothing refused by a peer.
    expect(r.deadLetters).toBe(0);
    expect(r.pendingAtEnd).toBe(0);
    for (const ch of STORM_CHANNELS) {
      const c = r.channels[ch];
      expect(r.rejected[ch], ch).toBe(0);
      // Every notification the bridge stored is in a message the peer received (a digest says how many it carries).
      expect(c.stored, ch).toBeGreaterThan(0);
      expect(c.notifications, `${ch}: notifications carried by the messages`).toBe(c.stored);
      expect(c.sent, ch).toBe(c.stored);
    }
    // The storm was digested rather than flooded, and each channel kept its rate limit.
    expect(r.channels.slack.digests).toBeGreaterThan(0);
    expect(r.channels.slack.messages).toBeLessThan(r.channels.slack.stored);
    expect(r.channels.slack.maxPerSecond).toBeLessThanOrEqual(1);
    expect(r.channels.slack.minGapMs).toBeGreaterThanOrEqual(900);
    expect(r.channels.sms.maxPerSecond).toBeLessThanOrEqual(1);
    expect(r.channels.email.maxPerSecond).toBeLessThanOrEqual(5);
    expect(r.channels.webhook.maxPerSecond).toBeLessThanOrEqual(20);
    // SMS: critical alerts only (the default min_severity), at most two segments each.
    expect(r.channels.sms.stored).toBeLessThan(r.channels.email.stored);
    expect(r.maxSmsSegments).toBeGreaterThan(0);
    expect(r.maxSmsSegments).toBeLessThanOrEqual(2);
    for (const body of r.smsBodies) expect(body).toMatch(/^\[(CRIT|DIGEST)\]/);
    // Slack digests stay within Block Kit's 50 blocks and say how many alerts they leave out.
    const blocks = (r.slackBodies as Array<{ blocks: Array<{ text?: { text?: string } }> }>).map((m) => m.blocks);
    for (const b of blocks) expect(b.length).toBeLessThanOrEqual(50);
    expect(blocks.some((b) => b.some((x) => /^\+\d+ more alerts? not shown$/.test(x.text?.text ?? '')))).toBe(true);
  });
});
