/**
 * Structured JSON logs, one object per line. Every line goes through a Redactor that removes
 * any secret value the bridge knows (tokens, passwords, webhook URLs), so a secret that slips
 * into an error message from a library still never reaches the log.
 */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
export type LogFields = Record<string, unknown>;

/** The logger the bridge takes as a dependency. */
export interface Logger {
  debug(msg: string, fields?: LogFields): void;
  info(msg: string, fields?: LogFields): void;
  warn(msg: string, fields?: LogFields): void;
  error(msg: string, fields?: LogFields): void;
  child(fields: LogFields): Logger;
}

const ORDER: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

/** Replaces every known secret value in text with `<secret>`. Secrets change on reload. */
export class Redactor {
  #values: string[] = [];

  /** Sets the secret values to hide (shorter than 4 characters are ignored: too many false hits). */
  set(values: Iterable<string>): void {
    this.#values = [...new Set([...values].filter((v) => v.length >= 4))].sort((a, b) => b.length - a.length);
  }

  redact(text: string): string {
    let out = text;
    for (const v of this.#values) if (out.includes(v)) out = out.split(v).join('<secret>');
    // Credentials in URLs (user:password@host) are never shown either.
    return out.replace(/(\w+:\/\/)[^/\s:@]+:[^/\s@]+@/g, '$1<secret>@');
  }
}

export interface JsonLoggerOptions {
  /** Where lines go. @default process.stderr */
  write?: (line: string) => void;
  level?: LogLevel;
  redactor?: Redactor;
  /** Time source for the `time` field. @default Date.now */
  now?: () => number;
}

function serialize(value: unknown): unknown {
  if (value instanceof Error) return { name: value.name, message: value.message };
  return value;
}

/** A JSON-lines logger: `{"time":…,"level":"info","msg":…,…fields}`. */
export function jsonLogger(options: JsonLoggerOptions = {}, bound: LogFields = {}): Logger {
  const write = options.write ?? ((line: string) => process.stderr.write(`${line}\n`));
  const min = ORDER[options.level ?? 'info'];
  const now = options.now ?? Date.now;
  const emit = (level: LogLevel, msg: string, fields?: LogFields) => {
    if (ORDER[level] < min) return;
    const record: LogFields = { time: new Date(now()).toISOString(), level, msg, ...bound };
    for (const [k, v] of Object.entries(fields ?? {})) record[k] = serialize(v);
    let line = JSON.stringify(record);
    if (options.redactor) line = options.redactor.redact(line);
    write(line);
  };
  return {
    debug: (m, f) => emit('debug', m, f),
    info: (m, f) => emit('info', m, f),
    warn: (m, f) => emit('warn', m, f),
    error: (m, f) => emit('error', m, f),
    child: (fields) => jsonLogger(options, { ...bound, ...fields }),
  };
}

/** Wraps a logger so every line also passes through `redactor` (for injected loggers). */
export function redactingLogger(inner: Logger, redactor: Redactor): Logger {
  const clean = (fields?: LogFields): LogFields | undefined => {
    if (!fields) return fields;
    return JSON.parse(redactor.redact(JSON.stringify(fields, (_k, v) => serialize(v)))) as LogFields;
  };
  return {
    debug: (m, f) => inner.debug(redactor.redact(m), clean(f)),
    info: (m, f) => inner.info(redactor.redact(m), clean(f)),
    warn: (m, f) => inner.warn(redactor.redact(m), clean(f)),
    error: (m, f) => inner.error(redactor.redact(m), clean(f)),
    child: (fields) => redactingLogger(inner.child(clean(fields) ?? {}), redactor),
  };
}

/** Shows a URL without its secret parts: origin only, plus a short hash of the rest. */
export function describeUrl(raw: string): string {
  try {
    const u = new URL(raw);
    return `${u.protocol}//${u.host}/…`;
  } catch {
    return '<invalid url>';
  }
}
