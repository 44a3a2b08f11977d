/**
 * The one logger every service writes through. Format: one JSON object per line on stderr,
 * `{"ts":"2026-01-02T15:04:05.000Z","level":"info","msg":"…",…fields}`, because every log
 * shipper (journald, Docker, Loki, jq) reads JSON lines without a parser to configure, and the
 * fields stay fields. On a terminal (stderr is a TTY) the same entry is one readable line,
 * `2026-01-02T15:04:05.000Z info  msg key=value`. Set by `[logging] level` (debug|info|warn|
 * error) and `format` (json|text|auto). Our own ~60 lines, not pino: pino adds ~3 MB of RSS to
 * a bare process (measured, kit/README.md) and its redaction works on field paths, where ours
 * hides secret values wherever they appear, in messages and library errors too: every line
 * passes through the Redactor before it is written.
 */
import { Redactor } from './redact.js';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
export type LogFormat = 'json' | 'text' | 'auto';
export type LogFields = Record<string, unknown>;

export const LOG_LEVELS: readonly LogLevel[] = ['debug', 'info', 'warn', 'error'];
export const LOG_FORMATS: readonly LogFormat[] = ['json', 'text', 'auto'];

/** The logger services take as a dependency (tests inject one that keeps its lines). */
export interface Logger {
  debug(msg: string, fields?: LogFields): void;
  info(msg: string, fields?: LogFields): void;
  warn(msg: string, fields?: LogFields): void;
  error(msg: string, fields?: LogFields): void;
  /** A logger that adds `fields` to every line. */
  child(fields: LogFields): Logger;
}

const ORDER: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

export interface LoggerOptions {
  /** Lines below this level are dropped. @default 'info' */
  level?: LogLevel;
  /** 'auto': text when stderr is a terminal, else JSON. @default 'auto' */
  format?: LogFormat;
  /** Where lines go (without the newline). @default process.stderr */
  write?: (line: string) => void;
  /** Whether the output is a terminal, for 'auto'. @default process.stderr.isTTY */
  isTTY?: boolean;
  /** Hides the secrets it holds in every line; keep it to `set` new ones on reload. */
  redactor?: Redactor;
  /** Time source for `ts`. @default Date.now */
  now?: () => number;
}

function serialize(value: unknown): unknown {
  if (value instanceof Error) return { name: value.name, message: value.message };
  return value;
}

function textFields(fields: LogFields): string {
  return Object.entries(fields)
    .map(([k, v]) => ` ${k}=${typeof v === 'string' && v !== '' && !/[\s"=]/.test(v) ? v : JSON.stringify(v)}`)
    .join('');
}

/** A logger writing JSON lines (or text lines on a terminal), every line redacted. */
export function createLogger(options: LoggerOptions = {}, bound: LogFields = {}): Logger {
  const write = options.write ?? ((line: string) => process.stderr.write(`${line}\n`));
  const min = ORDER[options.level ?? 'info'];
  const now = options.now ?? Date.now;
  const redactor = options.redactor ?? new Redactor();
  const format = options.format ?? 'auto';
  const text = format === 'text' || (format === 'auto' && (options.isTTY ?? process.stderr.isTTY === true));
  const emit = (level: LogLevel, msg: string, fields?: LogFields) => {
    if (ORDER[level] < min) return;
    const ts = new Date(now()).toISOString();
    const rest: LogFields = {};
    for (const [k, v] of Object.entries({ ...bound, ...fields })) if (k !== 'ts' && k !== 'level' && k !== 'msg') rest[k] = serialize(v);
    const line = text ? `${ts} ${level.padEnd(5)} ${msg}${textFields(rest)}` : JSON.stringify({ ts, level, msg, ...rest });
    write(redactor.redact(line));
  };
  return {
    debug: (m, f) => emit('debug', m, f),
    info: (m, f) => emit('info', m, f),
    warn: (m, f) => emit('warn', m, f),
    error: (m, f) => emit('error', m, f),
    child: (fields) => createLogger({ ...options, redactor }, { ...bound, ...fields }),
  };
}

/** Wraps an injected logger so that what reaches it is redacted too. */
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

/** Discards everything. */
export const silentLogger: Logger = { debug() {}, info() {}, warn() {}, error() {}, child: () => silentLogger };
