/** Composite fields: lists, tables (with their cross-field checks) and arrays of tables. */
import { Field, wrongType, type FieldDescription, type Infer, type ParseContext, type Report } from './field.js';
import { closest } from './suggest.js';

export interface ListOptions<T> {
  default?: T[];
  minItems?: number;
  unique?: boolean;
}

export class ListField<T> extends Field<T[]> {
  constructor(
    help: string,
    private readonly item: Field<T>,
    private readonly options: ListOptions<T>,
  ) {
    super(help);
  }
  parse(value: unknown, path: string, ctx: ParseContext) {
    if (!Array.isArray(value)) {
      const hint = typeof value === 'string' ? `write a list: [${JSON.stringify(value)}]` : undefined;
      return wrongType(ctx, path, 'a list', value, hint);
    }
    const out: T[] = [];
    let ok = true;
    value.forEach((item, i) => {
      const parsed = this.item.parse(item, `${path}[${i}]`, ctx);
      if (parsed === undefined) ok = false;
      else out.push(parsed);
    });
    if (!ok) return undefined;
    if (this.options.minItems !== undefined && out.length < this.options.minItems) {
      ctx.problems.push({
        path,
        severity: 'error',
        message: `needs at least ${this.options.minItems} item${this.options.minItems === 1 ? '' : 's'}`,
      });
      return undefined;
    }
    if (this.options.unique) {
      const seen = new Set<string>();
      for (const item of out) {
        const key = JSON.stringify(item);
        if (seen.has(key)) {
          ctx.problems.push({ path, severity: 'error', message: `lists ${key} twice` });
          return undefined;
        }
        seen.add(key);
      }
    }
    return out;
  }
  fallback() {
    return this.options.default ? [...this.options.default] : [];
  }
  describe(): FieldDescription {
    const d: FieldDescription = { kind: 'list', help: this.help, item: this.item.describe() };
    if (this.options.default) d.default = this.options.default;
    return d;
  }
}

export type Shape = Record<string, Field<unknown>>;
export type InferShape<S extends Shape> = { readonly [K in keyof S]: Infer<S[K]> };

/**
 * A check across the fields of one table. It runs when the keys it `needs` parsed (all of
 * them when not given), so one bad key elsewhere does not hide the problems it would find.
 */
export interface TableCheck<T> {
  needs?: readonly (keyof T & string)[];
  run: (value: T, report: Report, ctx: ParseContext) => void;
}

export class TableField<S extends Shape> extends Field<InferShape<S>> {
  constructor(
    help: string,
    readonly shape: S,
    private readonly checks: TableCheck<InferShape<S>>[] = [],
  ) {
    super(help);
  }
  parse(value: unknown, path: string, ctx: ParseContext): InferShape<S> | undefined {
    if (typeof value !== 'object' || value === null || Array.isArray(value) || value instanceof Date) {
      return wrongType(ctx, path, 'a table', value);
    }
    const input = value as Record<string, unknown>;
    const known = Object.keys(this.shape);
    let ok = true;
    for (const key of Object.keys(input)) {
      if (!(key in this.shape)) {
        const near = closest(key, known);
        ctx.problems.push({
          path: join(path, key),
          severity: 'error',
          message: `unknown key "${key}"${path ? ` in [${path}]` : ''}`,
          hint: near ? `did you mean "${near}"?` : `known keys: ${known.join(', ')}`,
        });
        ok = false;
      }
    }
    const out: Record<string, unknown> = {};
    const failed = new Set<string>();
    for (const [key, field] of Object.entries(this.shape)) {
      const childPath = join(path, key);
      const parsed = key in input ? field.parse(input[key], childPath, ctx) : field.fallback(childPath, ctx);
      if (parsed === undefined && (key in input || !isOptional(field))) failed.add(key);
      out[key] = parsed;
    }
    if (failed.size > 0) ok = false;
    const result = out as InferShape<S>;
    for (const check of this.checks) {
      const needs = check.needs ?? Object.keys(this.shape);
      if (needs.some((key) => failed.has(key))) continue;
      const report: Report = (key, message, hint, severity = 'error') => {
        ctx.problems.push({ path: join(path, key), message, hint, severity });
        if (severity === 'error') ok = false;
      };
      check.run(result, report, ctx);
    }
    return ok ? result : undefined;
  }
  fallback(path: string, ctx: ParseContext) {
    return this.parse({}, path, ctx);
  }
  describe(): FieldDescription {
    const fields: Record<string, FieldDescription> = {};
    for (const [key, field] of Object.entries(this.shape)) fields[key] = field.describe();
    return { kind: 'table', help: this.help, fields };
  }
}

/** An array of tables (`[[prometheus.remote_write]]`). */
export class TableListField<S extends Shape> extends Field<InferShape<S>[]> {
  constructor(
    help: string,
    private readonly table: TableField<S>,
  ) {
    super(help);
  }
  parse(value: unknown, path: string, ctx: ParseContext) {
    if (!Array.isArray(value)) return wrongType(ctx, path, `an array of tables ([[${path}]])`, value);
    const out: InferShape<S>[] = [];
    let ok = true;
    value.forEach((item, i) => {
      const parsed = this.table.parse(item, `${path}[${i}]`, ctx);
      if (parsed === undefined) ok = false;
      else out.push(parsed);
    });
    return ok ? out : undefined;
  }
  fallback() {
    return [];
  }
  describe(): FieldDescription {
    return { kind: 'table_list', help: this.help, item: this.table.describe() };
  }
}

function isOptional(field: Field<unknown>): boolean {
  return field.fallback('', { problems: [], env: {} }) === undefined && field.describe().optional === true;
}

function join(path: string, key: string): string {
  return path ? `${path}.${key}` : key;
}
