/** The TWS error and info codes the emulator sends, and the one way it sends them. */
import * as enc from '../protocol/encode.js';
import type { GatewayContext } from './context.js';
import type { Session } from './session.js';

/** TWS error/info codes the emulator sends. */
export const Codes = {
  ORDER_REJECTED: 201,
  NO_SECURITY_DEFINITION: 200,
  CLIENT_ID_IN_USE: 326,
  INVALID_REQUEST: 321,
  ORDER_NOT_FOUND: 10147,
  CONNECTIVITY_LOST: 1100,
  RESTORED_DATA_LOST: 1101,
  RESTORED_DATA_MAINTAINED: 1102,
  MARKET_DATA_FARM_BROKEN: 2103,
  MARKET_DATA_FARM_OK: 2104,
  HMDS_FARM_OK: 2106,
  SEC_DEF_FARM_OK: 2158,
} as const;

export const NO_SECURITY_DEFINITION_TEXT = 'No security definition has been found for the request';

/** An ERR_MSG to one client; reqId -1 is an info message not tied to a request. */
export function sendError(gw: GatewayContext, s: Session, reqId: number, code: number, message: string): void {
  gw.send(s, enc.errorMessage(s.serverVersion, reqId, code, message));
}
