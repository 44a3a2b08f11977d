/** [logging]: how every service logs (the kit logger: JSON lines, or text on a terminal). */
import { LOG_FORMATS, LOG_LEVELS, type LogFormat, type LogLevel } from '@traderadmin/kit';
import { str, table } from '../schema.js';

export const logging = table('How the services log on stderr; every line hides the secrets of this file.', {
  level: str<LogLevel>('Lines below this level are not written (debug adds gateway notices and library details).', {
    choices: LOG_LEVELS,
    default: 'info',
  }),
  format: str<LogFormat>(
    'json: one JSON object per line {"ts","level","msg",…fields}; text: one readable line; auto: text when stderr is a terminal, else json.',
    {
      choices: LOG_FORMATS,
      default: 'auto',
    },
  ),
});
