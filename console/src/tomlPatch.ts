/**
 * Edits values in TOML text in place, so that applying a change from the page keeps the
 * user's comments, blank lines, key order and number spelling: only the bytes of the values
 * that change are rewritten. It replaces the value of an existing key, inserts a missing key
 * at the end of its table (or creates the table beside its siblings), and removes keys.
 * Every result is parsed again and checked against the edits, so a patch that would not
 * mean what was asked throws instead of being written. It reads the text's layout with
 * tomlScan.ts and spells new values with tomlWrite.ts.
 */
import { parse as parseToml } from 'smol-toml';
import { scan, type KeyValue } from './tomlScan.js';
import { TomlPatchError, formatKey, formatValue, type TomlValue } from './tomlWrite.js';

export { TomlPatchError, formatKey, formatString, formatValue, type TomlValue } from './tomlWrite.js';

/** One change: set a key (creating it, and its table, when missing) or remove it. */
export type TomlEdit =
  | {
      path: readonly string[];
      value: TomlValue;
      /** Write whole numbers as floats (`5.0`) when the key is new; an existing key keeps its spelling. */
      float?: boolean;
    }
  | { path: readonly string[]; remove: true };

const same = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((x, k) => x === b[k]);
const startsWith = (a: readonly string[], prefix: readonly string[]) => prefix.length <= a.length && prefix.every((x, k) => x === a[k]);

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
