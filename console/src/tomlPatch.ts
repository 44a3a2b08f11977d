/**
 * Edits values in TOML text in place, so that applying a change from the page keeps the
 * user's comments, blank lines, key order and number spelling: only the bytes of the values
 * that change are rewritten. It replaces the value of an existing key, inserts a missing key
 * at the end of its table (or creates the table beside its siblings), and removes keys.
 * Every result is parsed again and checked against the edits, so a patch that would not
 * mean what was asked throws instead of being written.
 */
import { parse as parseToml } from 'smol-toml';

/** A value the patcher writes: scalars and inline arrays. */
export type TomlValue = string | number | boolean | TomlValue[];

/** One change: set a key (creating it, and its table, when missing) or remove it. */
export type TomlEdit =
  | {
      path: readonly string[];
      value: TomlValue;
      /** Write whole numbers as floats (`5.0`) when the key is new; an existing key keeps its spelling. */
      float?: boolean;
    }
  | { path: readonly string[]; remove: true };

/** The text cannot be patched as asked (the key lives in an inline table, the TOML is broken, ...). */
export class TomlPatchError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TomlPatchError';
  }
}

interface Header {
  kind: 'table';
  path: string[];
  /** An array-of-tables header `[[x]]`: never a target. */
  array: boolean;
  lineStart: number;
  /** Offset just after the line (and its newline). */
  lineEnd: number;
}

interface KeyValue {
  kind: 'kv';
  /** Path of the table the key is written in (the header's path; [] at the top). */
  table: string[];
  /** The key as written, split at dots. */
  key: string[];
  lineStart: number;
  valueStart: number;
  valueEnd: number;
  /** Offset just after the line of the value's end (and its newline). */
  lineEnd: number;
  /** Index of the header this key belongs to, or -1 for the top of the file. */
  section: number;
}

interface Scan {
  headers: Header[];
  entries: KeyValue[];
}

const BARE_KEY = /^[A-Za-z0-9_-]+$/;

const ESCAPES: Record<string, string> = { b: '\b', t: '\t', n: '\n', f: '\f', r: '\r', e: '\x1b', '"': '"', '\\': '\\' };

/**
 * The content of a TOML basic string (between the quotes). TOML's escapes are not JSON's
 * (\U0001F600, \e, \xHH; a literal tab), so JSON.parse would throw its own SyntaxError.
 */
function decodeBasic(raw: string, fail: (message: string) => never): string {
  let out = '';
  for (let k = 0; k < raw.length; k++) {
    const ch = raw[k];
    if (ch !== '\\') {
      const code = ch.charCodeAt(0);
      if ((code < 0x20 && ch !== '\t') || code === 0x7f) fail('a control character in a quoted key');
      out += ch;
      continue;
    }
    const e = raw[++k];
    const hex = e === 'x' ? 2 : e === 'u' ? 4 : e === 'U' ? 8 : 0;
    if (hex > 0) {
      const digits = raw.slice(k + 1, k + 1 + hex);
      const code = /^[0-9A-Fa-f]+$/.test(digits) && digits.length === hex ? parseInt(digits, 16) : NaN;
      if (!(code <= 0x10ffff) || (code >= 0xd800 && code <= 0xdfff)) fail(`bad escape \\${e}${digits} in a quoted key`);
      out += String.fromCodePoint(code);
      k += hex;
    } else if (e in ESCAPES) out += ESCAPES[e];
    else fail(`bad escape \\${e ?? ''} in a quoted key`);
  }
  return out;
}

/** Scans the structure of a TOML document: headers and key/value lines with offsets. */
function scan(text: string): Scan {
  const headers: Header[] = [];
  const entries: KeyValue[] = [];
  let table: string[] = [];
  // A byte order mark is not part of the first line.
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  const n = text.length;

  const fail = (message: string): never => {
    const line = text.slice(0, i).split('\n').length;
    throw new TomlPatchError(`cannot edit this TOML text: ${message} at line ${line}`);
  };
  const skipSpaces = () => {
    while (i < n && (text[i] === ' ' || text[i] === '\t')) i++;
  };
  const lineEndFrom = (at: number) => {
    const nl = text.indexOf('\n', at);
    return nl < 0 ? n : nl + 1;
  };
  /** After a value or header: spaces, an optional comment, then the end of the line. */
  const finishLine = () => {
    skipSpaces();
    if (text[i] === '#') i = text.indexOf('\n', i) < 0 ? n : text.indexOf('\n', i);
    if (text[i] === '\r') i++;
    if (i < n && text[i] !== '\n') fail('unexpected text after a value');
    return i < n ? i + 1 : n;
  };
  const readKeyPart = (): string => {
    const ch = text[i];
    if (ch === '"') {
      const start = i;
      i++;
      while (i < n && text[i] !== '"') {
        if (text[i] === '\\') i++;
        if (text[i] === '\n') fail('unterminated quoted key');
        i++;
      }
      i++;
      return decodeBasic(text.slice(start + 1, i - 1), fail);
    }
    if (ch === "'") {
      const end = text.indexOf("'", i + 1);
      if (end < 0) fail('unterminated quoted key');
      const part = text.slice(i + 1, end);
      i = end + 1;
      return part;
    }
    const start = i;
    while (i < n && /[A-Za-z0-9_-]/.test(text[i])) i++;
    if (i === start) fail('expected a key');
    return text.slice(start, i);
  };
  const readKey = (): string[] => {
    const parts = [readKeyPart()];
    for (;;) {
      skipSpaces();
      if (text[i] !== '.') return parts;
      i++;
      skipSpaces();
      parts.push(readKeyPart());
    }
  };
  const skipString = () => {
    const q = text[i];
    if (text.startsWith(q.repeat(3), i)) {
      i += 3;
      for (;;) {
        if (i >= n) fail('unterminated multi-line string');
        if (q === '"' && text[i] === '\\') {
          i += 2;
          continue;
        }
        if (text.startsWith(q.repeat(3), i)) {
          i += 3;
          // Up to two more quotes may close the string ("""a"""" is a + ").
          while (text[i] === q && i < n) i++;
          return;
        }
        i++;
      }
    }
    i++;
    while (i < n && text[i] !== q) {
      if (text[i] === '\n') fail('unterminated string');
      if (q === '"' && text[i] === '\\') i++;
      i++;
    }
    if (i >= n) fail('unterminated string');
    i++;
  };
  /** Skips whitespace, newlines and comments inside arrays. */
  const skipBlank = () => {
    for (;;) {
      while (i < n && /[ \t\r\n]/.test(text[i])) i++;
      if (text[i] === '#') {
        const nl = text.indexOf('\n', i);
        i = nl < 0 ? n : nl;
        continue;
      }
      return;
    }
  };
  // An array's or inline table's items after its opening bracket, through `close`; `noComma` is the
  // error for an item followed by neither a comma nor `close` (an inline table lets the next key report it).
  const skipItems = (close: ']' | '}', what: string, item: () => void, noComma?: string): void => {
    i++;
    for (;;) {
      skipBlank();
      if (i >= n) fail(`unterminated ${what}`);
      if (text[i] === close) {
        i++;
        return;
      }
      item();
      skipBlank();
      if (text[i] === ',') i++;
      else if (noComma !== undefined && text[i] !== close) fail(noComma);
    }
  };
  const skipValue = (nested: boolean): void => {
    const ch = text[i];
    if (ch === '"' || ch === "'") return skipString();
    if (ch === '[') return skipItems(']', 'array', () => skipValue(true), 'expected , or ] in an array');
    if (ch === '{') {
      return skipItems('}', 'inline table', () => {
        readKey();
        skipSpaces();
        if (text[i] !== '=') fail('expected = in an inline table');
        i++;
        skipSpaces();
        skipValue(true);
      });
    }
    // A bare scalar: number, boolean or date-time (which may hold one space).
    const start = i;
    const stop = nested ? /[,\]}#\r\n]/ : /[#\r\n]/;
    while (i < n && !stop.test(text[i])) i++;
    while (i > start && (text[i - 1] === ' ' || text[i - 1] === '\t')) i--;
    if (i === start) fail('expected a value');
  };

  while (i < n) {
    const lineStart = i;
    skipSpaces();
    const ch = text[i];
    if (ch === '\n' || ch === '\r' || ch === '#' || i >= n) {
      i = lineEndFrom(i);
      continue;
    }
    if (ch === '[') {
      const array = text[i + 1] === '[';
      i += array ? 2 : 1;
      skipSpaces();
      const path = readKey();
      skipSpaces();
      if (text[i] !== ']' || (array && text[i + 1] !== ']')) fail('malformed table header');
      i += array ? 2 : 1;
      const lineEnd = finishLine();
      headers.push({ kind: 'table', path, array, lineStart, lineEnd });
      // Keys under an array of tables get a path no edit can name.
      table = array ? [...path, '[]'] : path;
      continue;
    }
    const key = readKey();
    skipSpaces();
    if (text[i] !== '=') fail('expected = after a key');
    i++;
    skipSpaces();
    const valueStart = i;
    skipValue(false);
    const valueEnd = i;
    const lineEnd = finishLine();
    entries.push({ kind: 'kv', table, key, lineStart, valueStart, valueEnd, lineEnd, section: headers.length - 1 });
  }
  return { headers, entries };
}

const same = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((x, k) => x === b[k]);
const startsWith = (a: readonly string[], prefix: readonly string[]) => prefix.length <= a.length && prefix.every((x, k) => x === a[k]);

/** A key as TOML writes it: bare when it can be, quoted otherwise. */
export function formatKey(part: string): string {
  return BARE_KEY.test(part) ? part : formatString(part);
}

/** A TOML basic string; control characters (DEL included) are escaped. */
export function formatString(s: string): string {
  const escaped = JSON.stringify(s).slice(1, -1);
  return `"${escaped.replace(/\x7f/g, '\\u007F')}"`;
}

/** A value in TOML syntax; arrays are written inline. */
export function formatValue(value: TomlValue, float = false): string {
  if (typeof value === 'string') return formatString(value);
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new TomlPatchError(`${value} cannot be written: TOML numbers here must be finite`);
    if (Object.is(value, -0)) value = 0;
    const text = String(value);
    return float && Number.isInteger(value) && !/e/i.test(text) ? `${text}.0` : text;
  }
  if (Array.isArray(value)) return `[${value.map((v) => formatValue(v, float)).join(', ')}]`;
  throw new TomlPatchError(`${typeof value} values cannot be written`);
}

function eolOf(text: string): string {
  return text.includes('\r\n') ? '\r\n' : '\n';
}

interface Splice {
  at: number;
  end: number;
  text: string;
}

/**
 * Applies `edits` to TOML `text` and returns the new text; every byte not part of an edited
 * value is kept. Throws TomlPatchError when the text cannot be edited safely.
 */
export function patchToml(text: string, edits: readonly TomlEdit[]): string {
  try {
    let out = text;
    // One edit at a time, rescanning between them: offsets stay right and inserts see earlier inserts.
    for (const edit of edits) out = applyOne(out, edit);
    verify(out, edits);
    return out;
  } catch (error) {
    // Whatever goes wrong, the caller gets a refusal it can show, never a crash.
    if (error instanceof TomlPatchError) throw error;
    throw new TomlPatchError(`cannot edit this TOML text: ${(error as Error).message}`);
  }
}

function applyOne(text: string, edit: TomlEdit): string {
  if (edit.path.length === 0) throw new TomlPatchError('an edit needs a key path');
  const { headers, entries } = scan(text);
  const full = (e: KeyValue) => [...e.table, ...e.key];
  const target = entries.find((e) => same(full(e), edit.path));
  const name = edit.path.join('.');
  // A key of an inline table or inline value: not something to rewrite piecewise.
  const container = entries.find((e) => startsWith(edit.path, full(e)) && !same(full(e), edit.path));
  if (container) {
    throw new TomlPatchError(`${name} is inside the inline value of ${full(container).join('.')}; edit that line by hand`);
  }
  const splice = (s: Splice) => text.slice(0, s.at) + s.text + text.slice(s.end);

  if ('remove' in edit) {
    if (!target) return text;
    return splice({ at: target.lineStart, end: target.lineEnd, text: '' });
  }

  if (target) {
    const old = text.slice(target.valueStart, target.valueEnd);
    // The old spelling decides: 5.0 stays a float when it becomes 6; 10 stays an integer.
    const float = typeof edit.value === 'number' && /^[+-]?(\d[\d_]*[.eE][\d_eE+-]*|inf|nan)$/.test(old);
    return splice({ at: target.valueStart, end: target.valueEnd, text: formatValue(edit.value, float) });
  }

  const eol = eolOf(text);
  const tablePath = edit.path.slice(0, -1);
  const key = edit.path[edit.path.length - 1];
  const line = (k: string[]) => `${k.map(formatKey).join('.')} = ${formatValue(edit.value, edit.float)}${eol}`;
  const insertAfter = (offset: number, body: string): string => {
    const needsEol = offset > 0 && text[offset - 1] !== '\n';
    return splice({ at: offset, end: offset, text: (needsEol ? eol : '') + body });
  };

  // 1. The table has a header: the key goes after the table's last key (or right under the header).
  const headerIndex = headers.findIndex((h) => !h.array && same(h.path, tablePath));
  if (headerIndex >= 0 || tablePath.length === 0) {
    const inSection = entries.filter((e) => e.section === headerIndex);
    if (inSection.length > 0) return insertAfter(inSection[inSection.length - 1].lineEnd, line([key]));
    if (headerIndex >= 0) return insertAfter(headers[headerIndex].lineEnd, line([key]));
    // The top-level table with no keys yet: before everything.
    return line([key]) + text;
  }

  // 2. The table exists through dotted keys (`[a]` then `b.c = 1`): add another dotted key there.
  const dotted = entries.filter((e) => startsWith(full(e), tablePath) && e.key.length > 1);
  if (dotted.length > 0) {
    const last = dotted[dotted.length - 1];
    const relative = [...tablePath.slice(last.table.length), key];
    return insertAfter(last.lineEnd, line(relative));
  }

  // 3. A new table, placed after the last table that shares the longest prefix with it.
  const body = `[${tablePath.map(formatKey).join('.')}]${eol}${line([key])}`;
  let best = -1;
  let bestLength = 0;
  headers.forEach((h, index) => {
    let common = 0;
    while (common < Math.min(h.path.length, tablePath.length) && h.path[common] === tablePath[common]) common++;
    if (common > 0 && common >= bestLength) {
      best = index;
      bestLength = common;
    }
  });
  if (best >= 0) {
    const lastEntry = entries.filter((e) => e.section === best).at(-1);
    const after = lastEntry ? lastEntry.lineEnd : headers[best].lineEnd;
    return insertAfter(after, eol + body);
  }
  if (text.trim() === '') return text + body;
  return insertAfter(text.length, (text.endsWith(`${eol}${eol}`) ? '' : eol) + body);
}

function lookup(root: unknown, path: readonly string[]): { found: boolean; value?: unknown } {
  let node: unknown = root;
  for (const part of path) {
    if (typeof node !== 'object' || node === null || Array.isArray(node) || !(part in node)) return { found: false };
    node = (node as Record<string, unknown>)[part];
  }
  return { found: true, value: node };
}

function equalValues(a: unknown, b: unknown): boolean {
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, k) => equalValues(x, b[k]));
  if (typeof a === 'bigint' || typeof b === 'bigint') return Number(a) === Number(b);
  return a === b;
}

/** Parses the result and checks that each edit took effect: a patch that cannot be trusted is never returned. */
function verify(text: string, edits: readonly TomlEdit[]): void {
  let parsed: unknown;
  try {
    parsed = parseToml(text);
  } catch (error) {
    throw new TomlPatchError(`the edited text is not valid TOML: ${(error as Error).message.split('\n')[0]}`);
  }
  // Later edits win over earlier ones on the same path.
  const last = new Map<string, TomlEdit>();
  for (const edit of edits) last.set(JSON.stringify(edit.path), edit);
  for (const edit of last.values()) {
    const got = lookup(parsed, edit.path);
    const ok = 'remove' in edit ? !got.found : got.found && equalValues(got.value, edit.value);
    if (!ok) throw new TomlPatchError(`editing ${edit.path.join('.')} did not give the expected value`);
  }
}
