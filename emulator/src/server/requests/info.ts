/** Requests about the connection itself: current time, next order id, managed accounts, log level. */
import * as enc from '../../protocol/encode.js';
import { ClientMsg as C } from '../../protocol/messages.js';
import { accountIds } from '../context.js';
import type { RequestGroup } from './types.js';

export const infoRequests: RequestGroup = {
  [C.REQ_CURRENT_TIME]: (gw, s) => gw.send(s, enc.currentTime(gw.sim.now() / 1000)),
  [C.REQ_IDS]: (gw, s) => gw.send(s, enc.nextValidId(s.nextOrderId)),
  [C.REQ_MANAGED_ACCTS]: (gw, s) => gw.send(s, enc.managedAccounts(accountIds(gw.sim))),
  [C.SET_SERVER_LOGLEVEL]: () => {},
};
