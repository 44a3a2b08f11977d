/**
 * A small declarative schema for config.toml. One description serves four readers: the
 * loader (types, defaults, ranges), `traderadmin validate` (every problem at once, with a
 * hint), the alerts configuration page (its form is generated from `describe()`), and the
 * docs. Types of the parsed config are inferred from it, so there is one source of truth.
 */
import { isAbsolute, relative } from 'node:path';
import { Secret } from './secret.js';

export type Severity = 'error' | 'warning';

/** One thing wrong (or doubtful) in a config file, located by its dotted key path. */
export interface Problem {
  path: string;
  message: string;
  hint?: string;
  severity: Severity;
}

export interface ParseContext {
  problems: Problem[];
  /** Environment used to check that env: secrets are set. */
  env: NodeJS.ProcessEnv;
  /** The config file's folder: relative file: secrets resolve against it. */
  baseDir?: string;
  /** The only folder file: secrets may be in (`[secrets] file_dir`, resolved). */
  secretFileDir?: string;
  /** false: file: secrets are not read to check them (the page must not reveal whether a file exists). */
  readSecretFiles?: boolean;
}

/** What the form and the docs know about a field. */
export interface FieldDescription {
  kind: 'boolean' | 'integer' | 'number' | 'string' | 'secret' | 'list' | 'table' | 'table_list';
  help: string;
  default?: unknown;
  optional?: boolean;
  min?: number;
  max?: number;
  unit?: string;
  choices?: readonly string[];
  pattern?: string;
  item?: FieldDescription;
  fields?: Record<string, FieldDescription>;
}

export abstract class Field<T> {
  constructor(readonly help: string) {}
  /** Parses a present value; returns undefined after recording a problem. */
  abstract parse(value: unknown, path: string, ctx: ParseContext): T | undefined;
  /** The value when the key is absent; undefined records "missing". */
  abstract fallback(path: string, ctx: ParseContext): T | undefined;
  abstract describe(): FieldDescription;
}

export type Infer<F> = F extends Field<infer T> ? T : never;

function typeName(value: unknown): string {
  if (Array.isArray(value)) return 'an array';
  if (value === null) return 'null';
  if (value instanceof Date) return 'a date';
  switch (typeof value) {
    case 'string':
      return `a string ${JSON.stringify(value)}`;
    case 'number':
      return Number.isInteger(value) ? `the integer ${value}` : `the number ${value}`;
    case 'bigint':
      return `the integer ${value}`;
    case 'boolean':
      return `the boolean ${value}`;
    case 'object':
      return 'a table';
    default:
      return typeof value;
  }
}

function wrongType(ctx: ParseContext, path: string, expected: string, value: unknown, hint?: string): undefined {
  ctx.problems.push({ path, severity: 'error', message: `expected ${expected}, got ${typeName(value)}`, hint });
  return undefined;
}

function missing(ctx: ParseContext, path: string): undefined {
  ctx.problems.push({ path, severity: 'error', message: 'is required' });
  return undefined;
}

interface ScalarOptions<T> {
  default?: T;
  /** Absent means undefined rather than the default or an error. */
  optional?: boolean;
}

abstract class ScalarField<T> extends Field<T> {
  constructor(
    help: string,
    protected readonly options: ScalarOptions<T>,
  ) {
    super(help);
  }
  fallback(path: string, ctx: ParseContext): T | undefined {
    if (this.options.default !== undefined) return this.options.default;
    if (this.options.optional) return undefined;
    return missing(ctx, path);
  }
  protected base(kind: FieldDescription['kind']): FieldDescription {
    const d: FieldDescription = { kind, help: this.help };
    if (this.options.default !== undefined)
      d.default = this.options.default instanceof Secret ? this.options.default.describe() : this.options.default;
    if (this.options.optional) d.optional = true;
    return d;
  }
}

class BooleanField extends ScalarField<boolean> {
  parse(value: unknown, path: string, ctx: ParseContext) {
    if (typeof value === 'boolean') return value;
    const hint = value === 'true' || value === 'false' ? `write ${value} without quotes` : undefined;
    return wrongType(ctx, path, 'true or false', value, hint);
  }
  describe() {
    return this.base('boolean');
  }
}

interface NumberOptions extends ScalarOptions<number> {
  min?: number;
  max?: number;
  /** min is exclusive: the value must be greater than it. */
  exclusiveMin?: boolean;
  unit?: string;
}

class NumberField extends ScalarField<number> {
  constructor(
    help: string,
    private readonly integer: boolean,
    private readonly numberOptions: NumberOptions,
  ) {
    super(help, numberOptions);
  }
  parse(value: unknown, path: string, ctx: ParseContext) {
    const o = this.numberOptions;
    const expected = this.integer ? 'an integer' : 'a number';
    if (typeof value === 'bigint') value = Number(value);
    if (typeof value !== 'number' || Number.isNaN(value)) {
      const asNumber = typeof value === 'string' ? Number(value.trim()) : NaN;
      const hint =
        typeof value === 'string' && value.trim() !== '' && !Number.isNaN(asNumber) ? `write ${value.trim()} without quotes` : undefined;
      return wrongType(ctx, path, expected, value, hint);
    }
    if (!Number.isFinite(value)) return wrongType(ctx, path, `a finite ${this.integer ? 'integer' : 'number'}`, value);
    if (this.integer && !Number.isInteger(value)) {
      return wrongType(ctx, path, 'an integer', value, `write ${Math.round(value)}`);
    }
    const unit = o.unit ? ` ${o.unit}` : '';
    const tooLow = o.min !== undefined && (o.exclusiveMin ? value <= o.min : value < o.min);
    const tooHigh = o.max !== undefined && value > o.max;
    if (tooLow || tooHigh) {
      const range =
        o.max === undefined
          ? `${o.exclusiveMin ? 'greater than' : 'at least'} ${o.min}${unit}`
          : o.min === undefined
            ? `at most ${o.max}${unit}`
            : `${o.exclusiveMin ? 'greater than' : 'between'} ${o.min}${o.exclusiveMin ? ` and at most ${o.max}` : ` and ${o.max}`}${unit}`;
      ctx.problems.push({ path, severity: 'error', message: `${value} is out of range: must be ${range}` });
      return undefined;
    }
    return value;
  }
  describe() {
    const d = this.base(this.integer ? 'integer' : 'number');
    const o = this.numberOptions;
    if (o.min !== undefined) d.min = o.min;
    if (o.max !== undefined) d.max = o.max;
    if (o.unit) d.unit = o.unit;
    return d;
  }
}

interface StringOptions<T extends string> extends ScalarOptions<T> {
  choices?: readonly T[];
  pattern?: RegExp;
  /** Said when the pattern does not match, e.g. "HH:MM, 24-hour". */
  format?: string;
  /** Extra check returning a message, or undefined when fine. */
  check?: (value: string) => string | undefined;
}

class StringField<T extends string> extends ScalarField<T> {
  constructor(
    help: string,
    private readonly stringOptions: StringOptions<T>,
  ) {
    super(help, stringOptions);
  }
  parse(value: unknown, path: string, ctx: ParseContext): T | undefined {
    const o = this.stringOptions;
    if (typeof value !== 'string') {
      const hint = typeof value === 'number' || typeof value === 'boolean' ? `put it in quotes: "${value}"` : undefined;
      return wrongType(ctx, path, o.choices ? `one of ${o.choices.map((c) => `"${c}"`).join(', ')}` : 'a string', value, hint);
    }
    if (o.choices && !o.choices.includes(value as T)) {
      const near = closest(value, o.choices);
      ctx.problems.push({
        path,
        severity: 'error',
        message: `"${value}" is not one of ${o.choices.map((c) => `"${c}"`).join(', ')}`,
        hint: near ? `did you mean "${near}"?` : undefined,
      });
      return undefined;
    }
    if (o.pattern && !o.pattern.test(value)) {
      ctx.problems.push({ path, severity: 'error', message: `"${value}" is not ${o.format ?? `of the form ${o.pattern}`}` });
      return undefined;
    }
    const complaint = o.check?.(value);
    if (complaint) {
      ctx.problems.push({ path, severity: 'error', message: complaint });
      return undefined;
    }
    return value as T;
  }
  describe() {
    const d = this.base('string');
    if (this.stringOptions.choices) d.choices = this.stringOptions.choices;
    if (this.stringOptions.pattern) d.pattern = this.stringOptions.pattern.source;
    return d;
  }
}

class SecretField extends ScalarField<Secret> {
  parse(value: unknown, path: string, ctx: ParseContext) {
    if (typeof value !== 'string') {
      // Never echo the value: a secret typed without quotes is still a secret.
      ctx.problems.push({
        path,
        severity: 'error',
        message: `expected a string ("env:NAME", "file:PATH" or the value in quotes), got ${Array.isArray(value) ? 'an array' : typeof value}`,
      });
      return undefined;
    }
    if (value === '') {
      ctx.problems.push({
        path,
        severity: 'error',
        message: 'is empty',
        hint: 'write "env:NAME" to read it from the environment, or remove the key',
      });
      return undefined;
    }
    if (value === 'env:' || value === 'file:') {
      ctx.problems.push({ path, severity: 'error', message: `"${value}" names no ${value === 'env:' ? 'variable' : 'file'}` });
      return undefined;
    }
    if (value.startsWith('env:') && !/^env:[A-Za-z_][A-Za-z0-9_]*$/.test(value)) {
      ctx.problems.push({
        path,
        severity: 'error',
        message: `"${value}" is not a valid environment variable reference`,
        hint: 'env:NAME with letters, digits and underscores',
      });
      return undefined;
    }
    const secret = new Secret(value, ctx.baseDir);
    if (secret.source.kind === 'file' && ctx.secretFileDir) {
      const rel = relative(ctx.secretFileDir, secret.source.path);
      if (rel === '' || rel.startsWith('..') || isAbsolute(rel)) {
        ctx.problems.push({
          path,
          severity: 'error',
          message: `"${value}" is outside the secrets folder ${ctx.secretFileDir}`,
          hint: 'put the file in that folder, or name another one in [secrets] file_dir',
        });
        return undefined;
      }
    }
    return secret;
  }
  describe() {
    return this.base('secret');
  }
}

interface ListOptions<T> {
  default?: T[];
  minItems?: number;
  unique?: boolean;
}

class ListField<T> extends Field<T[]> {
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

export type Report = (key: string, message: string, hint?: string, severity?: Severity) => void;

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
class TableListField<S extends Shape> extends Field<InferShape<S>[]> {
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

/** Levenshtein distance, for "did you mean". */
export function editDistance(a: string, b: string): number {
  const prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let diagonal = prev[0];
    prev[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const above = prev[j];
      prev[j] = Math.min(prev[j] + 1, prev[j - 1] + 1, diagonal + (a[i - 1] === b[j - 1] ? 0 : 1));
      diagonal = above;
    }
  }
  return prev[b.length];
}

/** The candidate nearest to `word`, when near enough to be a likely typo. */
export function closest(word: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of candidates) {
    const d = editDistance(word.toLowerCase(), candidate.toLowerCase());
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  const allowed = Math.max(2, Math.floor(word.length / 3));
  if (best && bestDistance <= allowed) return best;
  // A key that contains the candidate (or the reverse) is a likely near miss too: "latency_ms" → "max_order_latency_ms".
  return candidates.find((c) => c.length > 3 && (c.includes(word) || word.includes(c)));
}

export const bool = (help: string, defaultValue: boolean) => new BooleanField(help, { default: defaultValue });
export const int = (help: string, options: NumberOptions = {}) => new NumberField(help, true, options);
export const num = (help: string, options: NumberOptions = {}) => new NumberField(help, false, options);
export const str = <T extends string = string>(help: string, options: StringOptions<T> = {}) => new StringField<T>(help, options);
export const optionalInt = (help: string, options: Omit<NumberOptions, 'default'> = {}) =>
  new NumberField(help, true, { ...options, optional: true }) as Field<number | undefined>;
export const optionalNum = (help: string, options: Omit<NumberOptions, 'default'> = {}) =>
  new NumberField(help, false, { ...options, optional: true }) as Field<number | undefined>;
export const optionalStr = <T extends string = string>(help: string, options: Omit<StringOptions<T>, 'default'> = {}) =>
  new StringField<T>(help, { ...options, optional: true }) as Field<T | undefined>;
export const secret = (help: string) => new SecretField(help, { optional: true }) as Field<Secret | undefined>;
export const list = <T>(help: string, item: Field<T>, options: ListOptions<T> = {}) => new ListField(help, item, options);
export const table = <S extends Shape>(help: string, shape: S, ...checks: TableCheck<InferShape<S>>[]) =>
  new TableField(help, shape, checks);

/** Reports when a secret that will be used cannot be read now (unset variable, missing file). */
export function requireSecret(secret: Secret | undefined, key: string, report: Report, ctx: ParseContext): void {
  if (!secret || (secret.source.kind === 'file' && ctx.readSecretFiles === false)) return;
  try {
    secret.reveal(ctx.env);
  } catch (error) {
    const hint =
      secret.source.kind === 'env'
        ? `export ${secret.source.name}=… before starting, or set it in your service manager's environment`
        : undefined;
    report(key, (error as Error).message, hint);
  }
}
export const tableList = <S extends Shape>(help: string, item: TableField<S>) => new TableListField(help, item);
