/**
 * Between config.toml and the form: the draft the page edits is derived from the file's raw
 * TOML (not from the parsed Config, so what is shown is what is written), and a submitted
 * draft becomes a list of TOML edits for exactly the keys that change. Secrets travel only
 * by reference (`env:NAME`, `file:PATH`); one written in clear stays on the server.
 */
import { configSchema } from '@traderadmin/config';
import { KEEP_SECRET, SECTION, type Draft, type DraftValue, type FieldInfo, type PageProblem } from './shared/api.js';
import type { TomlEdit, TomlValue } from './tomlPatch.js';

/** The schema of the whole file, as the form and the redaction read it. */
export function fileSchema(): FieldInfo {
  // No cast: FieldInfo restates FieldDescription for the Node-free browser bundle, and this
  // assignment is what keeps the two from drifting (a new kind fails to compile here).
  const schema: FieldInfo = configSchema.describe();
  return schema;
}

/** The schema of the section the page edits. */
export function sectionSchema(): FieldInfo {
  return fileSchema().fields![SECTION];
}

/** One editable key: its path from the top of the file and its description. */
export interface Leaf {
  path: string[];
  field: FieldInfo;
}

/** Every key below a table description, depth first in schema order. */
export function leaves(field: FieldInfo, prefix: string[] = []): Leaf[] {
  if (field.kind !== 'table') return [{ path: prefix, field }];
  return Object.entries(field.fields ?? {}).flatMap(([key, child]) => leaves(child, [...prefix, key]));
}

/** The value at a path of a parsed TOML document, and whether it is there. */
export function lookup(root: unknown, path: readonly string[]): { found: boolean; value?: unknown } {
  let node: unknown = root;
  for (const part of path) {
    if (typeof node !== 'object' || node === null || Array.isArray(node) || node instanceof Date || !(part in node))
      return { found: false };
    node = (node as Record<string, unknown>)[part];
  }
  return { found: true, value: node };
}

const isReference = (s: string) => s.startsWith('env:') || s.startsWith('file:');

/** A raw TOML value as JSON the form can show; anything exotic becomes its text. */
function toDraftValue(value: unknown): DraftValue {
  if (typeof value === 'bigint') return Number(value);
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return value;
  if (Array.isArray(value)) return value.map(toDraftValue);
  if (value instanceof Date) return value.toISOString();
  return JSON.stringify(value);
}

function setIn(draft: Draft, path: readonly string[], value: DraftValue): void {
  let node = draft;
  for (const part of path.slice(0, -1)) node = (node[part] ??= {}) as Draft;
  node[path[path.length - 1]] = value;
}

/**
 * The form's starting values for the section, from the raw TOML of the file: each key's
 * written value, else its default; a secret as its reference, KEEP_SECRET when written in
 * clear, null when not set.
 */
export function draftFromRaw(raw: unknown): Draft {
  const draft: Draft = {};
  for (const leaf of leaves(sectionSchema(), [SECTION])) {
    const { found, value } = lookup(raw, leaf.path);
    const rel = leaf.path.slice(1);
    if (leaf.field.kind === 'secret') {
      setIn(draft, rel, !found ? null : typeof value === 'string' && isReference(value) ? value : KEEP_SECRET);
    } else if (found) {
      setIn(draft, rel, toDraftValue(value));
    } else {
      setIn(draft, rel, leaf.field.default !== undefined ? toDraftValue(leaf.field.default) : leaf.field.kind === 'list' ? [] : null);
    }
  }
  return draft;
}

function equal(a: unknown, b: unknown): boolean {
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, k) => equal(x, b[k]));
  if (typeof a === 'bigint' || typeof b === 'bigint') return Number(a) === Number(b);
  return a === b;
}

function isTomlValue(value: unknown): value is TomlValue {
  if (Array.isArray(value)) return value.every(isTomlValue);
  return typeof value === 'string' || (typeof value === 'number' && Number.isFinite(value)) || typeof value === 'boolean';
}

/**
 * The TOML edits that turn the file's section into `draft`, plus problems the draft itself has
 * (a secret typed in clear, a key the schema does not know). A key absent from the draft is left
 * alone; an absent key whose draft value is its default is not written.
 */
export function editsFromDraft(raw: unknown, draft: Draft): { edits: TomlEdit[]; problems: PageProblem[] } {
  const edits: TomlEdit[] = [];
  const problems: PageProblem[] = [];
  const schemaLeaves = leaves(sectionSchema(), [SECTION]);
  const known = new Set(schemaLeaves.map((l) => l.path.join('.')));
  const walk = (node: Draft, prefix: string[]) => {
    for (const [key, value] of Object.entries(node)) {
      const path = [...prefix, key];
      if (value !== null && typeof value === 'object' && !Array.isArray(value)) walk(value, path);
      else if (!known.has(path.join('.')))
        problems.push({ path: path.join('.'), severity: 'error', message: 'is not a key the page can edit' });
    }
  };
  walk(draft, [SECTION]);

  for (const { path, field } of schemaLeaves) {
    const given = lookup(draft, path.slice(1));
    if (!given.found || given.value === undefined) continue;
    const value = given.value as DraftValue;
    const current = lookup(raw, path);
    const key = path.join('.');
    if (field.kind === 'secret') {
      if (value === KEEP_SECRET) {
        if (!current.found) problems.push({ path: key, severity: 'error', message: 'has no value in the file to keep' });
        continue;
      }
      if (value === null || value === '') {
        if (current.found) edits.push({ path, remove: true });
        continue;
      }
      if (typeof value !== 'string' || !isReference(value)) {
        // Never echo it: the user may have pasted the credential itself.
        problems.push({
          path: key,
          severity: 'error',
          message: 'write a reference, "env:NAME" or "file:PATH": a secret typed here would be stored in clear in config.toml',
          hint: 'put the value in an environment variable (or a file only you can read) and name it here',
        });
        continue;
      }
      if (!(current.found && current.value === value)) edits.push({ path, value });
      continue;
    }
    if (value === null) {
      if (current.found) edits.push({ path, remove: true });
      continue;
    }
    if (!isTomlValue(value)) {
      problems.push({ path: key, severity: 'error', message: 'is not a value the page can write' });
      continue;
    }
    if (
      current.found
        ? equal(current.value, value)
        : field.default !== undefined
          ? equal(field.default, value)
          : field.kind === 'list' && equal([], value)
    ) {
      continue;
    }
    edits.push({ path, value, float: field.kind === 'number' });
  }
  return { edits, problems };
}
