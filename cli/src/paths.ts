import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Option } from 'commander';

/** The checkout's root folder. */
export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
/** The trader's config file, as the README shows it. */
export const DEFAULT_CONFIG = 'config/config.toml';
export const EXAMPLE_CONFIG = path.join(ROOT, 'config/config.example.toml');
/** Names the config file for every command run without --config. */
export const CONFIG_ENV = 'TRADERADMIN_CONFIG';
export const CONFIG_HELP = `config file (default: $${CONFIG_ENV}, else ${DEFAULT_CONFIG} in the current folder, else in the project)`;
/** -c, --config FILE, as every command that reads the config takes it. */
export const configOption = () => new Option('-c, --config <file>', CONFIG_HELP).default(defaultConfig());

/**
 * The config file a command uses when --config is not given: $TRADERADMIN_CONFIG, else
 * config/config.toml in the current folder (the README's commands), else the project's, so
 * that `npx --prefix DIR traderadmin …` from another folder finds it. Absolute, so that a
 * "file not found" says where it looked.
 */
export function defaultConfig(env: NodeJS.ProcessEnv = process.env, cwd: string = process.cwd()): string {
  const fromEnv = env[CONFIG_ENV];
  if (fromEnv) return path.resolve(cwd, fromEnv);
  const here = path.resolve(cwd, DEFAULT_CONFIG);
  return existsSync(here) ? here : path.join(ROOT, DEFAULT_CONFIG);
}

/** The folder `traderadmin up` keeps its data in: data/ beside the config's folder. */
export function dataDirFor(configFile: string): string {
  return path.resolve(path.dirname(configFile), '..', 'data');
}

/** The generated Prometheus / Alertmanager files `up` runs on, which generate, diff and apply default to. */
export function generatedDirFor(configFile: string): string {
  return path.join(dataDirFor(configFile), 'generated');
}

export const OUT_HELP = 'folder of the generated files (default: data/generated beside the config folder, the one "traderadmin up" uses)';
/**
 * The traderadmin command (`node BIN <subcommand>`): it runs the compiled dist/cli.mjs, never
 * TypeScript. `up` starts every Node part with it; a service unit should run `node BIN up`.
 */
export const BIN = path.join(ROOT, 'bin/traderadmin.mjs');
/** The compiled command that BIN loads; `npm run build` writes it. */
export const COMPILED_CLI = path.join(ROOT, 'dist/cli.mjs');
