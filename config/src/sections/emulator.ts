/** [emulator]: the built-in IB Gateway emulator. */
import { int, list, num, str, table } from '../schema.js';
import { listen } from './common.js';

export const emulator = table('The built-in IB Gateway emulator, used when broker.mode = "emulator".', {
  seed: int('Random seed: the same seed gives the same prices and trades.', { default: 42, min: 0, max: 2 ** 31 - 1 }),
  accounts: list('Simulated paper accounts.', str('An account id.', { pattern: /^[A-Za-z0-9]+$/, format: 'an account id' }), {
    default: ['DU1234567'],
    minItems: 1,
    unique: true,
  }),
  server_version: int('TWS API server version to speak (193 current, 135 oldest with full P&L).', { default: 193, min: 135, max: 193 }),
  starting_cash: num('Cash each simulated account starts the day with.', { default: 100_000, min: 0, exclusiveMin: true }),
  tick_interval_ms: int('How often simulated prices move.', { default: 2000, min: 10, max: 60_000, unit: 'ms' }),
  trade_interval_seconds: num('Average time between trades of the built-in strategy.', { default: 20, min: 0.1, max: 3600, unit: 's' }),
  positions: int('Open positions each simulated account holds at start, for load tests (0: none; built-in symbols, then generated ones).', {
    default: 0,
    min: 0,
    max: 10_000,
  }),
  control_listen: listen('Where the emulator control API listens (tests and demos inject fills, errors and faults).', '127.0.0.1:4010'),
});
