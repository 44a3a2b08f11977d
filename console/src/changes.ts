/**
 * What a change to config.toml does, key by key, and the redaction that keeps secrets written
 * in clear out of everything the page sends: diffs show a secret only by its reference
 * (`env:NAME`, `file:PATH`) or as "set (in the file)", and every answer is scrubbed of the
 * clear values found in the file as a second line of defence.
 */
import { REDACTED } from '@traderadmin/config';
import type { FieldInfo, KeyChange } from './shared/api.js';
import { fileSchema } from './draft.js';
import { formatValue, type TomlValue } from './tomlPatch.js';

/** How a secret written in clear is shown. */
export const SECRET_IN_FILE = 'set (in the file)';

const isReference = (s: string) => s.startsWith('env:') || s.startsWith('file:');
const isTable = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Date);

/** Visits every value of a raw TOML document with its path and schema description (when the schema knows it). */
function walk(
  raw: unknown,
  schema: FieldInfo | undefined,
  prefix: string[],
  visit: (path: string[], value: unknown, field?: FieldInfo) => void,
): void {
  if (isTable(raw)) {
    for (const [key, value] of Object.entries(raw))
      walk(value, schema?.kind === 'table' ? schema.fields?.[key] : undefined, [...prefix, key], visit);
    return;
  }
  if (Array.isArray(raw) && raw.some(isTable)) {
    raw.forEach((item, i) =>
      walk(item, schema?.kind === 'table_list' ? schema.item : undefined, [...prefix.slice(0, -1), `${prefix.at(-1)}[${i}]`], visit),
    );
    return;
  }
  visit(prefix, raw, schema);
}

/** The clear values of secrets written in the file (to scrub from every answer). */
export function literalSecrets(raw: unknown): string[] {
  const out = new Set<string>();
  walk(raw, fileSchema(), [], (_path, value, field) => {
    if (field?.kind === 'secret' && typeof value === 'string' && value !== '' && !isReference(value)) out.add(value);
  });
  return [...out];
}

/** Replaces every clear secret value inside any string of `value` (deeply) with `<secret>`. */
export function scrub<T>(value: T, secrets: readonly string[]): T {
  // Longest first, so a secret that contains another is replaced whole.
  const list = secrets.filter((s) => s.length > 0).sort((a, b) => b.length - a.length);
  if (list.length === 0) return value;
  const clean = (v: unknown): unknown => {
    if (typeof v === 'string') return list.reduce((s, secret) => s.split(secret).join(REDACTED), v);
    if (Array.isArray(v)) return v.map(clean);
    if (isTable(v)) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, clean(x)]));
    return v;
  };
  return clean(value) as T;
}

function show(value: unknown, field?: FieldInfo): string {
  if (field?.kind === 'secret') return typeof value === 'string' && isReference(value) ? formatValue(value) : SECRET_IN_FILE;
  if (typeof value === 'bigint') return String(value);
  if (value instanceof Date) return value.toISOString();
  try {
    return formatValue(value as TomlValue, field?.kind === 'number');
  } catch {
    return JSON.stringify(value);
  }
}

/** Every key that differs between two parsed TOML documents, in the order of the new one (removed keys last). */
export function keyChanges(before: unknown, after: unknown): KeyChange[] {
  const flatten = (raw: unknown) => {
    const out = new Map<string, { value: unknown; field?: FieldInfo }>();
    walk(raw, fileSchema(), [], (path, value, field) => out.set(path.join('.'), { value, field }));
    return out;
  };
  const a = flatten(before);
  const b = flatten(after);
  const changes: KeyChange[] = [];
  const same = (x: unknown, y: unknown): boolean =>
    Array.isArray(x) && Array.isArray(y)
      ? x.length === y.length && x.every((v, i) => same(v, y[i]))
      : typeof x === 'bigint' || typeof y === 'bigint'
        ? Number(x) === Number(y)
        : x instanceof Date && y instanceof Date
          ? x.getTime() === y.getTime()
          : x === y;
  for (const [path, { value, field }] of b) {
    const old = a.get(path);
    if (!old) changes.push({ path, after: show(value, field) });
    else if (!same(old.value, value)) {
      // Two different clear secrets both show as "set": say that it changed.
      const beforeText = show(old.value, old.field);
      const afterText = show(value, field);
      changes.push({ path, before: beforeText, after: beforeText === afterText ? `${afterText}, changed` : afterText });
    }
  }
  for (const [path, { value, field }] of a) if (!b.has(path)) changes.push({ path, before: show(value, field) });
  return changes;
}
