/**
 * The logger of a service the CLI runs in the foreground: the kit's, as [logging] says (JSON
 * lines, text on a terminal; `--verbose` means debug), hiding every secret of the config and the
 * local token of `traderadmin up`.
 */
import { readLocalToken, secretValues, type LoadedConfig } from '@traderadmin/config';
import { createLogger, Redactor, type Logger } from '@traderadmin/kit';

export function serviceLogger(loaded: LoadedConfig, options: { verbose?: boolean; env?: NodeJS.ProcessEnv } = {}): Logger {
  const env = options.env ?? process.env;
  const localToken = readLocalToken(loaded, env);
  return createLogger({
    level: options.verbose ? 'debug' : loaded.config.logging.level,
    format: loaded.config.logging.format,
    redactor: new Redactor([...secretValues(loaded.config, env), ...(localToken ? [localToken] : [])]),
  });
}
