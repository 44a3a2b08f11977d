/** A child process of bench/latency.ts part 3: one exporter (fed, 10 % repriced a second) or one bridge, so /proc tells them apart. */
import { loadConfig } from '@traderadmin/config';
import { silentLogger, startExporter } from '@traderadmin/exporter';
import { startBridge } from '@traderadmin/alert-bridge';
import { benchAccounts, feedBook } from '../kit/book.js';

// argv: exporter|bridge, the config file, accounts, positions.
const [, , what, file, accounts, positions] = process.argv;
const loaded = loadConfig(file);
if (what === 'exporter') {
  const exporter = await startExporter(loaded, { logger: silentLogger, connect: false });
  setInterval(feedBook(exporter.sink, benchAccounts(Number(accounts)), Number(positions)), 1000);
} else {
  await startBridge(loaded, { logger: silentLogger, watchdogCheckMs: 0 });
}
process.stdout.write('ready\n');
process.on('SIGTERM', () => process.exit(0));
