/**
 * The logger of a service the CLI runs in the foreground: the kit's, as [logging] says (JSON
 * lines, text on a terminal; `--verbose` means debug), hiding every secret of the config, the
 * local token of `traderadmin up` and any other secret the command holds.
 */
import { readLocalToken, secretValues, type LoadedConfig } from '@traderadmin/config';
import { createLogger, Redactor, type Logger } from '@traderadmin/kit';

export interface ServiceLoggerOptions {
  verbose?: boolean;
  /** Secrets the command holds besides the config's (a token given as a flag). */
  secrets?: (string | undefined)[];
  env?: NodeJS.ProcessEnv;
  /** Where lines go. @default stderr */
  write?: (line: string) => void;
}

/** Without a config (the emulator may run without one) the defaults: info, auto. */
export function serviceLogger(loaded: LoadedConfig | undefined, options: ServiceLoggerOptions = {}): Logger {
  const env = options.env ?? process.env;
  const secrets = loaded ? [...secretValues(loaded.config, env), readLocalToken(loaded, env)] : [];
  return createLogger({
    level: options.verbose ? 'debug' : (loaded?.config.logging.level ?? 'info'),
    format: loaded?.config.logging.format,
    write: options.write,
    redactor: new Redactor([...secrets, ...(options.secrets ?? [])].filter((s): s is string => Boolean(s))),
  });
}
