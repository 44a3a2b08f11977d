/** [alerts_page]: the console ("traderadmin page"). */
import { int, secret, str, table } from '../schema.js';
import { listen, tokenWhenExposed } from './common.js';

export const alertsPage = table(
  'The alerts configuration page ("traderadmin page"): edit, test and apply [alerts_config] from a browser.',
  {
    listen: listen('Where the page listens; beyond loopback it needs auth_token.', '127.0.0.1:9096'),
    auth_token: secret('Token the page asks for before it shows or changes anything; required when listen is not loopback.'),
    history_dir: str('Where applied configurations are kept, for "go back" (relative to the config file).', {
      default: '../data/config-history',
    }),
    history_keep: int('How many applied configurations the history keeps.', { default: 50, min: 1, max: 10_000 }),
    refresh_seconds: int("How often the console's Monitoring and Alerts views refresh.", { default: 5, min: 1, max: 300, unit: 's' }),
  },
  tokenWhenExposed('auth_token', 'the alerts page', 'ALERTS_PAGE_TOKEN'),
);
