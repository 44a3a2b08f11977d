/** Account updates, positions and account summary: the first answer, then a subscription. */
import * as enc from '../../protocol/encode.js';
import { ClientMsg as C } from '../../protocol/messages.js';
import { accountIds } from '../context.js';
import { Codes, sendError } from '../errors.js';
import { pushAccountUpdates, pushSummary } from '../replies/account.js';
import type { RequestGroup } from './types.js';

export const accountRequests: RequestGroup = {
  [C.REQ_ACCOUNT_DATA]: (gw, s, f) => {
    const subscribe = f[2] === '1' || f[2] === 'true';
    const account = f[3] ?? '';
    if (!subscribe) {
      if (account) s.accountUpdates.delete(account);
      else s.accountUpdates.clear();
      return;
    }
    const ids = accountIds(gw.sim);
    // An empty code means the (first) account, as for a single-account login.
    const acct = account || ids[0];
    if (!ids.includes(acct)) {
      sendError(gw, s, -1, Codes.INVALID_REQUEST, `Invalid account code ${acct} (emulator manages ${ids.join(', ')})`);
      return;
    }
    s.accountUpdates.add(acct);
    if (!gw.upstreamDown) pushAccountUpdates(gw, s, gw.sim.account(acct), true);
  },
  [C.REQ_POSITIONS]: (gw, s) => {
    const sim = gw.sim;
    s.positions = true;
    for (const a of sim.accounts)
      for (const h of a.positions()) gw.send(s, enc.position(a.id, sim.market.require(h.symbol).contract, h.quantity, h.avgCost));
    gw.send(s, enc.positionEnd());
  },
  [C.CANCEL_POSITIONS]: (_gw, s) => {
    s.positions = false;
  },
  [C.REQ_ACCOUNT_SUMMARY]: (gw, s, f) => {
    const reqId = Number(f[2]);
    const tags = (f[4] ?? '')
      .split(',')
      .map((t) => t.trim())
      .filter(Boolean);
    s.summaries.set(reqId, tags);
    pushSummary(gw, s, reqId, tags);
    gw.send(s, enc.accountSummaryEnd(reqId));
  },
  [C.CANCEL_ACCOUNT_SUMMARY]: (_gw, s, f) => {
    s.summaries.delete(Number(f[2]));
  },
};
