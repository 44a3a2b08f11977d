import { Command, Option } from 'commander';
import { ConfigError, engineFetch, enginePassword, formatProblem, loadConfig, readLocalToken } from '@traderadmin/config';
import { defaultUrls, diffFiles, diffLive, fetchLive, formatDiff, generate, readGenerated } from '@traderadmin/rules-gen';
import { paint, type Output } from '../output.js';
import { OUT_HELP, configOption, generatedDirFor } from '../paths.js';

/** `traderadmin diff`: what generate/apply would change, on disk or in the running Prometheus and Alertmanager. */
export function diffCommand(o: Output, setExit: (code: number) => void): Command {
  return new Command('diff')
    .description(
      'show what a generation changes (thresholds, routes, receivers, then a unified diff); exit 0 no changes, 3 changes, 1 error',
    )
    .addOption(configOption())
    .option('-o, --out <dir>', OUT_HELP)
    .option('--live', 'compare with the running Prometheus (/api/v1/rules) and Alertmanager (/api/v2/status)')
    .option('--prometheus-url <url>', 'Prometheus URL (default: from prometheus.listen)')
    .option('--alertmanager-url <url>', 'Alertmanager URL (default: from alertmanager.listen)')
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'json']).default('text'))
    .action(
      async (opts: {
        config: string;
        out?: string;
        live?: boolean;
        prometheusUrl?: string;
        alertmanagerUrl?: string;
        format: 'text' | 'json';
      }) => {
        try {
          const loaded = loadConfig(opts.config);
          // With the local token, as `generate` and `up` write them (else every secret file and the auth lines differ).
          const files = generate(loaded, { localToken: readLocalToken(loaded) });
          let result;
          if (opts.live) {
            const urls = defaultUrls(loaded.config);
            const prometheusUrl = opts.prometheusUrl ?? urls.prometheusUrl;
            const alertmanagerUrl = opts.alertmanagerUrl ?? urls.alertmanagerUrl;
            const password = enginePassword(loaded);
            result = diffLive(
              await fetchLive({
                prometheusUrl,
                alertmanagerUrl,
                fetch: engineFetch({ urls: () => [prometheusUrl, alertmanagerUrl], password: () => password }),
              }),
              files,
            );
          } else {
            result = diffFiles(readGenerated(opts.out ?? generatedDirFor(loaded.file)), files);
          }
          if (opts.format === 'json') o.out(JSON.stringify(result, null, 2));
          else for (const line of formatDiff(result)) o.out(line);
          setExit(result.changed ? 3 : 0);
        } catch (error) {
          if (error instanceof ConfigError) for (const p of error.problems) o.err(paint(o, 'red', formatProblem(p)));
          else o.err(paint(o, 'red', `traderadmin diff: ${(error as Error).message}`));
          setExit(1);
        }
      },
    );
}
