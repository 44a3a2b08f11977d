/**
 * A secret-valued setting. It never prints its value: String(), JSON and util.inspect
 * all give `<secret>`, so a secret that slips into a log line or an API answer stays hidden.
 * The value is read at `reveal()` time, so `env:` secrets follow the environment on reload.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { inspect } from 'node:util';

export type SecretSource = { kind: 'env'; name: string } | { kind: 'file'; path: string } | { kind: 'literal' };

export const REDACTED = '<secret>';

export class Secret {
  readonly #raw: string;
  readonly source: SecretSource;

  /** `baseDir`: what a relative `file:` path is relative to (the config file's folder), not the working directory. */
  constructor(raw: string, baseDir?: string) {
    this.#raw = raw;
    if (raw.startsWith('env:')) this.source = { kind: 'env', name: raw.slice(4) };
    else if (raw.startsWith('file:')) this.source = { kind: 'file', path: baseDir ? path.resolve(baseDir, raw.slice(5)) : raw.slice(5) };
    else this.source = { kind: 'literal' };
  }

  /** Where the value comes from, safe to show: `env:NAME`, `file:PATH` or `<secret>`. */
  describe(): string {
    return this.source.kind === 'literal' ? REDACTED : this.#raw;
  }

  /** True when the value can be read now (the variable is set, the file exists). */
  isAvailable(env: NodeJS.ProcessEnv = process.env): boolean {
    try {
      return this.reveal(env).length > 0;
    } catch {
      return false;
    }
  }

  /** The clear value. Throws an error that names the variable or file, never the value. */
  reveal(env: NodeJS.ProcessEnv = process.env): string {
    switch (this.source.kind) {
      case 'env': {
        const value = env[this.source.name];
        if (value === undefined || value === '') {
          throw new Error(`environment variable ${this.source.name} is not set`);
        }
        return value;
      }
      case 'file':
        try {
          return readFileSync(this.source.path, 'utf8').trim();
        } catch {
          // One message for missing, unreadable and a folder: it must not tell whether a file exists.
          throw new Error(`secret file ${this.#raw.slice(5)} cannot be read`);
        }
      case 'literal':
        return this.#raw;
    }
  }

  toString(): string {
    return REDACTED;
  }
  toJSON(): string {
    return REDACTED;
  }
  [inspect.custom](): string {
    return REDACTED;
  }
}
