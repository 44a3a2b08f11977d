/**
 * A small declarative schema for config.toml. One description serves four readers: the
 * loader (types, defaults, ranges), `traderadmin validate` (every problem at once, with a
 * hint), the alerts configuration page (its form is generated from `describe()`), and the
 * docs. Types of the parsed config are inferred from it, so there is one source of truth.
 * The field kinds live in fields/ (field.ts, scalars.ts, tables.ts, suggest.ts); this file is the
 * builders the sections in sections/ are written with.
 */
import type { Secret } from './secret.js';
import type { Field, ParseContext, Report } from './fields/field.js';
import { BooleanField, NumberField, SecretField, StringField, type NumberOptions, type StringOptions } from './fields/scalars.js';
import { ListField, TableField, TableListField, type InferShape, type ListOptions, type Shape, type TableCheck } from './fields/tables.js';

export { Field, type FieldDescription, type Infer, type ParseContext, type Problem, type Report, type Severity } from './fields/field.js';
export { TableField, type InferShape, type Shape, type TableCheck } from './fields/tables.js';
export { closest, editDistance } from './fields/suggest.js';

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
