import { configSchema } from '@traderadmin/config';
import { describe, expect, it } from 'vitest';
import { draftFromRaw, editsFromDraft } from '../src/draft.js';
import { parse } from 'smol-toml';
import { KEEP_SECRET } from '../src/shared/api.js';
import { itemLabel, labelOf, merge3, problemAnchor, rangeText, readNumber } from '../src/shared/form.js';
import { EXAMPLE_TEXT } from './helpers.js';

describe('labels', () => {
  it.each([
    [['thresholds', 'max_order_latency_ms'], { unit: 'ms' }, 'Max order latency'],
    [['thresholds', 'max_api_errors_per_hour'], {}, 'Max API errors per hour'],
    [['notifications', 'email', 'enabled'], {}, 'Enable Email notifications'],
    [['notifications', 'email', 'recipients'], {}, 'Email recipients'],
    [['notifications', 'email', 'smtp_host'], {}, 'Email SMTP host'],
    [['notifications', 'sms', 'to'], {}, 'SMS to'],
    [['enabled'], {}, 'Alerting enabled'],
  ])('%j is labelled %j', (path, field, label) => {
    expect(labelOf(path, field)).toBe(label);
  });

  it('names list rows by channel and item', () => {
    expect(itemLabel(['notifications', 'email', 'recipients'], 0)).toBe('Email recipient 1');
    expect(itemLabel(['notifications', 'sms', 'to'], 1)).toBe('SMS phone number 2');
  });

  it('says the range with its unit', () => {
    expect(rangeText({ kind: 'integer', help: '', min: 1, max: 600000, unit: 'ms' })).toBe('between 1 and 600000 ms');
    expect(rangeText({ kind: 'number', help: '' })).toBeUndefined();
  });
});

describe('reading typed numbers', () => {
  it.each([
    ['200', 200],
    [' -500.5 ', -500.5],
    ['1_000', 1000],
    ['1e3', 1000],
    ['abc', 'abc'],
    ['', ''],
    ['12px', '12px'],
  ])('%j reads as %j', (text, value) => {
    expect(readNumber(text)).toBe(value);
  });
});

describe('where a problem is shown', () => {
  const fields = new Set([
    'alerts_config.notifications.email.recipients',
    'alerts_config.notifications.email.recipients[1]',
    'alerts_config.cooldown_minutes',
  ]);
  it.each([
    ['alerts_config.notifications.email.recipients[1]', 'alerts_config.notifications.email.recipients[1]'],
    ['alerts_config.notifications.email.recipients[7]', 'alerts_config.notifications.email.recipients'],
    ['alerts_config.cooldown_minutes', 'alerts_config.cooldown_minutes'],
    ['alert_bridge.listen', undefined],
  ])('%s → %s', (path, anchor) => {
    expect(problemAnchor(path, (p) => fields.has(p))).toBe(anchor);
  });
});

describe('merging my edits onto a file someone else changed', () => {
  const base = { thresholds: { a: 1, b: 2, c: 3 }, list: ['x'] };
  it('takes their change, keeps mine, and lists keys we both changed differently', () => {
    const mine = { thresholds: { a: 10, b: 2, c: 30 }, list: ['x', 'y'] };
    const theirs = { thresholds: { a: 1, b: 20, c: 31 }, list: ['x'] };
    expect(merge3(base, mine, theirs)).toEqual({
      draft: { thresholds: { a: 10, b: 20, c: 30 }, list: ['x', 'y'] },
      conflicts: ['thresholds.c'],
    });
  });
  it('is no conflict when we both made the same change', () => {
    expect(merge3(base, { ...base, list: ['z'] }, { ...base, list: ['z'] }).conflicts).toEqual([]);
  });
});

describe('the draft of the example file', () => {
  const raw = parse(EXAMPLE_TEXT);
  it('holds every key of [alerts_config] with the written value, or its default', () => {
    const draft = draftFromRaw(raw);
    const schema = configSchema.describe().fields!.alerts_config;
    expect(Object.keys(draft)).toEqual(Object.keys(schema.fields!));
    expect(draft.thresholds).toEqual({
      max_order_latency_ms: 1000,
      min_daily_realized_pnl: -500,
      max_portfolio_drawdown_percentage_today: 5,
      max_api_errors_per_hour: 10,
      max_data_staleness_seconds: 60,
    });
    const notifications = draft.notifications as Record<string, Record<string, unknown>>;
    expect(notifications.email.smtp_password).toBe('env:SMTP_PASSWORD');
    expect(notifications.webhook.bearer_token).toBeNull();
  });

  it('gives no edits when nothing changed, and only the changed keys otherwise', () => {
    const draft = draftFromRaw(raw);
    expect(editsFromDraft(raw, draft)).toEqual({ edits: [], problems: [] });
    (draft.thresholds as Record<string, unknown>).max_portfolio_drawdown_percentage_today = 7.5;
    expect(editsFromDraft(raw, draft).edits).toEqual([
      { path: ['alerts_config', 'thresholds', 'max_portfolio_drawdown_percentage_today'], value: 7.5, float: true },
    ]);
  });

  it('marks a secret written in clear as kept, never its value', () => {
    const withLiteral = parse(EXAMPLE_TEXT.replace('smtp_password = "env:SMTP_PASSWORD"', 'smtp_password = "s3cr3t"'));
    const draft = draftFromRaw(withLiteral);
    expect((draft.notifications as Record<string, Record<string, unknown>>).email.smtp_password).toBe(KEEP_SECRET);
    expect(JSON.stringify(draft)).not.toContain('s3cr3t');
  });
});
