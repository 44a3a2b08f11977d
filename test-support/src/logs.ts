/**
 * A logger that keeps every line as JSON text, for tests that read what a service logged. It
 * does not redact: a secret-leak test must see exactly what the code wrote.
 */
import type { LogFields, Logger } from '@traderadmin/kit';

export interface CapturedLogger extends Logger {
  /** Every line so far, as JSON text: `{"level","msg",...bound fields,...fields}`. */
  readonly lines: string[];
  records(): Array<Record<string, unknown>>;
}

/** Errors logged as a field keep their message (JSON.stringify writes `{}` for an Error). */
const errorsAsMessages = (_key: string, value: unknown) => (value instanceof Error ? { message: value.message } : value);

/** Lines go to `lines` (a new list unless given, e.g. one a test world already holds). */
export function captureLogger(lines: string[] = []): CapturedLogger {
  const make = (bound: LogFields): Logger => {
    const emit = (level: string) => (msg: string, fields?: LogFields) => {
      lines.push(JSON.stringify({ level, msg, ...bound, ...fields }, errorsAsMessages));
    };
    return { debug: emit('debug'), info: emit('info'), warn: emit('warn'), error: emit('error'), child: (f) => make({ ...bound, ...f }) };
  };
  return Object.assign(make({}), { lines, records: () => lines.map((l) => JSON.parse(l) as Record<string, unknown>) });
}
