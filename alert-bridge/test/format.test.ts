import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { slackPayloadProblems } from '@traderadmin/test-support';
import { renderEmail, threadRootId } from '../src/format/email.js';
import { renderSlack, SLACK_LIMITS } from '../src/format/slack.js';
import { fitSms, isGsm7, renderSms, smsLength, smsSegments } from '../src/format/sms.js';
import { formatMoney, formatMoneyInText, formatPercent, formatValue, maskAccount, maskAccountsInText } from '../src/format/values.js';
import { silenceLink } from '../src/format/view.js';
import { renderWebhook } from '../src/format/webhook.js';
import type { Notification } from '../src/types.js';
import { alert, payload } from './helpers.js';

const links = { alertmanagerUrl: 'http://am.test:9093', grafanaUrl: 'http://grafana.test:3000', consoleUrl: 'http://console.test:9096' };
const note = (alerts = [alert()], over: Partial<Notification> = {}): Notification => {
  const { version: _v, ...p } = payload({}, alerts);
  return { kind: 'alert', ...p, ...over };
};

describe('values', () => {
  it.each([
    ['DU1234567', '•••4567'],
    ['U7654321', '•••4321'],
    ['F12', '•••2'],
  ])('masks account %s as %s', (account, masked) => {
    expect(maskAccount(account)).toBe(masked);
  });

  it('masks known and IBKR-shaped account ids inside free text', () => {
    expect(maskAccountsInText('Equity of DU1234567 and U9876543 fell; ACC42 too', ['ACC42'])).toBe(
      'Equity of •••4567 and •••6543 fell; •••CC42 too',
    );
  });

  it.each([
    [-1234.5, 'USD', '-$1,234.50'],
    [250, 'EUR', '+€250.00'],
    [0, 'USD', '$0.00'],
    [-99.999, 'CHF', '-CHF 100.00'],
    [12.3, 'XTS', '+XTS 12.30'],
  ])('formats money %d %s as %s', (amount, currency, text) => {
    expect(formatMoney(amount, currency).replace(/\u00a0/g, ' ')).toBe(text);
  });

  it('rewrites "<amount> <currency>" in descriptions as signed money', () => {
    expect(formatMoneyInText('Realized P&L today is -612.50 USD, below the limit of -500.00 USD.')).toBe(
      'Realized P&L today is -$612.50, below the limit of -$500.00.',
    );
    expect(formatMoneyInText('profit 1,250.5 EUR, 3 ABC items, 12 ms, v1.5 USD')).toBe('profit +€1,250.50, 3 ABC items, 12 ms, v1.5 USD');
  });

  it('formats percentages and raw value annotations by unit', () => {
    expect(formatPercent(5.234)).toBe('5.23%');
    expect(formatPercent(-2, { sign: true })).toBe('-2%');
    expect(formatValue('-612.5', 'currency', 'USD')).toBe('-$612.50');
    expect(formatValue('0.062', 'ratio', undefined)).toBe('6.2%');
    expect(formatValue('1250', 'ms', undefined)).toBe('1,250 ms');
    expect(formatValue('n/a', 'ms', undefined)).toBeUndefined();
  });
});

describe('links', () => {
  it('builds a prefilled Alertmanager silence link from the identifying labels', () => {
    const link = silenceLink('http://am.test:9093/', { alertname: 'OrderLatencyHigh', account: 'DU1234567', severity: 'warning' });
    expect(link).toBe(
      `http://am.test:9093/#/silences/new?filter=${encodeURIComponent('{alertname="OrderLatencyHigh",account="DU1234567"}')}`,
    );
  });
});

describe('email', () => {
  it('has text and HTML parts with masked account, links, and thread headers from the group key', () => {
    const n = note();
    const mail = renderEmail([n], links, { id: 'abc.email.0', from: 'alerts@traderadmin.test' });
    expect(mail.subject).toBe('[FIRING warning] OrderLatencyHigh •••4567');
    expect(mail.text).toContain('•••4567');
    expect(mail.text).not.toContain('DU1234567 ');
    expect(mail.text).toContain('Dashboard: http://grafana.test:3000/d/trader-overview/trading-overview?var-account=DU1234567');
    expect(mail.text).toContain('Silence: http://am.test:9093/#/silences/new?filter=');
    expect(mail.html).toContain('<a href="http://grafana.test:3000/d/trader-overview');
    expect(mail.inReplyTo).toBe(threadRootId(n.groupKey, 'alerts@traderadmin.test'));
    expect(mail.references).toBe(mail.inReplyTo);
    expect(mail.messageId).toMatch(/^<abc\.email\.0\.[0-9a-f]{12}@traderadmin\.test>$/);
    const resolved = renderEmail([note([alert({ status: 'resolved', endsAt: '2026-11-21T10:05:00Z' })])], links, {
      id: 'x',
      from: 'alerts@traderadmin.test',
    });
    expect(resolved.subject).toBe('[RESOLVED] OrderLatencyHigh •••4567');
    expect(resolved.inReplyTo).toBe(mail.inReplyTo);
    expect(resolved.text).toContain('resolved 2026-11-21 10:05:00 UTC');
  });

  it('escapes HTML in alert text', () => {
    const mail = renderEmail([note([alert({ annotations: { summary: '<script>x</script>' } })])], links, { id: 'i', from: 'a@b.c' });
    expect(mail.html).not.toContain('<script>');
    expect(mail.html).toContain('&lt;script&gt;');
  });
});

describe('slack', () => {
  it('renders a valid message with buttons and masked account', () => {
    const msg = renderSlack([note()], links, 'id1');
    expect(slackPayloadProblems(msg)).toEqual([]);
    const json = JSON.stringify(msg);
    expect(json).toContain('•••4567');
    expect(msg.blocks.some((b) => b.type === 'actions' && b.elements.some((e) => e.text.text === 'Silence'))).toBe(true);
  });

  it('pings nobody and hides no link, in the blocks and in the fallback text', () => {
    const evil = '<!channel> close all positions <https://evil.example|your broker> <@U123>';
    const msg = renderSlack([note([alert({ annotations: { summary: evil, description: evil } })])], links, 'id3');
    const everyText = [msg.text, ...JSON.stringify(msg.blocks).match(/"text":"[^"]*"/g)!];
    for (const t of everyText) expect(t).not.toMatch(/<[!@#]|<https?:/);
    expect(msg.text).toContain('&lt;!channel&gt; close all positions');
  });

  it('stays within 50 blocks and 3000 characters per section for 300 alerts with huge descriptions', () => {
    const alerts = Array.from({ length: 300 }, (_, i) =>
      alert({ fingerprint: `f${i}`, annotations: { description: 'x<&>'.repeat(2000) } }),
    );
    const msg = renderSlack([note(alerts)], links, 'id2');
    expect(msg.blocks.length).toBeLessThanOrEqual(SLACK_LIMITS.blocks);
    expect(slackPayloadProblems(msg)).toEqual([]);
    expect(JSON.stringify(msg)).toMatch(/\+\d+ more alerts not shown/);
  });
});

describe('sms', () => {
  it.each([
    ['a'.repeat(160), 'GSM-7', 1],
    ['a'.repeat(161), 'GSM-7', 2],
    ['€'.repeat(80), 'GSM-7', 1],
    ['€'.repeat(81), 'GSM-7', 2],
    ['é'.repeat(160), 'GSM-7', 1],
    ['ł'.repeat(70), 'UCS-2', 1],
    ['ł'.repeat(71), 'UCS-2', 2],
  ])('counts segments (%#)', (text, encoding, segments) => {
    expect(smsLength(text).encoding).toBe(encoding);
    expect(smsSegments(text)).toBe(segments);
  });

  it('cuts long text to two segments with an ellipsis', () => {
    const gsm = fitSms('word '.repeat(200));
    expect(smsLength(gsm).units).toBeLessThanOrEqual(306);
    expect(gsm.endsWith('...')).toBe(true);
    const ucs = fitSms('słowo '.repeat(100));
    expect(smsLength(ucs)).toEqual({ encoding: 'UCS-2', units: expect.any(Number) });
    expect(smsLength(ucs).units).toBeLessThanOrEqual(134);
    expect(fitSms('short')).toBe('short');
  });

  it('renders an alert in GSM-7, at most two segments, account masked', () => {
    const text = renderSms([note([alert(), alert({ fingerprint: 'b', labels: { account: 'U7654321' } })])], links);
    expect(isGsm7(text)).toBe(true);
    expect(smsSegments(text)).toBeLessThanOrEqual(2);
    expect(text).toContain('***4567');
    expect(text).not.toContain('1234567');
    const many = renderSms([note(Array.from({ length: 40 }, (_, i) => alert({ fingerprint: `f${i}` })))], links);
    expect(smsSegments(many)).toBeLessThanOrEqual(2);
  });
});

describe('sms content', () => {
  it('gives a single alert its description, with the value and the limit, not just the summary', () => {
    const text = renderSms([note([alert()])], links);
    expect(text).toContain('1,250 ms (limit 1,000 ms)');
    expect(smsSegments(text)).toBeLessThanOrEqual(2);
  });

  it('keeps one summary line per alert in a digest', () => {
    const text = renderSms([note([alert(), alert({ fingerprint: 'b', labels: { account: 'U7654321' } })])], links);
    expect(text).not.toContain('limit 1,000 ms');
    expect(text.match(/Order round trip on/g)).toHaveLength(2);
  });
});

describe('webhook', () => {
  it('documents alerts with masked account, links and the idempotency key', () => {
    const body = renderWebhook([note()], links, { id: 'n1', key: 'k1' });
    expect(body).toMatchObject({
      version: '1',
      id: 'n1',
      idempotencyKey: 'k1',
      kind: 'alert',
      status: 'firing',
      severity: 'warning',
      notifications: 1,
    });
    expect(body.alerts[0]).toMatchObject({ alertname: 'OrderLatencyHigh', account: '•••4567', status: 'firing' });
    expect(body.alerts[0].silenceUrl).toContain('#/silences/new?filter=');
    // Links keep the real id (they must open the right dashboard and silence); everything shown is masked.
    const shown = JSON.stringify({ ...body, alerts: body.alerts.map(({ dashboardUrl: _d, silenceUrl: _s, ...rest }) => rest) });
    expect(shown).not.toContain('DU1234567');
  });

  it('keeps further labels masked, as alert-bridge/README.md says for every channel', () => {
    const body = renderWebhook(
      [
        note([
          alert({
            labels: { alertname: 'ComponentDown', severity: 'critical', account: 'DU1234567', component: 'scanner-DU1234567', job: 'x' },
          }),
        ]),
      ],
      links,
      {
        id: 'n1',
        key: 'k1',
      },
    );
    expect(body.alerts[0].labels).toEqual({ component: 'scanner-•••4567' });
    const readme = readFileSync(path.join(__dirname, '../README.md'), 'utf8');
    expect(readme).not.toMatch(/webhook JSON keeps full labels/);
    expect(readme).toContain('The webhook JSON is masked the same way');
  });
});
