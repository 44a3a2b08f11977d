/**
 * Loads config.toml once, at the edge: TOML → schema → cross checks → secrets present →
 * a deeply frozen, typed Config. Every problem is collected before anything fails, and
 * each carries file, line and key so the user can fix them all in one pass.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { TomlError, parse as parseToml } from 'smol-toml';
import { configSchema, type Config } from './configSchema.js';
import { lineOf, locateKeys } from './locate.js';
import type { ParseContext, Problem } from './schema.js';

/** A problem placed in its file. */
export interface LocatedProblem extends Problem {
  file: string;
  line?: number;
  column?: number;
}

export interface LoadedConfig {
  config: Config;
  /** Absolute path of the file read. */
  file: string;
  /** sha256 of the file's bytes, for generated-file headers and change detection. */
  sha256: string;
  /** Warnings: doubtful but valid settings. */
  warnings: LocatedProblem[];
}

export class ConfigError extends Error {
  constructor(
    readonly file: string,
    readonly problems: LocatedProblem[],
  ) {
    const errors = problems.filter((p) => p.severity === 'error').length;
    super(`${file}: ${errors} problem${errors === 1 ? '' : 's'}\n${problems.map(formatProblem).join('\n')}`);
    this.name = 'ConfigError';
  }
}

export interface LoadOptions {
  /** Environment used to check that env: secrets are set. @default process.env */
  env?: NodeJS.ProcessEnv;
  /** false: do not read file: secrets to check them (the page, which must not reveal whether a file exists). @default true */
  readSecretFiles?: boolean;
}

/** Where file: secrets may be when `[secrets] file_dir` is not set: the config file's own folder. */
export const SECRET_FILE_DIR = '.';

/** Human form of a problem: `file:line:col key: message (hint: …)`. */
export function formatProblem(p: LocatedProblem): string {
  const where = [p.file, p.line, p.line !== undefined ? p.column : undefined].filter((x) => x !== undefined).join(':');
  const tag = p.severity === 'warning' ? 'warning' : 'error';
  const key = p.path ? ` ${p.path}:` : '';
  return `${where}: ${tag}:${key} ${p.message}${p.hint ? `\n    hint: ${p.hint}` : ''}`;
}

/** Parses config text; never throws for bad input, returns the config or every problem. */
export function checkConfigText(text: string, file: string, options: LoadOptions = {}): { config?: Config; problems: LocatedProblem[] } {
  const env = options.env ?? process.env;
  let raw: unknown;
  try {
    raw = parseToml(text);
  } catch (error) {
    if (error instanceof TomlError) {
      const message = error.message.split('\n')[0].replace(/^Invalid TOML document: /, '');
      return {
        problems: [{ file, line: error.line, column: error.column, path: '', severity: 'error', message: `TOML syntax: ${message}` }],
      };
    }
    throw error;
  }
  const baseDir = path.dirname(path.resolve(file));
  const named = (raw as { secrets?: { file_dir?: unknown } }).secrets?.file_dir;
  const secretFileDir = path.resolve(baseDir, typeof named === 'string' && named !== '' ? named : SECRET_FILE_DIR);
  const ctx: ParseContext = { problems: [], env, baseDir, secretFileDir, readSecretFiles: options.readSecretFiles };
  const config = configSchema.parse(raw, '', ctx);
  const lines = locateKeys(text);
  const problems = ctx.problems.map((p) => ({ ...p, file, line: lineOf(lines, p.path) }));
  problems.sort((a, b) => (a.line ?? 0) - (b.line ?? 0));
  const failed = problems.some((p) => p.severity === 'error');
  return { config: failed || !config ? undefined : deepFreeze(config), problems };
}

/** Reads and validates a config file; throws ConfigError listing every problem. */
export function loadConfig(file: string, options: LoadOptions = {}): LoadedConfig {
  const absolute = path.resolve(file);
  let bytes: Buffer;
  try {
    bytes = readFileSync(absolute);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const problem = code === 'ENOENT' ? 'file not found' : code === 'EISDIR' ? 'is a directory, not a file' : `cannot be read (${code})`;
    // A relative name alone hides which folder it was taken from.
    const message = absolute === file ? problem : `${problem} (looked at ${absolute})`;
    const hint =
      code === 'ENOENT'
        ? 'copy config/config.example.toml there to start from the defaults, or name the file with --config FILE or TRADERADMIN_CONFIG'
        : undefined;
    throw new ConfigError(file, [{ file, path: '', severity: 'error', message, hint }]);
  }
  const { config, problems } = checkConfigText(bytes.toString('utf8'), file, options);
  if (!config) throw new ConfigError(file, problems);
  return {
    config,
    file: absolute,
    sha256: createHash('sha256').update(bytes).digest('hex'),
    warnings: problems.filter((p) => p.severity === 'warning'),
  };
}

/** Resolves a path setting relative to the config file's folder. */
export function resolveFromConfig(loaded: Pick<LoadedConfig, 'file'>, setting: string): string {
  return path.resolve(path.dirname(loaded.file), setting);
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}
