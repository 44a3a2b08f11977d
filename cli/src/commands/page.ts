/**
 * `traderadmin page --config FILE`: the alerts configuration page (alerts_page.listen, by
 * default http://127.0.0.1:9096/) in the foreground until SIGINT/SIGTERM. It edits, validates,
 * tests and applies [alerts_config] from a browser; see console/README.md.
 */
import { Command } from 'commander';
import { ConfigError, formatProblem, loadConfig, type LoadedConfig } from '@traderadmin/config';
import { serviceLogger } from '../logging.js';
import { paint, type Output } from '../output.js';
import { CONFIG_HELP, defaultConfig } from '../paths.js';

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
    .option('-c, --config <file>', CONFIG_HELP, defaultConfig())
    .option(
      '--out <dir>',
      'folder of the generated Prometheus/Alertmanager files (default: data/generated beside the config folder, as "traderadmin up")',
    )
    .option('--listen <host:port>', 'overrides alerts_page.listen')
    .action(async (opts: PageOptions) => {
      let loaded: LoadedConfig;
      try {
        loaded = loadConfig(opts.config);
        for (const w of loaded.warnings) o.err(paint(o, 'yellow', formatProblem(w)));
      } catch (error) {
        if (!(error instanceof ConfigError)) throw error;
        for (const p of error.problems) o.err(paint(o, 'red', formatProblem(p)));
        o.err(paint(o, 'red', `✗ ${opts.config} is not valid: fix it (traderadmin validate) before starting the page`));
        return setExit(1);
      }
      // Loaded here, not at the top: other commands need neither express nor esbuild.
      const { startAlertsPage } = await import('@traderadmin/console');
      const page = await startAlertsPage({ configFile: opts.config, out: opts.out, listen: opts.listen, logger: serviceLogger(loaded) });
      o.out(`console (alerts configuration for ${page.editor.file}) at ${page.url}${page.tokenRequired ? ' (token required)' : ''}`);
      const signal = await new Promise<NodeJS.Signals>((resolve) => {
        process.once('SIGINT', () => resolve('SIGINT'));
        process.once('SIGTERM', () => resolve('SIGTERM'));
      });
      o.err(`${signal}: stopping the alerts page`);
      await page.close();
      setExit(0);
    });
}
