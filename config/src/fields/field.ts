/** The base of every schema field: what a parse reports, and what the form and docs are told. */
import type { FieldDescription } from './description.js';

export type { FieldDescription };

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

export function wrongType(ctx: ParseContext, path: string, expected: string, value: unknown, hint?: string): undefined {
  ctx.problems.push({ path, severity: 'error', message: `expected ${expected}, got ${typeName(value)}`, hint });
  return undefined;
}

export function missing(ctx: ParseContext, path: string): undefined {
  ctx.problems.push({ path, severity: 'error', message: 'is required' });
  return undefined;
}

export type Report = (key: string, message: string, hint?: string, severity?: Severity) => void;
