/** reqExecutions: today's fills matching the client's ExecutionFilter. */
import * as enc from '../../protocol/encode.js';
import { ClientMsg as C } from '../../protocol/messages.js';
import { parseFilterTime } from '../../sim/time.js';
import { Codes, sendError } from '../errors.js';
import { sendExecution } from '../replies/trading.js';
import type { RequestGroup } from './types.js';

export const executionRequests: RequestGroup = {
  [C.REQ_EXECUTIONS]: (gw, s, f) => {
    // 7, 3, reqId, clientId, acctCode, time, symbol, secType, exchange, side
    const reqId = Number(f[2]);
    const clientId = Number(f[3] || 0);
    const [acct = '', time = '', symbol = '', secType = '', exchange = '', side = ''] = f.slice(4, 10);
    let since: number | undefined;
    try {
      since = parseFilterTime(time, gw.sim.timeZone);
    } catch (error) {
      sendError(gw, s, reqId, Codes.INVALID_REQUEST, `Error validating request: ${(error as Error).message}`);
      return;
    }
    const wantSide = side.toUpperCase() === 'BUY' ? 'BOT' : side.toUpperCase() === 'SELL' ? 'SLD' : side.toUpperCase();
    const matches = gw.sim
      .executionsToday()
      .filter(
        (e) =>
          (!clientId || e.fields.clientId === clientId) &&
          (!acct || e.fields.account === acct) &&
          (since === undefined || e.timeMs >= since) &&
          (!symbol || e.symbol === symbol.toUpperCase()) &&
          (!secType || e.contract.secType === secType.toUpperCase()) &&
          (!exchange || e.fields.exchange === exchange.toUpperCase() || exchange.toUpperCase() === 'SMART') &&
          (!wantSide || e.fields.side === wantSide),
      );
    for (const e of matches) sendExecution(gw, s, reqId, e);
    gw.send(s, enc.executionDataEnd(reqId));
  },
};
