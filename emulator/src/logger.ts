/** The logger the emulator writes to; console-compatible, injected for tests. */
export interface Logger {
  debug(message: string, fields?: Record<string, unknown>): void;
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

/** Discards everything (the default: the emulator is quiet unless given a logger). */
export const silentLogger: Logger = { debug() {}, info() {}, warn() {}, error() {} };

/** One line per entry on stderr: "level message {json}"; debug only when asked. */
export function consoleLogger(opts: { debug?: boolean } = {}): Logger {
  const line = (level: string) => (message: string, fields?: Record<string, unknown>) =>
    process.stderr.write(`${level} emulator: ${message}${fields && Object.keys(fields).length ? ` ${JSON.stringify(fields)}` : ''}\n`);
  return { debug: opts.debug ? line('debug') : () => {}, info: line('info'), warn: line('warn'), error: line('error') };
}
