/**
 * A secret-valued setting. It never prints its value: String(), JSON and util.inspect
 * all give `<secret>`, so a secret that slips into a log line or an API answer stays hidden.
 * The value is read at `reveal()` time, so `env:` secrets follow the environment on reload.
 */
import { readFileSync } from 'node:fs';
import { inspect } from 'node:util';

export type SecretSource = { kind: 'env'; name: string } | { kind: 'file'; path: string } | { kind: 'literal' };

export const REDACTED = '<secret>';

export class Secret {
  readonly #raw: string;
  readonly source: SecretSource;

  constructor(raw: string) {
    this.#raw = raw;
    if (raw.startsWith('env:')) this.source = { kind: 'env', name: raw.slice(4) };
    else if (raw.startsWith('file:')) this.source = { kind: 'file', path: raw.slice(5) };
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
        } catch (error) {
          throw new Error(`secret file ${this.source.path} cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
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
