/** Daily PnL subscriptions, per account and per position. */
import { ClientMsg as C } from '../../protocol/messages.js';
import { accountIds, type GatewayContext } from '../context.js';
import { Codes, NO_SECURITY_DEFINITION_TEXT, sendError } from '../errors.js';
import { pushPnl, pushPnlSingle } from '../replies/account.js';
import type { Session } from '../session.js';
import type { RequestGroup } from './types.js';

/** False, after telling the client, when the account is not one the emulator manages. */
function knownAccount(gw: GatewayContext, s: Session, reqId: number, account: string): boolean {
  if (accountIds(gw.sim).includes(account)) return true;
  sendError(gw, s, reqId, Codes.INVALID_REQUEST, `Invalid account code ${JSON.stringify(account)}`);
  return false;
}

export const pnlRequests: RequestGroup = {
  [C.REQ_PNL]: (gw, s, f) => {
    const reqId = Number(f[1]);
    const account = f[2] ?? '';
    if (!knownAccount(gw, s, reqId, account)) return;
    s.pnl.set(reqId, account);
    if (!gw.upstreamDown) pushPnl(gw, s, reqId, account);
  },
  [C.CANCEL_PNL]: (_gw, s, f) => {
    s.pnl.delete(Number(f[1]));
  },
  [C.REQ_PNL_SINGLE]: (gw, s, f) => {
    const reqId = Number(f[1]);
    const account = f[2] ?? '';
    const conId = Number(f[4]);
    if (!knownAccount(gw, s, reqId, account)) return;
    if (!gw.sim.market.byConId(conId)) {
      sendError(gw, s, reqId, Codes.NO_SECURITY_DEFINITION, NO_SECURITY_DEFINITION_TEXT);
      return;
    }
    s.pnlSingle.set(reqId, { account, conId });
    if (!gw.upstreamDown) pushPnlSingle(gw, s, reqId, account, conId);
  },
  [C.CANCEL_PNL_SINGLE]: (_gw, s, f) => {
    s.pnlSingle.delete(Number(f[1]));
  },
};
