import { describe, expect, it } from 'vitest';
import { backoffDelay, checkStatus, networkFailure, nextDelay, parseRetryAfter } from '../src/delivery/policy.js';
import { idempotencyKey } from '../src/outbox/key.js';
import { authorized } from '../src/http/auth.js';
import { buildSilence, parseDuration } from '../src/silences.js';
import { anchorOf, renderRunbooks } from '../src/http/runbooks.js';
import type { Notification } from '../src/types.js';
import { alert, payload } from './helpers.js';

describe('checkStatus', () => {
  it.each([
    [200, 'sent', undefined],
    [204, 'sent', undefined],
    [429, 'retry', 'rate_limited'],
    [500, 'retry', 'server_error'],
    [503, 'retry', 'server_error'],
    [408, 'retry', 'timeout'],
    [401, 'permanent', 'auth'],
    [403, 'permanent', 'auth'],
    [400, 'permanent', 'client_error'],
    [404, 'permanent', 'client_error'],
  ])('HTTP %i is %s (%s)', (status, outcome, reason) => {
    const r = checkStatus(status, null, '', 0);
    expect(r.status).toBe(outcome);
    if (r.status !== 'sent') expect(r.reason).toBe(reason);
  });

  it('keeps Retry-After in seconds or as an HTTP date', () => {
    expect(parseRetryAfter('3', 0)).toBe(3000);
    expect(parseRetryAfter(new Date(10_000).toUTCString(), 4000)).toBe(6000);
    expect(parseRetryAfter('soon', 0)).toBeUndefined();
    const r = checkStatus(429, '7', 'slow down', 0);
    expect(r).toMatchObject({ status: 'retry', retryAfterMs: 7000 });
  });

  it('classifies network errors as retries', () => {
    expect(networkFailure(Object.assign(new Error('connect'), { code: 'ECONNREFUSED' }))).toMatchObject({
      status: 'retry',
      reason: 'network',
    });
    expect(networkFailure(new DOMException('timed out', 'TimeoutError'))).toMatchObject({ status: 'retry', reason: 'timeout' });
  });
});

describe('backoff', () => {
  it('doubles up to the cap, with jitter in the upper half', () => {
    const o = { minMs: 1000, maxMs: 8000 };
    expect(backoffDelay(1, { ...o, random: () => 0 })).toBe(500);
    expect(backoffDelay(1, { ...o, random: () => 0.999 })).toBe(1000);
    expect(backoffDelay(3, { ...o, random: () => 0 })).toBe(2000);
    expect(backoffDelay(3, { ...o, random: () => 0.999 })).toBeGreaterThan(3990);
    expect(backoffDelay(10, { ...o, random: () => 0 })).toBe(4000);
    expect(backoffDelay(10, { ...o, random: () => 0.999 })).toBeLessThanOrEqual(8000);
  });

  it('waits at least as long as Retry-After says', () => {
    expect(
      nextDelay(
        1,
        { status: 'retry', reason: 'rate_limited', error: '', retryAfterMs: 30_000 },
        { minMs: 100, maxMs: 1000, random: () => 0.5 },
      ),
    ).toBe(30_000);
  });
});

describe('idempotency key', () => {
  const n = (alerts = [alert(), alert({ fingerprint: 'b2' })]): Notification => {
    const { version: _v, ...p } = payload({}, alerts);
    return { kind: 'alert', ...p };
  };
  it('ignores alert order and differs per channel, recipient, status and start time', () => {
    const base = idempotencyKey(n(), 'email', 'a@x.test');
    expect(idempotencyKey(n([alert({ fingerprint: 'b2' }), alert()]), 'email', 'a@x.test')).toBe(base);
    expect(idempotencyKey(n(), 'email', 'b@x.test')).not.toBe(base);
    expect(idempotencyKey(n(), 'slack', 'a@x.test')).not.toBe(base);
    expect(idempotencyKey(n([alert({ status: 'resolved' }), alert({ fingerprint: 'b2' })]), 'email', 'a@x.test')).not.toBe(base);
    expect(idempotencyKey(n([alert({ startsAt: '2026-11-21T11:00:00Z' }), alert({ fingerprint: 'b2' })]), 'email', 'a@x.test')).not.toBe(
      base,
    );
  });
});

describe('auth', () => {
  const basic = (u: string, p: string) => `Basic ${Buffer.from(`${u}:${p}`).toString('base64')}`;
  it.each([
    ['Bearer s3cret-token', undefined, true],
    ['Bearer wrong', undefined, false],
    [undefined, undefined, false],
    [basic('am', 's3cret-token'), undefined, true],
    [basic('am', 's3cret-token'), 'am', true],
    [basic('other', 's3cret-token'), 'am', false],
    [basic('am', 'nope'), undefined, false],
    ['Token s3cret-token', undefined, false],
  ])('%s (user %s) → %s', (header, user, ok) => {
    expect(authorized(header, 's3cret-token', user)).toBe(ok);
  });
  it('lets everything through when no token is configured', () => {
    expect(authorized(undefined, undefined, undefined)).toBe(true);
  });
});

describe('silences', () => {
  it('parses durations', () => {
    expect(parseDuration('1h')).toBe(3_600_000);
    expect(parseDuration('1h30m')).toBe(5_400_000);
    expect(parseDuration('2d')).toBe(172_800_000);
    expect(parseDuration('soon')).toBeUndefined();
    expect(parseDuration('0m')).toBeUndefined();
  });
  it('builds "mute OrderLatencyHigh for account X for 1 h"', () => {
    const s = buildSilence(
      { alertname: 'OrderLatencyHigh', account: 'DU1234567', duration: '1h', comment: 'maintenance' },
      Date.parse('2026-11-21T10:00:00Z'),
    );
    expect(s).toEqual({
      matchers: [
        { name: 'alertname', value: 'OrderLatencyHigh', isRegex: false, isEqual: true },
        { name: 'account', value: 'DU1234567', isRegex: false, isEqual: true },
      ],
      startsAt: '2026-11-21T10:00:00.000Z',
      endsAt: '2026-11-21T11:00:00.000Z',
      createdBy: 'traderadmin',
      comment: 'maintenance',
    });
  });
  it('rejects a silence without matchers or with a bad duration, naming both problems', () => {
    expect(() => buildSilence({ duration: 'forever' }, 0)).toThrowErrorMatchingInlineSnapshot(
      `[SilenceError: give at least one matcher (alertname, account, labels or matchers); duration "forever" is not a duration such as 30m, 1h or 1h30m]`,
    );
  });
});

describe('runbooks page', () => {
  it('gives each alert heading its lower-cased anchor and escapes HTML', () => {
    const html = renderRunbooks('# Runbooks\n\n## OrderLatencyHigh\n\nCheck `ping` <b>now</b>.\n\n- one\n- two\n\n```\nx < y\n```\n');
    expect(anchorOf('OrderLatencyHigh')).toBe('orderlatencyhigh');
    expect(html).toContain('<h2 id="orderlatencyhigh">OrderLatencyHigh</h2>');
    expect(html).toContain('<code>ping</code> &lt;b&gt;now&lt;/b&gt;.');
    expect(html).toContain('<ul>\n<li>one</li>\n<li>two</li>\n</ul>');
    expect(html).toContain('<pre><code>x &lt; y</code></pre>');
  });
});
