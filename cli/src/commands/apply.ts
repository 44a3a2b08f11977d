import { Command } from 'commander';
import { ConfigError, formatProblem, loadConfig } from '@traderadmin/config';
import { applyConfig, formatDiff } from '@traderadmin/rules-gen';
import { paint, type Output } from '../output.js';
import { configOption, generatedDirFor } from '../paths.js';

/** `traderadmin apply`: generate, write, reload Prometheus / Alertmanager / bridge, verify, roll back on failure. */
export function applyCommand(o: Output, setExit: (code: number) => void): Command {
  return new Command('apply')
    .description('write the generated files, reload Prometheus, Alertmanager and the bridge, confirm, and roll back on any failure')
    .addOption(configOption())
    .option(
      '-o, --out <dir>',
      'folder Prometheus and Alertmanager read their files from (default: data/generated beside the config folder, as "traderadmin up")',
    )
    .option('--prometheus-url <url>', 'Prometheus URL (default: from prometheus.listen)')
    .option('--alertmanager-url <url>', 'Alertmanager URL (default: from alertmanager.listen)')
    .option('--bridge-url <url>', 'alert bridge URL (default: from alert_bridge.listen)')
    .option('--force', 'reload and verify even when nothing changed')
    .action(
      async (opts: {
        config: string;
        out?: string;
        prometheusUrl?: string;
        alertmanagerUrl?: string;
        bridgeUrl?: string;
        force?: boolean;
      }) => {
        let loaded;
        try {
          loaded = loadConfig(opts.config);
        } catch (error) {
          if (!(error instanceof ConfigError)) throw error;
          for (const p of error.problems) o.err(paint(o, 'red', formatProblem(p)));
          o.err(paint(o, 'red', `✗ ${opts.config} is not valid: nothing written, nothing reloaded`));
          setExit(1);
          return;
        }
        const result = await applyConfig(loaded, {
          ...opts,
          out: opts.out ?? generatedDirFor(loaded.file),
          log: (line) => o.out(`  ${line}`),
        });
        if (result.changed) for (const line of formatDiff({ ...result.diff, files: [] })) o.out(line);
        if (result.ok) o.out(paint(o, 'green', result.changed ? '✓ applied' : '✓ nothing to apply'));
        else o.err(paint(o, 'red', `✗ apply failed and was rolled back: ${result.error}`));
        setExit(result.ok ? 0 : 1);
      },
    );
}
