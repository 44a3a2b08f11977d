/** A request handler: one incoming message id, the session it came on and its fields. */
import type { GatewayContext } from '../context.js';
import type { Session } from '../session.js';

export type RequestHandler = (gw: GatewayContext, s: Session, f: string[]) => void;

/** One group of requests, keyed by the incoming message id (ClientMsg). */
export type RequestGroup = Readonly<Record<number, RequestHandler>>;
