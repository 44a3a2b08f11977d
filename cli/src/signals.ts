/** How the foreground commands (emulator, exporter, bridge, page) end: Ctrl-C or `kill`. */
import type { Output } from './output.js';

/** Waits for SIGINT or SIGTERM, says which one stops `what`, then closes it. */
export async function closeOnSignal(o: Output, what: string, close: () => Promise<unknown>): Promise<void> {
  const signal = await new Promise<NodeJS.Signals>((resolve) => {
    process.once('SIGINT', () => resolve('SIGINT'));
    process.once('SIGTERM', () => resolve('SIGTERM'));
  });
  o.err(`${signal}: stopping ${what}`);
  await close();
}
