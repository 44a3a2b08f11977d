/**
 * Reads the structure of a TOML document without building its values: where each table
 * header and each key/value line starts and ends, so that a patch can rewrite just those bytes.
 * Anything it cannot follow is a TomlPatchError, never a guess.
 */
import { TomlPatchError } from './tomlWrite.js';

export interface Header {
  kind: 'table';
  path: string[];
  /** An array-of-tables header `[[x]]`: never a target. */
  array: boolean;
  lineStart: number;
  /** Offset just after the line (and its newline). */
  lineEnd: number;
}

export interface KeyValue {
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

export interface Scan {
  headers: Header[];
  entries: KeyValue[];
}

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
export function scan(text: string): Scan {
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
