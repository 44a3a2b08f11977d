import { describe, expect, it } from 'vitest';
import { createLogger, redactingLogger, type LoggerOptions, type LogFields, type Logger } from '../src/logger.js';
import { Redactor, describeUrl } from '../src/redact.js';

const NOW = Date.UTC(2026, 0, 2, 15, 4, 5);

function capture(options: LoggerOptions = {}): { log: Logger; lines: string[] } {
  const lines: string[] = [];
  return { log: createLogger({ now: () => NOW, write: (l) => lines.push(l), isTTY: false, ...options }), lines };
}

describe('createLogger', () => {
  it.each([
    // [options, expected line]
    [{}, '{"ts":"2026-01-02T15:04:05.000Z","level":"info","msg":"order filled","id":7,"side":"BUY"}'],
    [{ format: 'text' }, '2026-01-02T15:04:05.000Z info  order filled id=7 side=BUY'],
    [{ format: 'auto', isTTY: true }, '2026-01-02T15:04:05.000Z info  order filled id=7 side=BUY'],
    [{ format: 'auto', isTTY: false }, '{"ts":"2026-01-02T15:04:05.000Z","level":"info","msg":"order filled","id":7,"side":"BUY"}'],
    [{ format: 'json', isTTY: true }, '{"ts":"2026-01-02T15:04:05.000Z","level":"info","msg":"order filled","id":7,"side":"BUY"}'],
  ] as [LoggerOptions, string][])('%j writes %s', (options, line) => {
    const { log, lines } = capture(options);
    log.info('order filled', { id: 7, side: 'BUY' });
    expect(lines).toEqual([line]);
  });

  it.each([
    // [level setting, levels that are written]
    [undefined, ['info', 'warn', 'error']],
    ['debug', ['debug', 'info', 'warn', 'error']],
    ['warn', ['warn', 'error']],
    ['error', ['error']],
  ] as [LoggerOptions['level'], string[]][])('level %s writes %j', (level, written) => {
    const { log, lines } = capture({ level });
    for (const l of ['debug', 'info', 'warn', 'error'] as const) log[l]('x');
    expect(lines.map((l) => (JSON.parse(l) as LogFields).level)).toEqual(written);
  });

  it.each([
    // [fields, expected text suffix]
    [{ error: new TypeError('boom') }, ' error={"name":"TypeError","message":"boom"}'],
    [{ note: 'two words' }, ' note="two words"'],
    [{ empty: '' }, ' empty=""'],
    [{ level: 'spoofed', msg: 'spoofed', ok: true }, ' ok=true'],
  ])('text fields %j → %s', (fields, suffix) => {
    const { log, lines } = capture({ format: 'text' });
    log.warn('m', fields);
    expect(lines[0]).toBe(`2026-01-02T15:04:05.000Z warn  m${suffix}`);
  });

  it('child loggers add their fields and keep the redactor', () => {
    const redactor = new Redactor(['hunter2-password']);
    const { log, lines } = capture({ redactor });
    log.child({ channel: 'email' }).child({ attempt: 2 }).error('login failed for hunter2-password');
    expect(JSON.parse(lines[0])).toEqual({
      ts: '2026-01-02T15:04:05.000Z',
      level: 'error',
      msg: 'login failed for <secret>',
      channel: 'email',
      attempt: 2,
    });
    redactor.set(['new-secret-value']);
    log.info('rotated', { token: 'new-secret-value' });
    expect(lines[1]).not.toContain('new-secret-value');
  });
});

describe('Redactor', () => {
  it.each([
    // [secrets, text, redacted]
    [['xoxb-slack-token'], 'POST failed: xoxb-slack-token rejected', 'POST failed: <secret> rejected'],
    [['abc'], 'abc is too short to hide', 'abc is too short to hide'],
    [['token', 'token-long'], 'token-long', '<secret>'],
    [[], 'smtp://user:pa55word@mail.example:587', 'smtp://<secret>@mail.example:587'],
    [['s3cr3t-value'], '{"a":"s3cr3t-value","b":"s3cr3t-value"}', '{"a":"<secret>","b":"<secret>"}'],
  ])('hides %j in %s', (secrets, text, out) => expect(new Redactor(secrets).redact(text)).toBe(out));

  it('redactingLogger hides secrets from an injected logger, fields included', () => {
    const seen: string[] = [];
    const inner: Logger = {
      debug: () => {},
      info: (m, f) => seen.push(`${m} ${JSON.stringify(f)}`),
      warn: () => {},
      error: () => {},
      child: () => inner,
    };
    redactingLogger(inner, new Redactor(['bot123:ABC-token'])).info('call bot123:ABC-token', { url: 'https://api/bot123:ABC-token/send' });
    expect(seen).toEqual(['call <secret> {"url":"https://api/<secret>/send"}']);
  });

  it.each([
    ['https://hooks.slack.com/services/T0/B0/XYZ', 'https://hooks.slack.com/…'],
    ['not a url', '<invalid url>'],
  ])('describeUrl(%s) → %s', (raw, shown) => expect(describeUrl(raw)).toBe(shown));
});
