/**
 * `traderadmin page --config FILE`: the alerts configuration page (alerts_page.listen, by
 * default http://127.0.0.1:9096/) in the foreground until SIGINT/SIGTERM. It edits, validates,
 * tests and applies [alerts_config] from a browser; see console/README.md.
 */
import { Command } from 'commander';
import { serviceLogger } from '../logging.js';
import { paint, type Output } from '../output.js';
import { configOption } from '../paths.js';
import { closeOnSignal } from '../signals.js';
import { loadOrReport } from './bridge.js';

interface PageOptions {
  config: string;
  out?: string;
  listen?: string;
}

export function pageCommand(o: Output, setExit: (code: number) => void): Command {
  return new Command('page')
    .alias('console')
    .description(
      'serve the console (Monitoring, Alerts, and the Configuration page that edits, validates, tests and applies [alerts_config]) until SIGINT/SIGTERM',
    )
    .addOption(configOption())
    .option(
      '--out <dir>',
      'folder of the generated Prometheus/Alertmanager files (default: data/generated beside the config folder, as "traderadmin up")',
    )
    .option('--listen <host:port>', 'overrides alerts_page.listen')
    .action(async (opts: PageOptions) => {
      const loaded = loadOrReport(opts.config, o);
      if (!loaded) {
        o.err(paint(o, 'red', `✗ ${opts.config} is not valid: fix it (traderadmin validate) before starting the page`));
        return setExit(1);
      }
      // Loaded here, not at the top: other commands need neither express nor esbuild.
      const { startAlertsPage } = await import('@traderadmin/console');
      const page = await startAlertsPage({ configFile: opts.config, out: opts.out, listen: opts.listen, logger: serviceLogger(loaded) });
      o.out(`console (alerts configuration for ${page.editor.file}) at ${page.url}${page.tokenRequired ? ' (token required)' : ''}`);
      await closeOnSignal(o, 'the alerts page', () => page.close());
      setExit(0);
    });
}
