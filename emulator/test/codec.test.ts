import { describe, expect, it } from 'vitest';
import { Encoder } from '@stoqey/ib/dist/core/io/encoder.js';
import * as enc from '../src/protocol/encode.js';
import {
  encodeClientHello,
  encodeFrame,
  fieldText,
  FrameReader,
  parseVersionRange,
  ProtocolError,
  splitFields,
  type Field,
} from '../src/protocol/framing.js';
import { ClientMsg } from '../src/protocol/messages.js';
import { decodeWithRealClient } from './helpers.js';

const AAPL: enc.ContractFields = {
  conId: 265598,
  symbol: 'AAPL',
  secType: 'STK',
  exchange: 'SMART',
  primaryExch: 'NASDAQ',
  currency: 'USD',
  localSymbol: 'AAPL',
  tradingClass: 'NMS',
};
const ORDER: enc.OrderFields = {
  orderId: 1000001,
  clientId: 900,
  permId: 1700000000,
  account: 'DU1234567',
  action: 'BUY',
  totalQuantity: 25,
  orderType: 'LMT',
  lmtPrice: 228.51,
  tif: 'DAY',
  orderRef: 'emu-strategy-1',
  status: 'Submitted',
  filled: 0,
  remaining: 25,
  avgFillPrice: 0,
  lastFillPrice: 0,
};
const EXEC: enc.ExecutionFields = {
  orderId: 1000001,
  execId: '0000e001.01352901.01.01',
  time: '20260105 10:00:00 America/New_York',
  account: 'DU1234567',
  exchange: 'ISLAND',
  side: 'BOT',
  shares: 25,
  price: 228.51,
  permId: 1700000000,
  clientId: 900,
  cumQty: 25,
  avgPrice: 228.51,
  orderRef: 'emu-strategy-1',
};

describe('framing', () => {
  it('ends every field with NUL, the last one too, and prefixes the payload length', () => {
    const frame = encodeFrame([9, 1, 'x']);
    expect(frame.readUInt32BE(0)).toBe(frame.length - 4);
    expect(frame.subarray(4).toString()).toBe('9\u00001\u0000x\u0000');
  });

  it.each<[Field, string]>([
    [true, '1'],
    [false, '0'],
    [undefined, ''],
    [null, ''],
    [Number.MAX_VALUE, '1.7976931348623157E308'],
    [-5.5, '-5.5'],
    ['a\u0000b', 'ab'],
  ])('renders %j as %j', (value, text) => {
    expect(fieldText(value)).toBe(text);
  });

  it('round-trips fields through a frame, including UTF-8 text', () => {
    const fields = ['4', '2', '-1', '2104', 'Grüße, 市場'];
    const frame = encodeFrame(fields);
    expect(splitFields(frame.subarray(4))).toEqual(fields);
  });

  it('reads the client hello and frames split at every byte or sent all at once', () => {
    const bytes = Buffer.concat([encodeClientHello(100, 193), encodeFrame([71, 2, 17, '']), encodeFrame([49, 1])]);
    const whole = new FrameReader().push(bytes);
    expect(whole).toEqual([['v100..193'], ['71', '2', '17', ''], ['49', '1']]);
    const reader = new FrameReader();
    const bytewise: string[][] = [];
    for (const b of bytes) bytewise.push(...reader.push(Buffer.from([b])));
    expect(bytewise).toEqual(whole);
  });

  it('refuses a peer that does not start with "API\\0"', () => {
    expect(() => new FrameReader().push(Buffer.from('GET / HTTP/1.1\r\n'))).toThrow(ProtocolError);
  });

  it.each([
    ['v100..193', { min: 100, max: 193 }],
    ['v100..176 +PACEAPI', { min: 100, max: 176 }],
    ['v151', { min: 151, max: 151 }],
  ])('parses the version range %j', (text, range) => {
    expect(parseVersionRange(text)).toEqual(range);
  });

  it('escapes non-ASCII text as \\uXXXX for clients at version >= 153', () => {
    expect(enc.asciiEscape('Zürich €')).toBe('Z\\u00fcrich \\u20ac');
  });
});

describe('client requests encoded by the real @stoqey/ib Encoder parse as the emulator expects', () => {
  function encodeWithClient(serverVersion: number, call: (e: Encoder) => void): string[][] {
    const sent: string[][] = [];
    const encoder = new Encoder({
      serverVersion,
      sendMsg: (...tokens: unknown[]) => {
        // The socket flattens, turns booleans into 0/1 and frames; reproduce its output.
        const flat = (tokens.flat(Infinity) as unknown[]).map((t) => (t === true ? 1 : t === false ? 0 : t)) as Field[];
        sent.push(...new FrameReader().push(Buffer.concat([Buffer.from('API\0'), encodeFrame(flat)])));
      },
      emitError: (message: string) => {
        throw new Error(message);
      },
    } as never);
    call(encoder);
    return sent;
  }

  it.each([193, 135])('at server version %i', (sv) => {
    const [execs] = encodeWithClient(sv, (e) =>
      e.reqExecutions(7, { acctCode: 'DU1234567', symbol: 'AAPL', side: 'BUY', time: '20260105-14:00:00' }),
    );
    expect(execs.slice(0, 3)).toEqual([String(ClientMsg.REQ_EXECUTIONS), '3', '7']);
    expect(execs.slice(4, 10)).toEqual(['DU1234567', '20260105-14:00:00', 'AAPL', '', '', 'BUY']);
    const [pnl] = encodeWithClient(sv, (e) => e.reqPnLSingle(9, 'DU1234567', '', 265598));
    expect(pnl).toEqual([String(ClientMsg.REQ_PNL_SINGLE), '9', 'DU1234567', '', '265598']);
    const [mkt] = encodeWithClient(sv, (e) =>
      e.reqMktData(3, { conId: 265598, symbol: 'AAPL', secType: 'STK' as never, exchange: 'SMART', currency: 'USD' }, '', true, false),
    );
    expect(mkt.slice(0, 5)).toEqual(['1', '11', '3', '265598', 'AAPL']);
    expect(mkt[16]).toBe(''); // genericTickList after the deltaNeutral flag
    expect(mkt[17]).toBe('1'); // snapshot
    const [acct] = encodeWithClient(sv, (e) => e.reqAccountUpdates(true, 'DU1234567'));
    expect(acct).toEqual(['6', '2', '1', 'DU1234567']);
  });
});

describe.each([193, 135])('every message the emulator sends decodes cleanly with @stoqey/ib at server version %i', (sv) => {
  const cases: Array<[string, Field[], string, (args: unknown[]) => void]> = [
    ['MANAGED_ACCTS', enc.managedAccounts(['DU1', 'DU2']), 'managedAccounts', (a) => expect(a[0]).toBe('DU1,DU2')],
    ['NEXT_VALID_ID', enc.nextValidId(7), 'nextValidId', (a) => expect(a[0]).toBe(7)],
    ['CURRENT_TIME', enc.currentTime(1767621600.9), 'currentTime', (a) => expect(a[0]).toBe(1767621600)],
    [
      'ACCT_VALUE',
      enc.accountValue('NetLiquidation', '100123.45', 'USD', 'DU1'),
      'updateAccountValue',
      (a) => expect(a).toEqual(['NetLiquidation', '100123.45', 'USD', 'DU1']),
    ],
    [
      'PORTFOLIO_VALUE',
      enc.portfolioValue({
        contract: AAPL,
        position: -5.5,
        marketPrice: 230,
        marketValue: -1265,
        averageCost: 228,
        unrealizedPnl: -11,
        realizedPnl: 3.5,
        account: 'DU1',
      }),
      'updatePortfolio',
      (a) => {
        expect((a[0] as { symbol: string; conId: number }).symbol).toBe('AAPL');
        expect(a.slice(1)).toEqual([-5.5, 230, -1265, 228, -11, 3.5, 'DU1']);
      },
    ],
    ['ACCT_UPDATE_TIME', enc.accountUpdateTime('10:05'), 'updateAccountTime', (a) => expect(a[0]).toBe('10:05')],
    ['ACCT_DOWNLOAD_END', enc.accountDownloadEnd('DU1'), 'accountDownloadEnd', (a) => expect(a[0]).toBe('DU1')],
    [
      'POSITION',
      enc.position('DU1', AAPL, -5.5, 228.1),
      'position',
      (a) => expect([a[0], (a[1] as { conId: number }).conId, a[2], a[3]]).toEqual(['DU1', 265598, -5.5, 228.1]),
    ],
    ['POSITION_END', enc.positionEnd(), 'positionEnd', () => undefined],
    [
      'ACCOUNT_SUMMARY',
      enc.accountSummary(4, 'DU1', 'BuyingPower', '400000.00', 'USD'),
      'accountSummary',
      (a) => expect(a).toEqual([4, 'DU1', 'BuyingPower', '400000.00', 'USD']),
    ],
    ['ACCOUNT_SUMMARY_END', enc.accountSummaryEnd(4), 'accountSummaryEnd', (a) => expect(a[0]).toBe(4)],
    ['PNL', enc.pnl(sv, 5, -12.5, 30, -42.5), 'pnl', (a) => expect(a).toEqual([5, -12.5, 30, -42.5])],
    ['PNL_SINGLE', enc.pnlSingle(sv, 6, 10, 1.5, 2.5, 0, 2300), 'pnlSingle', (a) => expect(a).toEqual([6, 10, 1.5, 2.5, 0, 2300])],
    [
      'EXECUTION_DATA (live)',
      enc.executionData(sv, -1, AAPL, EXEC),
      'execDetails',
      (a) => {
        expect(a[0]).toBe(-1);
        expect(a[2]).toMatchObject({
          execId: EXEC.execId,
          side: 'BOT',
          shares: 25,
          price: 228.51,
          acctNumber: 'DU1234567',
          orderRef: 'emu-strategy-1',
          cumQty: 25,
        });
      },
    ],
    ['EXECUTION_DATA_END', enc.executionDataEnd(3), 'execDetailsEnd', (a) => expect(a[0]).toBe(3)],
    [
      'COMMISSION_REPORT (closing)',
      enc.commissionReport('e1', 1.25, 'USD', -40.5),
      'commissionReport',
      (a) => expect(a[0]).toMatchObject({ execId: 'e1', commission: 1.25, currency: 'USD', realizedPNL: -40.5 }),
    ],
    [
      'COMMISSION_REPORT (opening)',
      enc.commissionReport('e2', 1, 'USD', undefined),
      'commissionReport',
      (a) => {
        expect((a[0] as { realizedPNL?: number }).realizedPNL).toBeUndefined();
      },
    ],
    [
      'ORDER_STATUS',
      enc.orderStatus(sv, { ...ORDER, status: 'Filled', filled: 25, remaining: 0, avgFillPrice: 228.51, lastFillPrice: 228.51 }),
      'orderStatus',
      (a) => expect(a.slice(0, 5)).toEqual([1000001, 'Filled', 25, 0, 228.51]),
    ],
    [
      'OPEN_ORDER',
      enc.openOrder(sv, AAPL, ORDER),
      'openOrder',
      (a) => {
        expect(a[0]).toBe(1000001);
        expect(a[1]).toMatchObject({ conId: 265598, symbol: 'AAPL', exchange: 'SMART' });
        expect(a[2]).toMatchObject({
          action: 'BUY',
          totalQuantity: 25,
          orderType: 'LMT',
          lmtPrice: 228.51,
          account: 'DU1234567',
          permId: 1700000000,
          clientId: 900,
          orderRef: 'emu-strategy-1',
        });
        expect(a[3]).toMatchObject({ status: 'Submitted' });
      },
    ],
    ['OPEN_ORDER_END', enc.openOrderEnd(), 'openOrderEnd', () => undefined],
    [
      'TICK_PRICE',
      enc.tickPrice(8, enc.TickType.LAST, 228.5, 100),
      'tickPrice',
      (a) => expect(a.slice(0, 3)).toEqual([8, enc.TickType.LAST, 228.5]),
    ],
    ['TICK_SIZE', enc.tickSize(8, enc.TickType.VOLUME, 1234), 'tickSize', (a) => expect(a).toEqual([8, enc.TickType.VOLUME, 1234])],
    ['TICK_SNAPSHOT_END', enc.tickSnapshotEnd(8), 'tickSnapshotEnd', (a) => expect(a[0]).toBe(8)],
    ['MARKET_DATA_TYPE', enc.marketDataType(8, 1), 'marketDataType', (a) => expect(a).toEqual([8, 1])],
    ['ERR_MSG (error)', enc.errorMessage(sv, 1000001, 201, 'Order rejected - reason:Zürich'), 'error', () => undefined],
  ];

  it.each(cases)('%s', (_name, fields, event, check) => {
    const out = decodeWithRealClient(sv, fields);
    expect(out.errors.filter((e) => e.code !== 201)).toEqual([]);
    if (event === 'error') {
      expect(out.errors).toEqual([{ message: 'Order rejected - reason:Zürich', code: 201 }]);
      return;
    }
    const hit = out.events.find((e) => e.name === event);
    expect(hit, `event ${event} among ${out.events.map((e) => e.name).join(', ')}`).toBeDefined();
    check(hit!.args);
  });

  it('ERR_MSG with reqId -1 arrives as info', () => {
    const out = decodeWithRealClient(
      sv,
      enc.errorMessage(sv, -1, 1100, 'Connectivity between IB and Trader Workstation has been lost. (emulator)'),
    );
    expect(out.errors).toEqual([]);
    expect(out.infos).toEqual([{ code: 1100, message: 'Connectivity between IB and Trader Workstation has been lost. (emulator)' }]);
  });

  it('TICK_PRICE also emits the matching size tick', () => {
    // ASK, not BID: the client skips BID_SIZE because its tick type is 0 (falsy).
    const out = decodeWithRealClient(sv, enc.tickPrice(8, enc.TickType.ASK, 228.6, 300));
    expect(out.events.map((e) => [e.name, e.args[1], e.args[2]])).toEqual([
      ['tickPrice', enc.TickType.ASK, 228.6],
      ['tickSize', enc.TickType.ASK_SIZE, 300],
    ]);
  });
});

describe('OPEN_ORDER layout', () => {
  it('has 133 fields at version 193 for a plain LMT order, as the reference measured', () => {
    expect(enc.openOrder(193, AAPL, ORDER)).toHaveLength(133);
  });
});
