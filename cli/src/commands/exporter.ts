/**
 * `traderadmin exporter --config FILE`: runs the exporter in the foreground until SIGINT or
 * SIGTERM (then closes the HTTP server and disconnects from the gateway). It connects to
 * broker.host:broker.port whatever broker.mode says: with mode = "emulator", `traderadmin up`
 * (or `traderadmin emulator`) runs the emulator, not this command.
 */
import { Command, InvalidArgumentError } from 'commander';
import { isLoopbackHost, parseListen } from '@traderadmin/config';
import { serviceLogger } from '../logging.js';
import { paint, type Output } from '../output.js';
import { configOption } from '../paths.js';
import { closeOnSignal } from '../signals.js';
import { loadOrReport } from './bridge.js';

interface ExporterFlags {
  config: string;
  listen?: string;
  verbose?: boolean;
}

function listenFlag(value: string): string {
  if (!parseListen(value)) throw new InvalidArgumentError(`"${value}" is not HOST:PORT (for example "127.0.0.1:9464")`);
  return value;
}

export function exporterCommand(o: Output, setExit: (code: number) => void): Command {
  return new Command('exporter')
    .description('run the exporter (gateway and events in, Prometheus metrics out) until Ctrl-C')
    .addOption(configOption())
    .option('--listen <host:port>', 'where to listen, instead of exporter.listen', listenFlag)
    .option('-v, --verbose', 'log debug details (gateway notices, library messages)')
    .action(async (flags: ExporterFlags) => {
      const loaded = loadOrReport(flags.config, o);
      if (!loaded) return setExit(1);
      const { config } = loaded;
      const listen = flags.listen ?? config.exporter.listen;
      const host = parseListen(listen)?.host ?? '';
      if (!isLoopbackHost(host) && !config.exporter.events_token)
        o.err(paint(o, 'yellow', `warning: listening on ${listen}, beyond loopback, and the events API has no token`));
      // Loaded here, not at the top: @stoqey/ib, express and prom-client only in the exporter's process.
      const { startExporter } = await import('@traderadmin/exporter');
      let exporter;
      try {
        exporter = await startExporter(loaded, { listen, logger: serviceLogger(loaded, { verbose: flags.verbose }) });
      } catch (error) {
        o.err(paint(o, 'red', `exporter: cannot listen on ${listen}: ${(error as Error).message}`));
        setExit(1);
        return;
      }
      o.out(`exporter listening on ${exporter.url} (metrics ${exporter.url}/metrics, events ${exporter.url}/api/v1/events)`);
      o.out(
        `reading the gateway at ${config.broker.host}:${config.broker.port} (client id ${config.broker.client_id}, ${config.broker.mode === 'emulator' ? 'the emulator' : 'IB Gateway / TWS'})`,
      );
      o.out('press Ctrl-C to stop');
      await closeOnSignal(o, 'the exporter', () => exporter.close());
      setExit(0);
    });
}
