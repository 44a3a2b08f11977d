/** Leaf fields: booleans, numbers, strings and secrets, each with its range or format check. */
import { isAbsolute, relative } from 'node:path';
import { Secret } from '../secret.js';
import { Field, missing, wrongType, type FieldDescription, type ParseContext } from './field.js';
import { closest } from './suggest.js';

export interface ScalarOptions<T> {
  default?: T;
  /** Absent means undefined rather than the default or an error. */
  optional?: boolean;
}

export abstract class ScalarField<T> extends Field<T> {
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

export class BooleanField extends ScalarField<boolean> {
  parse(value: unknown, path: string, ctx: ParseContext) {
    if (typeof value === 'boolean') return value;
    const hint = value === 'true' || value === 'false' ? `write ${value} without quotes` : undefined;
    return wrongType(ctx, path, 'true or false', value, hint);
  }
  describe() {
    return this.base('boolean');
  }
}

export interface NumberOptions extends ScalarOptions<number> {
  min?: number;
  max?: number;
  /** min is exclusive: the value must be greater than it. */
  exclusiveMin?: boolean;
  unit?: string;
}

export class NumberField extends ScalarField<number> {
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

export interface StringOptions<T extends string> extends ScalarOptions<T> {
  choices?: readonly T[];
  pattern?: RegExp;
  /** Said when the pattern does not match, e.g. "HH:MM, 24-hour". */
  format?: string;
  /** Extra check returning a message, or undefined when fine. */
  check?: (value: string) => string | undefined;
}

export class StringField<T extends string> extends ScalarField<T> {
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

export class SecretField extends ScalarField<Secret> {
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
