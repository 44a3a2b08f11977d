import path from 'node:path';
import { Command } from 'commander';
import { ConfigError, ensureLocalToken, formatProblem, loadConfig, localTokenFile, readLocalToken } from '@traderadmin/config';
import { generate, writeGenerated } from '@traderadmin/rules-gen';
import { paint, type Output } from '../output.js';
import { OUT_HELP, configOption, generatedDirFor } from '../paths.js';

/** `traderadmin generate`: config.toml → prometheus.yml, rules.yml, alertmanager.yml, tests/, secrets/. */
export function generateCommand(o: Output, setExit: (code: number) => void): Command {
  return new Command('generate')
    .description('write prometheus.yml, rules.yml, alertmanager.yml, promtool tests and secret files from config.toml')
    .addOption(configOption())
    .option('-o, --out <dir>', OUT_HELP)
    .option(
      '--dashboards',
      "also write the Grafana dashboards, with this config's limits and currency, to OUT/dashboards (what docker compose mounts)",
    )
    .option('--no-local-token', 'leave out the local token of `traderadmin up` (data/secrets/token), as for committed examples')
    .option('--create-local-token', 'create the local token when it is missing, as `traderadmin up` does (what docker compose runs)')
    .action(async (opts: { config: string; out?: string; localToken: boolean; dashboards?: boolean; createLocalToken?: boolean }) => {
      let loaded;
      try {
        loaded = loadConfig(opts.config);
      } catch (error) {
        if (!(error instanceof ConfigError)) throw error;
        for (const p of error.problems) o.err(paint(o, p.severity === 'error' ? 'red' : 'yellow', formatProblem(p)));
        const errors = error.problems.filter((p) => p.severity === 'error').length;
        o.err(paint(o, 'red', `✗ ${opts.config}: ${errors} problem${errors === 1 ? '' : 's'}; nothing written`));
        setExit(1);
        return;
      }
      for (const w of loaded.warnings) o.err(paint(o, 'yellow', formatProblem(w)));
      o.out(`reading ${opts.config} (sha256 ${loaded.sha256.slice(0, 12)})`);
      const out = opts.out ?? generatedDirFor(loaded.file);
      if (opts.createLocalToken && opts.localToken && ensureLocalToken(localTokenFile(loaded)).created)
        o.out(`created the local API token ${localTokenFile(loaded)} (readable only by you)`);
      const files = generate(loaded, { localToken: opts.localToken ? readLocalToken(loaded) : undefined });
      const result = writeGenerated(out, files);
      for (const rel of files.keys()) {
        const state = result.written.includes(rel) ? 'written' : 'unchanged';
        o.out(`  ${paint(o, state === 'written' ? 'green' : 'dim', state.padEnd(9))} ${path.join(out, rel)}`);
      }
      for (const rel of result.removed) o.out(`  ${paint(o, 'yellow', 'removed'.padEnd(9))} ${path.join(out, rel)}`);
      if (opts.dashboards) {
        // Loaded only here: the dashboards' code is the one heavy part of generate.
        const { dashboardOptions, writeDashboards } = await import('@traderadmin/grafana/write');
        const dir = path.join(out, 'dashboards');
        for (const file of writeDashboards(dir, dashboardOptions(loaded.config)).written)
          o.out(`  ${paint(o, 'green', 'written'.padEnd(9))} ${file}`);
      }
      o.out(
        paint(o, 'green', `✓ ${files.size} files in ${out} (${result.written.length} written, ${result.unchanged.length} unchanged)`) +
          `; test them with: promtool test rules ${path.join(out, 'tests')}/*.yml`,
      );
      setExit(0);
    });
}
