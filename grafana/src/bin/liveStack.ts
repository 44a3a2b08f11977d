/**
 * Runs the live stack (emulator → exporter → Prometheus) in the foreground for the panel's
 * browser harness: prints one JSON line `{"prometheusUrl", "exporterUrl", "account"}` when
 * ready, and stops everything on SIGTERM/SIGINT or when stdin closes (its parent died).
 */
import { startLiveStack } from '../liveStack.js';

const stack = await startLiveStack();
let stopping = false;
const stop = async () => {
  if (stopping) return;
  stopping = true;
  await stack.stop();
  process.exit(0);
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
process.stdin.on('end', stop);
process.stdin.resume();
process.stdout.write(`${JSON.stringify({ prometheusUrl: stack.prometheusUrl, exporterUrl: stack.exporterUrl, account: stack.account })}\n`);
