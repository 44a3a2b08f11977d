/**
 * Config reload: the new file is loaded and its notifiers built before anything changes; on any
 * error the running config stays and the problems (redacted) are the answer.
 */
import { ConfigError, formatProblem, loadConfig, type Config, type LoadedConfig } from '@traderadmin/config';
import type { ReloadResult } from '../http/server.js';
import type { Logger } from '@traderadmin/kit';
import type { LiveConfig, Notifiers } from './live.js';
import type { BridgeSecrets } from './redaction.js';

export interface ReloadDeps {
  live: LiveConfig;
  secrets: BridgeSecrets;
  env: NodeJS.ProcessEnv;
  logger: Logger;
  buildNotifiers: (config: Config) => Notifiers;
  /** After the swap: what depends on the config but is not read through LiveConfig (the Telegram bot). */
  restart: (config: Config) => Promise<void>;
  /** Tells the delivery worker the notifiers changed. */
  wake: () => void;
}

export async function reloadConfig(d: ReloadDeps): Promise<ReloadResult> {
  const { live, logger } = d;
  const redact = (texts: string[]) => texts.map((p) => d.secrets.redactor.redact(p));
  let next: LoadedConfig;
  try {
    next = loadConfig(live.loaded.file, { env: d.env });
  } catch (error) {
    const problems =
      error instanceof ConfigError ? error.problems.filter((p) => p.severity === 'error').map(formatProblem) : [(error as Error).message];
    logger.warn('config reload rejected; keeping the running config', { problems: problems.length });
    return { ok: false, problems: redact(problems), warnings: [] };
  }
  let nextNotifiers: Notifiers;
  try {
    nextNotifiers = d.buildNotifiers(next.config);
  } catch (error) {
    const errs = error instanceof AggregateError ? error.errors.map((e: Error) => e.message) : [(error as Error).message];
    return { ok: false, problems: redact(errs), warnings: [] };
  }
  const warnings = next.warnings.map(formatProblem);
  if (next.config.alert_bridge.listen !== live.config.alert_bridge.listen)
    warnings.push('alert_bridge.listen changed: takes effect after a restart');
  if (next.config.alert_bridge.data_dir !== live.config.alert_bridge.data_dir)
    warnings.push('alert_bridge.data_dir changed: takes effect after a restart');
  const old = live.notifiers;
  live.notifiers = nextNotifiers;
  live.loaded = next;
  d.secrets.use(next);
  for (const n of old.values()) await n.close().catch(() => undefined);
  await d.restart(next.config);
  logger.info('config reloaded', { sha256: next.sha256.slice(0, 12), channels: [...live.notifiers.keys()] });
  d.wake();
  return { ok: true, sha256: next.sha256, problems: [], warnings };
}
