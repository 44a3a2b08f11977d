/**
 * Maps dotted key paths of a TOML document to the line they are written on, so that every
 * problem can name file, line and key. smol-toml gives positions only for syntax errors,
 * hence this small line scanner; it understands tables, arrays of tables, dotted and quoted
 * keys, and skips the inside of multi-line strings and arrays.
 */
export type KeyLines = ReadonlyMap<string, number>;

const KEY_PART = String.raw`(?:[A-Za-z0-9_-]+|"(?:[^"\\]|\\.)*"|'[^']*')`;
const DOTTED_KEY = String.raw`${KEY_PART}(?:\s*\.\s*${KEY_PART})*`;
const TABLE_RE = new RegExp(String.raw`^\s*\[\s*(${DOTTED_KEY})\s*\]`);
const ARRAY_TABLE_RE = new RegExp(String.raw`^\s*\[\[\s*(${DOTTED_KEY})\s*\]\]`);
const KEY_RE = new RegExp(String.raw`^\s*(${DOTTED_KEY})\s*=`);

function splitKey(dotted: string): string[] {
  const parts: string[] = [];
  const re = new RegExp(KEY_PART, 'g');
  for (const match of dotted.matchAll(re)) {
    const part = match[0];
    parts.push(part.startsWith('"') || part.startsWith("'") ? part.slice(1, -1) : part);
  }
  return parts;
}

/** Net change in bracket depth on a line, ignoring brackets inside strings and comments. */
function bracketDelta(line: string): number {
  let depth = 0;
  let quote: string | null = null;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i];
    if (quote) {
      if (ch === '\\' && quote === '"') i++;
      else if (ch === quote) quote = null;
      continue;
    }
    if (ch === '#') break;
    if (ch === '"' || ch === "'") quote = ch;
    else if (ch === '[' || ch === '{') depth++;
    else if (ch === ']' || ch === '}') depth--;
  }
  return depth;
}

export function locateKeys(source: string): KeyLines {
  const lines = source.split(/\r?\n/);
  const found = new Map<string, number>();
  const arrayCounts = new Map<string, number>();
  let table: string[] = [];
  let openBrackets = 0;
  let inMultilineString: string | null = null;

  lines.forEach((line, index) => {
    const lineNo = index + 1;
    if (inMultilineString) {
      if (line.includes(inMultilineString)) inMultilineString = null;
      return;
    }
    if (openBrackets > 0) {
      openBrackets += bracketDelta(line);
      return;
    }
    const arrayTable = ARRAY_TABLE_RE.exec(line);
    if (arrayTable) {
      const base = splitKey(arrayTable[1]).join('.');
      const i = arrayCounts.get(base) ?? 0;
      arrayCounts.set(base, i + 1);
      table = [...splitKey(arrayTable[1]).slice(0, -1), `${splitKey(arrayTable[1]).at(-1)}[${i}]`];
      if (!found.has(base)) found.set(base, lineNo);
      found.set(table.join('.'), lineNo);
      return;
    }
    const tableMatch = TABLE_RE.exec(line);
    if (tableMatch) {
      table = splitKey(tableMatch[1]);
      found.set(table.join('.'), lineNo);
      return;
    }
    const keyMatch = KEY_RE.exec(line);
    if (!keyMatch) return;
    const path = [...table, ...splitKey(keyMatch[1])];
    for (let i = table.length + 1; i <= path.length; i++) {
      const prefix = path.slice(0, i).join('.');
      if (!found.has(prefix)) found.set(prefix, lineNo);
    }
    const rest = line.slice(keyMatch[0].length);
    const triple = /^\s*("""|''')/.exec(rest);
    if (triple && !rest.slice(rest.indexOf(triple[1]) + 3).includes(triple[1])) {
      inMultilineString = triple[1];
      return;
    }
    openBrackets = Math.max(0, bracketDelta(rest));
  });
  return found;
}

/** The line of a key, or of its nearest written parent (a missing key points at its table). */
export function lineOf(lines: KeyLines, path: string): number | undefined {
  let key = path;
  for (;;) {
    const line = lines.get(key);
    if (line !== undefined) return line;
    const cut = Math.max(key.lastIndexOf('.'), key.lastIndexOf('['));
    if (cut <= 0) return undefined;
    key = key.slice(0, cut);
  }
}
