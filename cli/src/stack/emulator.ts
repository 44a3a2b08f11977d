/**
 * The IB Gateway emulator of `traderadmin up` (broker.mode = "emulator"), run inside up's own
 * process rather than as a supervised child: one Node process less, about 50 MB of resident
 * memory, for the demo stack (issue 19: every Node process counts the ~48 MB of Node's own code
 * again). What that trades: an emulator crash stops up (systemd restarts it), and `kill -9` of the
 * emulator alone is no longer possible. The parts a trader relies on with a real gateway
 * (exporter, bridge, console, Prometheus, Alertmanager) stay separate processes that up restarts.
 */
import type { LoadedConfig } from '@traderadmin/config';
import { startEmulator, type Logger } from '@traderadmin/emulator';
import { emulatorSettings } from '../commands/emulator.js';

/** Output lines look like a child's: "emulator    | info emulator: …". */
function prefixedLogger(log: (line: string) => void): Logger {
  const line = (level: string) => (message: string, fields?: Record<string, unknown>) =>
    log(
      `${'emulator'.padEnd(12)}| ${level} emulator: ${message}${fields && Object.keys(fields).length ? ` ${JSON.stringify(fields)}` : ''}`,
    );
  return { debug: () => {}, info: line('info'), warn: line('warn'), error: line('error') };
}

/** Starts the gateway and its control API as the config says; resolves once both listen. */
export async function startStackEmulator(
  loaded: LoadedConfig,
  eventsUrl: string,
  log: (line: string) => void,
): Promise<{ close(): Promise<void> }> {
  const { options, control } = emulatorSettings({ eventsUrl }, loaded.config, loaded);
  const emulator = await startEmulator({ ...options, logger: prefixedLogger(log) });
  try {
    await emulator.startControlServer(control);
  } catch (error) {
    await emulator.close();
    throw new Error(`the emulator's control API cannot listen on ${control.host}:${control.port}: ${(error as Error).message}`);
  }
  return emulator;
}
