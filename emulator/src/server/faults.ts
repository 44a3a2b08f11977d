/**
 * Fault injection, driven by the control API: a hung gateway, dropped sockets, lost and
 * restored upstream connectivity, and any error or info message sent to every client.
 */
import type { GatewayContext } from './context.js';
import { Codes, sendError } from './errors.js';
import type { Session } from './session.js';

export class Faults {
  /** Keeps sockets open but answers nothing and sends nothing until unhang. */
  hung = false;
  /** True between connectivityLost and connectivityRestored: no market or account data flows. */
  upstreamDown = false;

  constructor(
    private readonly gw: GatewayContext,
    /** Feeds input held while hung back to the session, as if it had just arrived. */
    private readonly replay: (s: Session, chunk: Buffer) => void,
  ) {}

  unhang(): void {
    this.hung = false;
    for (const s of [...this.gw.sessions]) {
      const held = s.heldInput.splice(0);
      for (const chunk of held) this.replay(s, chunk);
    }
  }

  /** Sends an error or info message to every ready client (reqId -1 = info). */
  broadcastError(code: number, message: string, reqId = -1): number {
    let n = 0;
    for (const s of this.gw.readySessions()) {
      sendError(this.gw, s, reqId, code, message);
      n++;
    }
    return n;
  }

  connectivityLost(): void {
    this.upstreamDown = true;
    this.broadcastError(Codes.CONNECTIVITY_LOST, 'Connectivity between IB and Trader Workstation has been lost. (emulator)');
  }

  connectivityRestored(dataLost: boolean): void {
    this.upstreamDown = false;
    if (dataLost) {
      // "data lost": the gateway forgot every subscription; clients must request again.
      for (const s of this.gw.sessions) s.clearSubscriptions();
      this.broadcastError(
        Codes.RESTORED_DATA_LOST,
        'Connectivity between IB and Trader Workstation has been restored - data lost. (emulator)',
      );
    } else {
      this.broadcastError(
        Codes.RESTORED_DATA_MAINTAINED,
        'Connectivity between IB and Trader Workstation has been restored - data maintained. (emulator)',
      );
    }
  }
}
