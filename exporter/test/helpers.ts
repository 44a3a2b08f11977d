/** Shared test helpers: a parsed config from TOML text, and a logger that keeps its lines. */
import { checkConfigText, type Config } from '@traderadmin/config';
import type { Logger } from '@traderadmin/kit';
import type { Fill } from '../src/accounting/ledger.js';

/** A valid Config from TOML snippets (everything else takes the schema defaults). */
export function makeConfig(toml = '', env: NodeJS.ProcessEnv = {}): Config {
  const { config, problems } = checkConfigText(toml, 'test.toml', { env });
  if (!config) throw new Error(`test config invalid:\n${problems.map((p) => `${p.path}: ${p.message}`).join('\n')}`);
  return config;
}

/** A logger whose lines tests can read. */
export function memoryLogger(): Logger & { lines: string[] } {
  const lines: string[] = [];
  const make = (bound: Record<string, unknown>): Logger => {
    const log = (level: string) => (message: string, fields?: Record<string, unknown>) =>
      lines.push(`${level} ${message} ${JSON.stringify({ ...bound, ...fields })}`);
    return {
      debug: log('debug'),
      info: log('info'),
      warn: log('warn'),
      error: log('error'),
      child: (fields) => make({ ...bound, ...fields }),
    };
  };
  return Object.assign(make({}), { lines });
}

/** Epoch ms of a wall-clock UTC time. */
export const utc = (iso: string) => Date.parse(iso);

/** A fill of DU1's AAPL (conid 265598); `extra` gives its execId and time, and whatever else differs. */
export function aaplFill(
  side: 'BUY' | 'SELL',
  quantity: number,
  price: number,
  extra: Pick<Fill, 'execId' | 'time'> & Partial<Fill>,
): Fill {
  return { account: 'DU1', key: '265598', symbol: 'AAPL', secType: 'STK', currency: 'USD', side, quantity, price, ...extra };
}
