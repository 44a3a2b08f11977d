/**
 * The two steps before requests: the version hello (answered with the negotiated server version
 * and the connection time) and startApi (client id, managed accounts, next id, farm status).
 */
import * as enc from '../protocol/encode.js';
import { parseVersionRange, ProtocolError } from '../protocol/framing.js';
import { MAX_SERVER_VERSION, MIN_SERVER_VERSION } from '../protocol/messages.js';
import { connectionTimeText } from '../sim/time.js';
import { accountIds, type GatewayContext } from './context.js';
import { Codes, sendError } from './errors.js';
import type { Session } from './session.js';

/** Answers the client's "v<min>..<max>" with the highest version both sides speak. */
export function hello(gw: GatewayContext, s: Session, rangeText: string, maxVersion: number): void {
  const range = parseVersionRange(rangeText);
  const version = Math.min(maxVersion, range.max, MAX_SERVER_VERSION);
  // Like the real gateway, refuse a range it cannot speak rather than answer below its minimum.
  if (version < range.min || version < MIN_SERVER_VERSION) {
    throw new ProtocolError(
      `client accepts server versions ${range.min}..${range.max}; the emulator speaks ${MIN_SERVER_VERSION}..${maxVersion}`,
    );
  }
  s.serverVersion = version;
  s.phase = 'version-sent';
  gw.send(s, [version, connectionTimeText(gw.sim.now(), gw.sim.timeZone)]);
}

export function startApi(gw: GatewayContext, s: Session, clientId: number): void {
  if (!Number.isInteger(clientId)) throw new ProtocolError(`bad client id ${clientId}`);
  if ([...gw.sessions].some((o) => o !== s && o.phase === 'ready' && o.clientId === clientId)) {
    sendError(gw, s, -1, Codes.CLIENT_ID_IN_USE, 'Unable to connect as the client id is already in use. Retry with a unique client id.');
    gw.logger.info('client id already in use: connection closed', { session: s.id, clientId });
    s.socket.end();
    return;
  }
  s.clientId = clientId;
  s.phase = 'ready';
  gw.logger.info('client ready', { session: s.id, clientId, serverVersion: s.serverVersion });
  gw.send(s, enc.managedAccounts(accountIds(gw.sim)));
  gw.send(s, enc.nextValidId(s.nextOrderId));
  if (gw.upstreamDown) {
    sendError(gw, s, -1, Codes.MARKET_DATA_FARM_BROKEN, 'Market data farm connection is broken:usfarm.emulator');
  } else {
    sendError(gw, s, -1, Codes.MARKET_DATA_FARM_OK, 'Market data farm connection is OK:usfarm.emulator');
  }
  sendError(gw, s, -1, Codes.HMDS_FARM_OK, 'HMDS data farm connection is OK:ushmds.emulator');
  sendError(gw, s, -1, Codes.SEC_DEF_FARM_OK, 'Sec-def data farm connection is OK:secdefnj.emulator');
}
