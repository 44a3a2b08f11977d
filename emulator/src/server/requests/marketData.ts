/** Market data: the data type, a snapshot or a streaming subscription, and its cancel. */
import * as enc from '../../protocol/encode.js';
import { ClientMsg as C } from '../../protocol/messages.js';
import { Codes, NO_SECURITY_DEFINITION_TEXT, sendError } from '../errors.js';
import { sendQuote } from '../replies/trading.js';
import type { RequestGroup } from './types.js';

export const marketDataRequests: RequestGroup = {
  [C.REQ_MARKET_DATA_TYPE]: (_gw, s, f) => {
    s.marketDataType = Number(f[2]) || 1;
  },
  [C.REQ_MKT_DATA]: (gw, s, f) => {
    // 1, 11, reqId, conId, symbol, secType, lastTradeDate, strike, right, multiplier, exchange,
    // primaryExch, currency, localSymbol, tradingClass, [combo legs], deltaNeutral, genericTicks, snapshot, ...
    const reqId = Number(f[2]);
    const conId = Number(f[3] || 0);
    const market = gw.sim.market;
    const inst = (conId && market.byConId(conId)) || market.get(f[4] ?? '');
    if (!inst || (f[5] && f[5] !== 'STK')) {
      sendError(gw, s, reqId, Codes.NO_SECURITY_DEFINITION, NO_SECURITY_DEFINITION_TEXT);
      return;
    }
    let i = 15;
    if (f[5] === 'BAG') i = 16 + 4 * Number(f[15] || 0);
    i += f[i] === '1' ? 4 : 1;
    const snapshot = f[i + 1] === '1';
    gw.send(s, enc.marketDataType(reqId, s.marketDataType));
    if (!gw.upstreamDown) sendQuote(gw, s, reqId, inst.contract.symbol, true);
    if (snapshot) gw.send(s, enc.tickSnapshotEnd(reqId));
    else s.marketData.set(reqId, { symbol: inst.contract.symbol });
  },
  [C.CANCEL_MKT_DATA]: (_gw, s, f) => {
    s.marketData.delete(Number(f[2]));
  },
};
