/** Orders, executions and quotes as TWS writes them, to one client: shared by answers and pushes. */
import * as enc from '../../protocol/encode.js';
import type { ExecutionRecord, SimOrder } from '../../sim/engine.js';
import type { GatewayContext } from '../context.js';
import type { Session } from '../session.js';

export function sendExecution(gw: GatewayContext, s: Session, reqId: number, x: ExecutionRecord, withCommission = true): void {
  gw.send(s, enc.executionData(s.serverVersion, reqId, x.contract, x.fields));
  if (withCommission) gw.send(s, enc.commissionReport(x.fields.execId, x.commission, x.currency, x.realizedPnl));
}

export function sendOrder(gw: GatewayContext, s: Session, o: SimOrder): void {
  gw.send(s, enc.openOrder(s.serverVersion, o.contract, o));
  gw.send(s, enc.orderStatus(s.serverVersion, o));
}

export function sendQuote(gw: GatewayContext, s: Session, reqId: number, symbol: string, initial: boolean): void {
  const inst = gw.sim.market.require(symbol);
  const T = enc.TickType;
  gw.send(s, enc.tickPrice(reqId, T.BID, inst.bid, 100));
  gw.send(s, enc.tickPrice(reqId, T.ASK, inst.ask, 100));
  gw.send(s, enc.tickPrice(reqId, T.LAST, inst.last, 100));
  if (initial) gw.send(s, enc.tickPrice(reqId, T.CLOSE, inst.close, 0));
  gw.send(s, enc.tickSize(reqId, T.VOLUME, inst.volume / 100)); // TWS sends volume in round lots
}
