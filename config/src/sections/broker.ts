/** [broker]: the IB Gateway or TWS the exporter reads from. */
import { int, list, num, str, table } from '../schema.js';
import { hhmm } from './common.js';

export const broker = table('The IB Gateway or TWS the exporter reads from.', {
  mode: str<'emulator' | 'ibkr'>('"emulator": the built-in IB Gateway emulator; "ibkr": a real TWS / IB Gateway.', {
    default: 'emulator',
    choices: ['emulator', 'ibkr'],
  }),
  host: str('Gateway host.', { default: '127.0.0.1' }),
  port: int('Gateway API port (IB Gateway: 4001 live, 4002 paper; TWS: 7496 live, 7497 paper).', { default: 4002, min: 1, max: 65535 }),
  client_id: int('API client id, fixed so that reconnects take the same session; must not be used by your strategies.', {
    default: 17,
    min: 0,
    max: 2_147_483_647,
  }),
  name: str('Value of the "gateway" label on connection metrics.', { default: 'ib-gateway' }),
  accounts: list(
    'Accounts to export; empty means every account the gateway manages.',
    str('An account id.', { pattern: /^[A-Za-z0-9]+$/, format: 'an account id' }),
    { unique: true },
  ),
  probe_interval_seconds: int('How often the exporter probes the gateway with a request of its own.', {
    default: 5,
    min: 1,
    max: 300,
    unit: 's',
  }),
  probe_timeout_seconds: int('A probe unanswered this long counts as a hung gateway and forces a reconnect.', {
    default: 10,
    min: 1,
    max: 300,
    unit: 's',
  }),
  reconnect_min_seconds: num('First reconnect delay; it doubles (with jitter) up to reconnect_max_seconds.', {
    default: 1,
    min: 0.1,
    max: 600,
    unit: 's',
  }),
  reconnect_max_seconds: num('Longest reconnect delay.', { default: 30, min: 1, max: 3600, unit: 's' }),
  restart_window_start: hhmm(
    "Start of the gateway's nightly restart window (local to trading.timezone); BrokerDisconnected does not page inside it.",
    '23:45',
  ),
  restart_window_end: hhmm('End of the nightly restart window.', '00:45'),
});
