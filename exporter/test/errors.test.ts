import { describe, expect, it } from 'vitest';
import { classifyIbCode, parseTwsInfoLine } from '../src/ib/errors.js';
import { backoffDelay } from '@traderadmin/kit';
import { fillFrom, ibFilterTime, parseIbTime } from '../src/ib/fills.js';

describe('IB message classes', () => {
  it.each([
    [1100, 'connectivity'],
    [1101, 'connectivity'],
    [1102, 'connectivity'],
    [2110, 'connectivity'],
    [504, 'connectivity'],
    [502, 'connectivity'],
    [201, 'order_reject'],
    [202, 'order_reject'],
    [354, 'market_data'],
    [2103, 'market_data'],
    [10167, 'market_data'],
    [2104, 'warning'],
    [2106, 'warning'],
    [2158, 'warning'],
    [505, 'other'],
    [321, 'other'],
  ])('code %i is %s', (code, cls) => {
    expect(classifyIbCode(code)).toBe(cls);
  });
});

describe('request-id -1 messages from the IBApiNext logger', () => {
  it('parses the "<message> - Code: N" line of the TWS tag', () => {
    expect(parseTwsInfoLine('TWS', 'Connectivity between IB and Trader Workstation has been lost. - Code: 1100')).toEqual({
      code: 1100,
      message: 'Connectivity between IB and Trader Workstation has been lost.',
    });
    expect(parseTwsInfoLine('TWS', ['Market data farm connection is OK:usfarm - Code: 2104'])).toMatchObject({ code: 2104 });
  });
  it('ignores other tags and lines', () => {
    expect(parseTwsInfoLine('IBApiNext', 'x - Code: 1')).toBeUndefined();
    expect(parseTwsInfoLine('TWS', 'Server Version: 193. Connection time 20260101 12:00:00 UTC')).toBeUndefined();
  });
});

describe('reconnect backoff', () => {
  it('doubles from the minimum up to the maximum, with jitter in [d/2, d]', () => {
    // Reconnect attempt a (0-based) follows a + 1 failures.
    const delay = (a: number, r: number) => backoffDelay(a + 1, { minMs: 1000, maxMs: 30_000, random: () => r });
    expect([0, 1, 2, 3, 10].map((a) => delay(a, 1))).toEqual([1000, 2000, 4000, 8000, 30_000]);
    expect([0, 1, 10].map((a) => delay(a, 0))).toEqual([500, 1000, 15_000]);
    expect(delay(1000, 0.5)).toBe(22_500);
  });
});

describe('executions', () => {
  it.each([
    ['20260115  10:30:00', 'America/New_York', '2026-01-15T15:30:00.000Z'],
    ['20260115 10:30:00 US/Eastern', 'UTC', '2026-01-15T15:30:00.000Z'],
    ['20260715 10:30:00 America/New_York', 'UTC', '2026-07-15T14:30:00.000Z'],
    ['20260115-15:30:00', 'America/New_York', '2026-01-15T15:30:00.000Z'],
  ])('time %j (default zone %s) is %s', (text, tz, expected) => {
    expect(new Date(parseIbTime(text, tz)!).toISOString()).toBe(expected);
  });

  it('formats the execution filter time in UTC', () => {
    expect(ibFilterTime(Date.parse('2026-01-15T05:00:00Z'))).toBe('20260115-05:00:00');
  });

  it('maps BOT/SLD executions and refuses incomplete ones', () => {
    const contract = { conId: 265598, symbol: 'AAPL', secType: 'STK' as never, currency: 'USD' };
    const f = fillFrom(
      contract,
      { execId: 'x1', acctNumber: 'DU1', side: 'SLD', shares: 5, price: 101.5, time: '20260115-15:30:00' },
      'UTC',
      0,
    );
    expect(f).toMatchObject({ key: '265598', side: 'SELL', quantity: 5, price: 101.5, multiplier: 1 });
    expect(fillFrom(contract, { execId: 'x2', acctNumber: 'DU1', side: 'SLD', shares: 0, price: 1 }, 'UTC', 0)).toBeUndefined();
    expect(fillFrom(contract, { acctNumber: 'DU1', side: 'BOT', shares: 1, price: 1 }, 'UTC', 0)).toBeUndefined();
  });
});
