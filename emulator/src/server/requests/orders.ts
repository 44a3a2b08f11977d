/** Open orders, and the order requests a client may send but the emulator refuses. */
import * as enc from '../../protocol/encode.js';
import { ClientMsg as C } from '../../protocol/messages.js';
import { Codes, sendError } from '../errors.js';
import { sendOrder } from '../replies/trading.js';
import type { GatewayContext } from '../context.js';
import type { Session } from '../session.js';
import type { RequestGroup } from './types.js';

const ORDER_REJECT_TEXT = 'the IB Gateway emulator accepts orders only from its built-in strategy and control API';

function openOrders(gw: GatewayContext, s: Session, all: boolean): void {
  // Clients cannot place orders here, so a client's "own" orders are only the emulator's for client 0.
  const orders = all || s.clientId === 0 ? gw.sim.openOrders() : [];
  for (const o of orders) sendOrder(gw, s, o);
  gw.send(s, enc.openOrderEnd());
}

export const orderRequests: RequestGroup = {
  [C.REQ_OPEN_ORDERS]: (gw, s) => openOrders(gw, s, false),
  [C.REQ_ALL_OPEN_ORDERS]: (gw, s) => openOrders(gw, s, true),
  [C.REQ_AUTO_OPEN_ORDERS]: () => {},
  [C.PLACE_ORDER]: (gw, s, f) => {
    const orderId = Number(f[1]);
    sendError(gw, s, orderId, Codes.ORDER_REJECTED, `Order rejected - reason:${ORDER_REJECT_TEXT}`);
    gw.logger.info('placeOrder from a client rejected', { session: s.id, clientId: s.clientId, orderId });
  },
  [C.CANCEL_ORDER]: (gw, s, f) => {
    const orderId = Number(f[2]);
    sendError(gw, s, orderId, Codes.ORDER_NOT_FOUND, `OrderId ${orderId} that needs to be cancelled is not found.`);
  },
};
