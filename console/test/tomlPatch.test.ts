import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'smol-toml';
import { describe, expect, it } from 'vitest';
import { TomlPatchError, formatValue, patchToml, type TomlValue } from '../src/tomlPatch.js';

const EXAMPLE = readFileSync(path.resolve(__dirname, '../../config/config.example.toml'), 'utf8');

/** The lines that differ between two texts, as `-old` / `+new`, in order. */
function changedLines(before: string, after: string): string[] {
  const a = before.split('\n');
  const b = after.split('\n');
  let start = 0;
  while (start < a.length && start < b.length && a[start] === b[start]) start++;
  let endA = a.length;
  let endB = b.length;
  while (endA > start && endB > start && a[endA - 1] === b[endB - 1]) {
    endA--;
    endB--;
  }
  return [...a.slice(start, endA).map((l) => `-${l}`), ...b.slice(start, endB).map((l) => `+${l}`)];
}

describe('replacing the value of an existing key', () => {
  it('rewrites only the value and keeps the comment on the same line', () => {
    const text = '# head\n[a]\n# about x\nx = 1   # one\ny = "keep"\n';
    expect(patchToml(text, [{ path: ['a', 'x'], value: 250 }])).toBe('# head\n[a]\n# about x\nx = 250   # one\ny = "keep"\n');
  });

  it('changes one threshold of config.example.toml and nothing else, byte for byte', () => {
    const out = patchToml(EXAMPLE, [{ path: ['alerts_config', 'thresholds', 'max_order_latency_ms'], value: 200 }]);
    expect(changedLines(EXAMPLE, out)).toEqual(['-max_order_latency_ms = 1000', '+max_order_latency_ms = 200']);
  });

  it.each([
    ['a float stays a float', 'x = 5.0\n', 6, 'x = 6.0\n'],
    ['two decimals become the new float', 'x = -500.00\n', -600, 'x = -600.0\n'],
    ['an integer stays an integer', 'x = 10\n', 12, 'x = 12\n'],
    ['a fraction is written as is', 'x = 10\n', 2.5, 'x = 2.5\n'],
    ['a string gets escapes', 'x = "a"\n', 'say "hi"\\\n', 'x = "say \\"hi\\"\\\\\\n"\n'],
    ['a boolean', 'x = false # off\n', true, 'x = true # off\n'],
    ['an array, inline', 'x = ["a"]\n', ['a', 'b'], 'x = ["a", "b"]\n'],
    [
      'a multi-line array becomes inline, the comment after it stays',
      'x = [\n  "a", # first\n  "b",\n] # list\ny = 1\n',
      ['c'],
      'x = ["c"] # list\ny = 1\n',
    ],
    ['a multi-line string', 'x = """\nline\n"""\ny = 1\n', 'z', 'x = "z"\ny = 1\n'],
    ['a literal string with a hash', "x = 'a#b' # c\n", 'd', 'x = "d" # c\n'],
    ['a dotted key', '[a]\nb.c = 1\n', 2, '[a]\nb.c = 2\n'],
    ['a quoted key', '["a b"]\n"c.d" = 1\n', 3, '["a b"]\n"c.d" = 3\n'],
  ])('%s', (_name, text, value, expected) => {
    const keyPath = text.startsWith('[a]') ? ['a', 'b', 'c'] : text.startsWith('["a b"]') ? ['a b', 'c.d'] : ['x'];
    expect(patchToml(text, [{ path: keyPath, value }])).toBe(expected);
  });

  it('keeps a byte order mark', () => {
    expect(patchToml('\uFEFF[a]\nx = 1\n', [{ path: ['a', 'x'], value: 2 }])).toBe('\uFEFF[a]\nx = 2\n');
  });

  it('handles indented keys, spaced headers and comments after headers', () => {
    const text = '[ a . b ] # the table\n\t  x = 1\n';
    expect(patchToml(text, [{ path: ['a', 'b', 'x'], value: 3 }])).toBe('[ a . b ] # the table\n\t  x = 3\n');
  });

  it('replaces an inline table value as a whole', () => {
    expect(patchToml('x = { a = 1, b = [1, 2] } # c\n', [{ path: ['x'], value: 'flat' }])).toBe('x = "flat" # c\n');
  });

  it('keeps CRLF line endings', () => {
    const text = '[a]\r\nx = 1 # c\r\n\r\n[b]\r\ny = 2\r\n';
    expect(patchToml(text, [{ path: ['a', 'x'], value: 5 }])).toBe('[a]\r\nx = 5 # c\r\n\r\n[b]\r\ny = 2\r\n');
    expect(patchToml(text, [{ path: ['a', 'z'], value: true }])).toBe('[a]\r\nx = 1 # c\r\nz = true\r\n\r\n[b]\r\ny = 2\r\n');
  });
});

describe('every key of [alerts_config] in config.example.toml', () => {
  const raw = parse(EXAMPLE) as Record<string, unknown>;
  const keys: Array<[string, unknown]> = [];
  const walk = (node: Record<string, unknown>, prefix: string[]) => {
    for (const [k, v] of Object.entries(node)) {
      if (v && typeof v === 'object' && !Array.isArray(v)) walk(v as Record<string, unknown>, [...prefix, k]);
      else keys.push([[...prefix, k].join('.'), v]);
    }
  };
  walk(raw.alerts_config as Record<string, unknown>, ['alerts_config']);

  it.each(keys)('%s can be changed by rewriting its one line only', (key, value) => {
    const next =
      typeof value === 'boolean'
        ? !value
        : typeof value === 'number'
          ? value + 7
          : Array.isArray(value)
            ? [...value, 'x']
            : `${String(value)}-x`;
    const out = patchToml(EXAMPLE, [{ path: key.split('.'), value: next as TomlValue }]);
    const diff = changedLines(EXAMPLE, out);
    expect(diff).toHaveLength(2);
    expect(diff[1].startsWith(`+${key.split('.').at(-1)} = `)).toBe(true);
  });
});

describe('inserting a missing key', () => {
  it('goes at the end of its table, before the blank line and comments of the next table', () => {
    const text = '[a]\nx = 1\n\n# about b\n[b]\ny = 2\n';
    expect(patchToml(text, [{ path: ['a', 'z'], value: 'new' }])).toBe('[a]\nx = 1\nz = "new"\n\n# about b\n[b]\ny = 2\n');
  });

  it('goes right under the header of an empty table', () => {
    expect(patchToml('[a]\n\n[b]\n', [{ path: ['a', 'k'], value: 1 }])).toBe('[a]\nk = 1\n\n[b]\n');
  });

  it('is written as a float when asked, for a number key', () => {
    expect(patchToml('[a]\n', [{ path: ['a', 'k'], value: 5, float: true }])).toBe('[a]\nk = 5.0\n');
  });

  it('adds a newline when the file does not end with one', () => {
    expect(patchToml('[a]\nx = 1', [{ path: ['a', 'y'], value: 2 }])).toBe('[a]\nx = 1\ny = 2\n');
  });

  it('uses a dotted key when the table is only defined through dotted keys', () => {
    expect(patchToml('[a]\nb.c = 1\n', [{ path: ['a', 'b', 'd'], value: 2 }])).toBe('[a]\nb.c = 1\nb.d = 2\n');
  });

  it('quotes keys that are not bare', () => {
    expect(patchToml('[a]\n', [{ path: ['a', 'my key'], value: 1 }])).toBe('[a]\n"my key" = 1\n');
  });

  it('creates a missing table after its closest sibling, keeping what follows', () => {
    const text = '[t]\nenabled = true\n\n[t.n.email]\nenabled = false\n\n# the broker\n[broker]\nport = 1\n';
    expect(patchToml(text, [{ path: ['t', 'n', 'webhook', 'urls'], value: ['https://x.test/h'] }])).toBe(
      '[t]\nenabled = true\n\n[t.n.email]\nenabled = false\n\n[t.n.webhook]\nurls = ["https://x.test/h"]\n\n# the broker\n[broker]\nport = 1\n',
    );
  });

  it('creates a table at the end when nothing shares its name', () => {
    expect(patchToml('# c\n[a]\nx = 1\n', [{ path: ['z', 'k'], value: 1 }])).toBe('# c\n[a]\nx = 1\n\n[z]\nk = 1\n');
    expect(patchToml('', [{ path: ['z', 'k'], value: 1 }])).toBe('[z]\nk = 1\n');
  });

  it('puts a top-level key before the first table', () => {
    expect(patchToml('top = 1\n[a]\nx = 1\n', [{ path: ['top2'], value: 2 }])).toBe('top = 1\ntop2 = 2\n[a]\nx = 1\n');
  });
});

describe('removing a key', () => {
  it('removes the whole line, and keeps the comment above it', () => {
    const text = '[e]\n# login\nsmtp_user = "u"  # optional\nport = 1\n';
    expect(patchToml(text, [{ path: ['e', 'smtp_user'], remove: true }])).toBe('[e]\n# login\nport = 1\n');
  });

  it('removes a multi-line value', () => {
    expect(patchToml('[e]\nto = [\n "a",\n "b"\n]\nx = 1\n', [{ path: ['e', 'to'], remove: true }])).toBe('[e]\nx = 1\n');
  });

  it('is a no-op when the key is absent', () => {
    expect(patchToml('[e]\nx = 1\n', [{ path: ['e', 'y'], remove: true }])).toBe('[e]\nx = 1\n');
  });
});

describe('several edits on config.example.toml', () => {
  it('enables email with a new recipient and keeps every other byte', () => {
    const edits = [
      { path: ['alerts_config', 'notifications', 'email', 'enabled'], value: true },
      { path: ['alerts_config', 'notifications', 'email', 'recipients'], value: ['test@example.com'] },
      { path: ['alerts_config', 'notifications', 'email', 'smtp_user'], remove: true as const },
      { path: ['alerts_config', 'notifications', 'webhook', 'bearer_token'], value: 'env:HOOK' },
    ];
    const out = patchToml(EXAMPLE, edits);
    const parsed = parse(out) as { alerts_config: { notifications: Record<string, Record<string, unknown>> } };
    expect(parsed.alerts_config.notifications.email).toMatchObject({ enabled: true, recipients: ['test@example.com'] });
    expect(parsed.alerts_config.notifications.email.smtp_user).toBeUndefined();
    expect(parsed.alerts_config.notifications.webhook.bearer_token).toBe('env:HOOK');
    const diff = changedLines(EXAMPLE, out);
    expect(diff.filter((l) => l.startsWith('+'))).toEqual(
      expect.arrayContaining(['+enabled = true', '+recipients = ["test@example.com"]', '+bearer_token = "env:HOOK"']),
    );
    // Every comment line of the example survives.
    const comments = (t: string) => t.split('\n').filter((l) => l.trim().startsWith('#'));
    expect(comments(out)).toEqual(comments(EXAMPLE));
  });
});

describe('what it refuses', () => {
  it.each([
    ['a key inside an inline table', 'a = { b = 1 }\n', ['a', 'b'], /inside the inline value of a/],
    ['broken TOML', '[a\nx = 1\n', ['a', 'x'], /cannot edit this TOML text/],
    ['an unterminated string', 'x = "abc\n', ['x'], /unterminated string/],
  ])('%s', (_name, text, keyPath, message) => {
    expect(() => patchToml(text, [{ path: keyPath, value: 1 }])).toThrow(message);
    expect(() => patchToml(text, [{ path: keyPath, value: 1 }])).toThrow(TomlPatchError);
  });

  it('refuses a table header that would clash with an existing key, instead of writing broken TOML', () => {
    expect(() => patchToml('[a]\nb = 1\n', [{ path: ['a', 'b', 'c'], value: 1 }])).toThrow(TomlPatchError);
  });

  it('refuses numbers TOML cannot hold here', () => {
    expect(() => formatValue(Number.NaN)).toThrow(/finite/);
  });

  it('escapes control characters, DEL included', () => {
    expect(formatValue('a\u0001\u007f')).toBe('"a\\u0001\\u007F"');
    expect(parse(`x = ${formatValue('a\u0001\u007f\t')}`)).toEqual({ x: 'a\u0001\u007f\t' });
  });
});

describe('unusual quoted keys', () => {
  // Valid TOML whose keys JSON.parse cannot read: TOML's own escapes, a literal tab, only spaces.
  const docs: Array<[string, string]> = [
    ['"\\U0001F600" = 1\n', '😀'],
    ['"\\u0000" = 1\n', '\u0000'],
    ['"a\tb" = 1\n', 'a\tb'],
    ['" " = 1\n', ' '],
    ['"\\e" = 1\n', '\x1b'],
    ['"\\x41" = 1\n', 'A'],
    ["'   ' = 1\n", '   '],
  ];
  for (const [doc, key] of docs) {
    it(`patches ${JSON.stringify(doc)} exactly, or refuses it with its own error`, () => {
      expect(parse(doc)).toEqual({ [key]: 1 });
      for (const edit of [
        { path: [key], value: 2 },
        { path: ['alerts_config', 'enabled'], value: true },
      ]) {
        let out: string;
        try {
          out = patchToml(doc, [edit]);
        } catch (error) {
          expect(error).toBeInstanceOf(TomlPatchError);
          continue;
        }
        const expected = edit.path.length === 1 ? { [key]: 2 } : { [key]: 1, alerts_config: { enabled: true } };
        expect(parse(out)).toEqual(expected);
      }
    });
  }

  it('reads TOML escapes in quoted keys as TOML does, so editing one finds it', () => {
    expect(patchToml('"\\U0001F600" = 1\n', [{ path: ['😀'], value: 2 }])).toBe('"\\U0001F600" = 2\n');
    expect(patchToml('["a\tb"]\nx = 1\n', [{ path: ['a\tb', 'x'], value: 3 }])).toBe('["a\tb"]\nx = 3\n');
  });
});
