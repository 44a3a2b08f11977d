/**
 * The IB Gateway emulator of `traderadmin up` (broker.mode = "emulator"), run inside up's own
 * process rather than as a supervised child: one Node process less, about 50 MB of resident
 * memory, for the demo stack (issue 19: every Node process counts the ~48 MB of Node's own code
 * again). What that trades: an emulator crash stops up (systemd restarts it), and `kill -9` of the
 * emulator alone is no longer possible. The parts a trader relies on with a real gateway
 * (exporter, bridge, console, Prometheus, Alertmanager) stay separate processes that up restarts.
 */
import type { LoadedConfig } from '@traderadmin/config';
import { startEmulator } from '@traderadmin/emulator';
import { emulatorSettings } from '../commands/emulator.js';
import { serviceLogger } from '../logging.js';

/** Starts the gateway and its control API as the config says; resolves once both listen. */
export async function startStackEmulator(
  loaded: LoadedConfig,
  eventsUrl: string,
  log: (line: string) => void,
): Promise<{ close(): Promise<void> }> {
  const { options, control } = emulatorSettings({ eventsUrl }, loaded.config, loaded);
  // Its lines look like a child's: "emulator    | {…}", as [logging] says, secrets hidden.
  const logger = serviceLogger(loaded, { secrets: [options.eventsToken], write: (line) => log(`${'emulator'.padEnd(12)}| ${line}`) });
  const emulator = await startEmulator({ ...options, logger });
  try {
    await emulator.startControlServer(control);
  } catch (error) {
    await emulator.close();
    throw new Error(`the emulator's control API cannot listen on ${control.host}:${control.port}: ${(error as Error).message}`);
  }
  return emulator;
}
