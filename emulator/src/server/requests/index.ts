/**
 * The request table: every message id the emulator answers after startApi, one group of
 * requests per file. An id no group claims is logged at debug and ignored, as TWS ignores it.
 */
import type { GatewayContext } from '../context.js';
import type { Session } from '../session.js';
import { accountRequests } from './account.js';
import { executionRequests } from './executions.js';
import { infoRequests } from './info.js';
import { marketDataRequests } from './marketData.js';
import { orderRequests } from './orders.js';
import { pnlRequests } from './pnl.js';
import type { RequestGroup, RequestHandler } from './types.js';

export type { RequestGroup, RequestHandler } from './types.js';

/** Merges the groups; an id claimed twice is a programming error, caught at load. */
export function requestTable(groups: RequestGroup[]): ReadonlyMap<number, RequestHandler> {
  const table = new Map<number, RequestHandler>();
  for (const group of groups) {
    for (const [id, handler] of Object.entries(group)) {
      if (table.has(Number(id))) throw new Error(`request ${id} is handled twice`);
      table.set(Number(id), handler);
    }
  }
  return table;
}

export const REQUESTS = requestTable([infoRequests, accountRequests, pnlRequests, orderRequests, executionRequests, marketDataRequests]);

export function handleRequest(gw: GatewayContext, s: Session, id: number, f: string[]): void {
  const handler = REQUESTS.get(id);
  if (handler) handler(gw, s, f);
  else gw.logger.debug('unsupported request ignored', { session: s.id, message: id, fields: f.length });
}
