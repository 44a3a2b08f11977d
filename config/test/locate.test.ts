import { describe, expect, it } from 'vitest';
import { lineOf, locateKeys } from '../src/index.js';

describe('locateKeys', () => {
  it('maps tables, keys, dotted and quoted keys to their lines', () => {
    const text = [
      '# comment',
      '[alerts_config]',
      'enabled = true',
      '',
      '[alerts_config.thresholds]',
      'max_order_latency_ms = 1000 # trailing [comment]',
      'a.b = 1',
      '"quoted key" = 2',
    ].join('\n');
    const lines = locateKeys(text);
    expect(lines.get('alerts_config')).toBe(2);
    expect(lines.get('alerts_config.enabled')).toBe(3);
    expect(lines.get('alerts_config.thresholds')).toBe(5);
    expect(lines.get('alerts_config.thresholds.max_order_latency_ms')).toBe(6);
    expect(lines.get('alerts_config.thresholds.a.b')).toBe(7);
    expect(lines.get('alerts_config.thresholds.quoted key')).toBe(8);
  });

  it('skips the inside of multi-line arrays and strings', () => {
    const text = ['[t]', 'list = [', '  "x = 1",', ']', 'text = """', 'y = 2', '"""', 'z = 3'].join('\n');
    const lines = locateKeys(text);
    expect(lines.get('t.list')).toBe(2);
    expect(lines.get('t.text')).toBe(5);
    expect(lines.has('t.y')).toBe(false);
    expect(lines.get('t.z')).toBe(8);
  });

  it('numbers arrays of tables', () => {
    const text = ['[[prometheus.remote_write]]', 'url = "a"', '[[prometheus.remote_write]]', 'url = "b"'].join('\n');
    const lines = locateKeys(text);
    expect(lines.get('prometheus.remote_write[0].url')).toBe(2);
    expect(lines.get('prometheus.remote_write[1].url')).toBe(4);
  });

  it('falls back to the nearest written parent for a missing key', () => {
    const lines = locateKeys('[alerts_config.notifications.email]\nenabled = true\n');
    expect(lineOf(lines, 'alerts_config.notifications.email.recipients')).toBe(1);
    expect(lineOf(lines, 'broker.port')).toBeUndefined();
  });
});
