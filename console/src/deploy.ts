/**
 * Putting a config.toml that is on disk into effect: regenerate the rules and Alertmanager
 * configuration, reload Prometheus, Alertmanager and the alert bridge, and confirm each
 * reload. The page only needs the `Deployer` contract; the real one is rules-gen's
 * `applyConfig` (which also rolls its own generated files back when a reload fails).
 */
import { checkConfigText, type LoadedConfig } from '@traderadmin/config';
import { applyConfig, diffFiles, generate } from '@traderadmin/rules-gen';
import { readFileSync } from 'node:fs';
import type { StepReport } from './shared/api.js';
import { sha256 } from './history.js';

/** What a deploy did; `ok: false` says what failed in `error`. */
export interface DeployResult {
  ok: boolean;
  steps: StepReport[];
  error?: string;
}

/** Puts the config file now on disk into effect. Never throws for a failed step: the result says it. */
export interface Deployer {
  deploy(configFile: string): Promise<DeployResult>;
}

export interface StackDeployerOptions {
  /** Folder Prometheus and Alertmanager read their generated files from. */
  out: string;
  /** Override the URLs the config's listen addresses give (tests run on free ports). */
  prometheusUrl?: string;
  alertmanagerUrl?: string;
  bridgeUrl?: string;
  env?: NodeJS.ProcessEnv;
  fetch?: typeof fetch;
  /** How long to wait for each reload confirmation. @default 10000 */
  confirmTimeoutMs?: number;
}

/** Reads and parses a config file the way loadConfig does, with a given environment. */
export function loadFrom(file: string, env: NodeJS.ProcessEnv): Pick<LoadedConfig, 'config' | 'file' | 'sha256'> {
  const bytes = readFileSync(file);
  const { config, problems } = checkConfigText(bytes.toString('utf8'), file, { env });
  if (!config) {
    const first = problems.find((p) => p.severity === 'error');
    throw new Error(`${file} is not valid: ${first ? `${first.path || 'file'}: ${first.message}` : 'unknown problem'}`);
  }
  return { config, file, sha256: sha256(bytes) };
}

/**
 * The deployer of a running stack, through rules-gen's applyConfig: always forced, so that a
 * change the generated files do not show (an email recipient, read by the bridge from
 * config.toml) still reloads the bridge, and every reload is confirmed.
 */
export function stackDeployer(options: StackDeployerOptions): Deployer {
  const env = options.env ?? process.env;
  return {
    async deploy(configFile) {
      let loaded: Pick<LoadedConfig, 'config' | 'file' | 'sha256'>;
      try {
        loaded = loadFrom(configFile, env);
      } catch (error) {
        return { ok: false, steps: [], error: (error as Error).message };
      }
      try {
        const result = await applyConfig(loaded, {
          out: options.out,
          prometheusUrl: options.prometheusUrl,
          alertmanagerUrl: options.alertmanagerUrl,
          bridgeUrl: options.bridgeUrl,
          force: true,
          env,
          fetch: options.fetch,
          confirmTimeoutMs: options.confirmTimeoutMs,
        });
        // rules-gen reports steps as lines; a failure says so ("failed: …", "rollback reloads failed: …").
        const steps = result.steps.map((line) => ({ name: line, ok: !/\bfail/i.test(line) }));
        return { ok: result.ok, steps, error: result.error };
      } catch (error) {
        return { ok: false, steps: [], error: `generating the configuration failed: ${(error as Error).message}` };
      }
    },
  };
}

/**
 * What the generated Prometheus and Alertmanager configuration would change (thresholds,
 * routes, receivers), in rules-gen's words, between two valid config texts.
 */
export function generatedChanges(
  before: Pick<LoadedConfig, 'config' | 'file' | 'sha256'> | undefined,
  after: Pick<LoadedConfig, 'config' | 'file' | 'sha256'>,
  env: NodeJS.ProcessEnv,
): string[] {
  try {
    const next = generate(after, { env });
    const current = before ? new Map([...generate(before, { env })].map(([p, f]) => [p, f.content])) : new Map<string, string>();
    return diffFiles(current, next).changes;
  } catch (error) {
    return [`(the generated configuration cannot be compared: ${(error as Error).message})`];
  }
}
