/** The exporter's logger: injected, so tests can capture lines and assert no secret leaks. */
export interface Logger {
  debug(message: string, fields?: Record<string, unknown>): void;
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

type Level = 'debug' | 'info' | 'warn' | 'error';
const ORDER: Record<Level, number> = { debug: 10, info: 20, warn: 30, error: 40 };

function format(fields?: Record<string, unknown>): string {
  if (!fields) return '';
  return Object.entries(fields)
    .map(([k, v]) => ` ${k}=${typeof v === 'string' && !/\s/.test(v) ? v : JSON.stringify(v)}`)
    .join('');
}

/** Lines on stderr: `2026-01-02T15:04:05.000Z info message key=value`. */
export function consoleLogger(minLevel: Level = 'info', write: (line: string) => void = (l) => process.stderr.write(`${l}\n`)): Logger {
  const log = (level: Level) => (message: string, fields?: Record<string, unknown>) => {
    if (ORDER[level] >= ORDER[minLevel]) write(`${new Date().toISOString()} ${level} ${message}${format(fields)}`);
  };
  return { debug: log('debug'), info: log('info'), warn: log('warn'), error: log('error') };
}

/** Discards everything. */
export const silentLogger: Logger = { debug() {}, info() {}, warn() {}, error() {} };
