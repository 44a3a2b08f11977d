/** Simulation events fanned out to the ready clients' subscriptions, as TWS pushes them. */
import * as enc from '../protocol/encode.js';
import type { ExecutionRecord, SimEvent, SimOrder } from '../sim/engine.js';
import type { GatewayContext } from './context.js';
import { sendError } from './errors.js';
import { pushAccountUpdates, pushAllPnl, pushSummary } from './replies/account.js';
import { sendExecution, sendOrder, sendQuote } from './replies/trading.js';

export function onSimEvent(gw: GatewayContext, e: SimEvent): void {
  switch (e.type) {
    case 'tick':
      if (gw.upstreamDown) return;
      for (const s of gw.readySessions()) {
        for (const [reqId, sub] of s.marketData) sendQuote(gw, s, reqId, sub.symbol, false);
        for (const acct of s.accountUpdates) pushAccountUpdates(gw, s, gw.sim.account(acct), false);
        for (const [reqId, tags] of s.summaries) pushSummary(gw, s, reqId, tags);
        pushAllPnl(gw, s);
      }
      return;
    case 'order':
      for (const s of gw.readySessions()) sendOrder(gw, s, e.order);
      return;
    case 'execution':
      onExecution(gw, e.order, e.execution);
      return;
    case 'reject':
      for (const s of gw.readySessions()) {
        sendOrder(gw, s, e.order);
        sendError(gw, s, e.order.orderId, e.code, e.message);
      }
      return;
    case 'latency':
      return;
    case 'day':
      for (const s of gw.readySessions()) {
        for (const acct of s.accountUpdates) pushAccountUpdates(gw, s, gw.sim.account(acct), false);
        pushAllPnl(gw, s);
      }
      return;
    default: {
      const never: never = e;
      throw new Error(`unhandled simulation event ${JSON.stringify(never)}`);
    }
  }
}

function onExecution(gw: GatewayContext, order: SimOrder, x: ExecutionRecord): void {
  const account = gw.sim.account(order.account);
  const holding = account.holding(order.symbol);
  for (const s of gw.readySessions()) {
    // Live fill: execution (reqId -1), order state, then the commission report, as TWS does.
    sendExecution(gw, s, -1, x, false);
    sendOrder(gw, s, order);
    gw.send(s, enc.commissionReport(x.fields.execId, x.commission, x.currency, x.realizedPnl));
    if (gw.upstreamDown) continue;
    if (s.positions && holding) gw.send(s, enc.position(account.id, x.contract, holding.quantity, holding.avgCost));
    if (s.accountUpdates.has(account.id)) pushAccountUpdates(gw, s, account, false, order.symbol);
    for (const [reqId, tags] of s.summaries) pushSummary(gw, s, reqId, tags);
    pushAllPnl(gw, s);
  }
}
