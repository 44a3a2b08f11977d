/**
 * What the handshake, the request handlers, the replies and the pushes may use of the gateway:
 * the simulation, the logger, the sessions and one way to write to a client.
 */
import type { Field } from '../protocol/framing.js';
import type { Logger } from '@traderadmin/kit';
import type { Simulation } from '../sim/engine.js';
import type { Session } from './session.js';

export interface GatewayContext {
  readonly sim: Simulation;
  readonly logger: Logger;
  /** True between connectivityLost and connectivityRestored: no market or account data flows. */
  readonly upstreamDown: boolean;
  /** Every connected session, whatever its phase. */
  readonly sessions: ReadonlySet<Session>;
  /** Sessions past the handshake and startApi, with an open socket. */
  readySessions(): Session[];
  /** Writes one message; nothing while the gateway hangs or once the socket is gone. */
  send(s: Session, fields: Field[]): void;
}

export function accountIds(sim: Simulation): string[] {
  return sim.accounts.map((a) => a.id);
}
