/**
 * `apply`: write, reload, verify, and roll back on any failure.
 *
 * 1. generate (a config that does not load never gets here: nothing is touched);
 * 2. skip everything when the files on disk are already these (unless forced);
 * 3. keep the previous files in DIR/.previous/, write the new ones atomically;
 * 4. reload Prometheus and Alertmanager: by SIGHUP through the running `traderadmin up` that
 *    owns them (its pid file, data/up.pid), so neither needs its HTTP lifecycle API; else by
 *    POST /-/reload (a Prometheus the user runs with --web.enable-lifecycle). The bridge gets
 *    POST /-/reload (JSON, with its token) when it runs;
 * 5. confirm prometheus_config_last_reload_successful and
 *    alertmanager_config_last_reload_successful are 1 (after a signal: that the reload
 *    timestamps moved) and that the rules API serves the new rules (names, severities and
 *    descriptions, which carry the thresholds);
 * 6. on any failure put the previous files back and reload again.
 */
import { mkdirSync, rmSync, writeFileSync, chmodSync, renameSync } from 'node:fs';
import path from 'node:path';
import { engineFetch, livePid, readLocalToken, upPidFile, type LoadedConfig } from '@traderadmin/config';
import { diffFiles, type DiffResult } from './diff.js';
import { generate, type GeneratedFile, type GeneratedFiles } from './generate.js';
import { connectAddress } from './model.js';
import { readGenerated, writeGenerated } from './write.js';
import { yaml } from './yaml.js';

export interface ApplyOptions {
  /** Folder Prometheus and Alertmanager read their files from. */
  out: string;
  /** @default http://<prometheus.listen> */
  prometheusUrl?: string;
  /** @default http://<alertmanager.listen> */
  alertmanagerUrl?: string;
  /** @default http://<alert_bridge.listen>; reloaded only when it answers. */
  bridgeUrl?: string;
  /** Reload and verify even when the files are unchanged. */
  force?: boolean;
  fetch?: typeof fetch;
  log?: (line: string) => void;
  /** How long to wait for each confirmation. @default 10000 */
  confirmTimeoutMs?: number;
  env?: NodeJS.ProcessEnv;
  /** Pid file of the `traderadmin up` that owns Prometheus and Alertmanager. @default data/up.pid (found from the config file) */
  upPidFile?: string;
}

export interface ApplyResult {
  ok: boolean;
  /** False when nothing needed to change. */
  changed: boolean;
  rolledBack: boolean;
  diff: DiffResult;
  /** What happened, step by step. */
  steps: string[];
  error?: string;
}

export const PREVIOUS_DIR = '.previous';

class StepError extends Error {}

/** Default URLs of the parts, from config.toml listen addresses. */
export function defaultUrls(c: LoadedConfig['config']): { prometheusUrl: string; alertmanagerUrl: string; bridgeUrl: string } {
  return {
    prometheusUrl: `http://${connectAddress(c.prometheus.listen)}`,
    alertmanagerUrl: `http://${connectAddress(c.alertmanager.listen)}`,
    bridgeUrl: `http://${connectAddress(c.alert_bridge.listen)}`,
  };
}

function asGenerated(files: ReadonlyMap<string, string>): GeneratedFiles {
  return new Map<string, GeneratedFile>(
    [...files].map(([p, content]) => [p, { content, mode: p.startsWith('secrets/') ? 0o600 : 0o644, secret: p.startsWith('secrets/') }]),
  );
}

/** Keeps a copy of the current generated files in DIR/.previous/ (replacing an older copy). */
function keepPrevious(dir: string, current: ReadonlyMap<string, string>): void {
  const target = path.join(dir, PREVIOUS_DIR);
  const staging = `${target}.tmp-${process.pid}`;
  rmSync(staging, { recursive: true, force: true });
  for (const [rel, text] of current) {
    const file = path.join(staging, rel);
    mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
    writeFileSync(file, text, { mode: rel.startsWith('secrets/') ? 0o600 : 0o644 });
    chmodSync(file, rel.startsWith('secrets/') ? 0o600 : 0o644);
  }
  mkdirSync(staging, { recursive: true, mode: 0o700 });
  rmSync(target, { recursive: true, force: true });
  renameSync(staging, target);
}

/** Value of an unlabelled metric in a Prometheus text exposition. */
export function metricValue(text: string, name: string): number | undefined {
  const m = new RegExp(`^${name}(?:\\{[^}]*\\})?\\s+(\\S+)`, 'm').exec(text);
  return m ? Number(m[1]) : undefined;
}

/** Applies a loaded config. Never throws for a failed step: the result says what happened. */
export async function applyConfig(loaded: Pick<LoadedConfig, 'config' | 'sha256' | 'file'>, options: ApplyOptions): Promise<ApplyResult> {
  const log = options.log ?? (() => {});
  const urls = { ...defaultUrls(loaded.config), ...strip(options) };
  const timeout = options.confirmTimeoutMs ?? 10_000;
  const steps: string[] = [];
  const step = (line: string) => {
    steps.push(line);
    log(line);
  };
  // The config's own token, else the local one of `traderadmin up` (for the bridge and for alertmanager.yml).
  const localToken = readLocalToken(loaded, options.env);
  const bridgeToken = loaded.config.alert_bridge.auth_token?.reveal(options.env) ?? localToken;
  // The new config's credential: the web config written below takes effect with the next request.
  const f = engineFetch({ urls: () => [urls.prometheusUrl, urls.alertmanagerUrl], password: () => bridgeToken, fetch: options.fetch });

  const files = generate(loaded, { env: options.env, localToken });
  const current = readGenerated(options.out);
  const diff = diffFiles(current, files);
  if (!diff.changed && !options.force) {
    step(`${options.out} is up to date: nothing to apply`);
    return { ok: true, changed: false, rolledBack: false, diff, steps };
  }

  const post = async (name: string, url: string, optional = false, token?: string): Promise<boolean> => {
    let res: Response;
    try {
      res = await f(`${url}/-/reload`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
        signal: AbortSignal.timeout(timeout),
      });
    } catch (error) {
      if (optional) {
        step(`${name} not running at ${url}: skipped`);
        return false;
      }
      throw new StepError(`cannot reach ${name} at ${url} (${(error as Error).cause ?? (error as Error).message})`);
    }
    if (!res.ok) {
      const body = (await res.text().catch(() => '')).trim().slice(0, 500);
      const hint =
        res.status === 403 || res.status === 404 || res.status === 405
          ? `; run it under traderadmin up (reloads by signal), or start ${name} with --web.enable-lifecycle`
          : '';
      throw new StepError(`${name} rejected the reload: HTTP ${res.status}${body ? ` ${body}` : ''}${hint}`);
    }
    step(`${name} reloaded`);
    return true;
  };

  const confirm = async (name: string, url: string, metric: string) => {
    const deadline = Date.now() + timeout;
    for (;;) {
      const text = await f(`${url}/metrics`, { signal: AbortSignal.timeout(timeout) })
        .then((r) => r.text())
        .catch(() => '');
      const v = metricValue(text, metric);
      if (v === 1) {
        step(`${name}: ${metric} = 1`);
        return;
      }
      if (v === 0 || Date.now() > deadline)
        throw new StepError(`${name}: ${metric} = ${v ?? 'unknown'}: it did not load the new configuration`);
      await new Promise((r) => setTimeout(r, 200));
    }
  };

  const confirmRules = async () => {
    const want = expectedRules(files);
    const deadline = Date.now() + timeout;
    let missing: string[] = [];
    for (;;) {
      const body = (await f(`${urls.prometheusUrl}/api/v1/rules`, { signal: AbortSignal.timeout(timeout) })
        .then((r) => r.json())
        .catch(() => undefined)) as { data?: { groups?: Array<{ rules: Array<Record<string, unknown>> }> } } | undefined;
      const have = new Set(
        (body?.data?.groups ?? []).flatMap((g) =>
          g.rules.map((r) =>
            ruleKey(r.name, (r.labels as Record<string, string>)?.severity, (r.annotations as Record<string, string>)?.description),
          ),
        ),
      );
      missing = want.filter((w) => !have.has(w));
      if (missing.length === 0) {
        step(`Prometheus serves the ${want.length} new rules`);
        return;
      }
      if (Date.now() > deadline)
        throw new StepError(`Prometheus does not serve the new rules: ${missing.length} missing (${missing[0].split('\u0000')[0]} …)`);
      await new Promise((r) => setTimeout(r, 200));
    }
  };

  const PROM = ['Prometheus', urls.prometheusUrl, 'prometheus_config_last_reload'] as const;
  const AM = ['Alertmanager', urls.alertmanagerUrl, 'alertmanager_config_last_reload'] as const;
  const metricsOf = (url: string) =>
    f(`${url}/metrics`, { signal: AbortSignal.timeout(timeout) })
      .then((r) => r.text())
      .catch(() => '');
  // After a signal the reload is asynchronous: it is done when its success timestamp moves (or it failed).
  const confirmSignalled = async ([name, url, prefix]: typeof PROM | typeof AM, before: number | undefined) => {
    const deadline = Date.now() + timeout;
    for (;;) {
      const text = await metricsOf(url);
      const at = metricValue(text, `${prefix}_success_timestamp_seconds`);
      if (metricValue(text, `${prefix}_successful`) === 0)
        throw new StepError(`${name}: ${prefix}_successful = 0: it did not load the new configuration`);
      if (at !== undefined && before !== undefined && at > before) {
        step(`${name}: ${prefix}_successful = 1`);
        return;
      }
      if (Date.now() > deadline) throw new StepError(`${name} did not reload within ${timeout / 1000} s of the signal`);
      await new Promise((r) => setTimeout(r, 100));
    }
  };
  const pidFile = options.upPidFile ?? upPidFile(loaded, options.env);
  /** Prometheus and Alertmanager: through the owner's SIGHUP when `up` runs, else their HTTP reload. */
  const reloadPair = async () => {
    const owner = livePid(pidFile);
    if (owner === undefined) {
      // Both get their reload even when one fails (a rollback needs both).
      const results = await Promise.allSettled([post(PROM[0], PROM[1]), post(AM[0], AM[1])]);
      for (const r of results) if (r.status === 'rejected') throw r.reason;
      return false;
    }
    const before = await Promise.all(
      [PROM, AM].map(async ([, url, prefix]) => metricValue(await metricsOf(url), `${prefix}_success_timestamp_seconds`)),
    );
    process.kill(owner, 'SIGHUP');
    step(`asked traderadmin up (pid ${owner}) to reload Prometheus and Alertmanager (SIGHUP)`);
    await confirmSignalled(PROM, before[0]);
    await confirmSignalled(AM, before[1]);
    return true;
  };

  const reloadAll = async () => {
    const signalled = await reloadPair();
    await post('the alert bridge', urls.bridgeUrl, true, bridgeToken);
    if (signalled) return;
    await confirm('Prometheus', urls.prometheusUrl, 'prometheus_config_last_reload_successful');
    await confirm('Alertmanager', urls.alertmanagerUrl, 'alertmanager_config_last_reload_successful');
  };

  keepPrevious(options.out, current);
  step(`previous files kept in ${path.join(options.out, PREVIOUS_DIR)}`);
  const written = writeGenerated(options.out, files);
  step(`wrote ${written.written.length} files to ${options.out}`);
  try {
    await reloadAll();
    await confirmRules();
    return { ok: true, changed: true, rolledBack: false, diff, steps };
  } catch (error) {
    const message = error instanceof StepError ? error.message : (error as Error).message;
    step(`failed: ${message}; rolling back`);
    try {
      if (current.size > 0) {
        writeGenerated(options.out, asGenerated(current));
        step('previous files restored');
        // Every part gets its reload even when another one fails.
        const failures: string[] = [];
        await reloadPair().catch((e: Error) => failures.push(e.message));
        await post('the alert bridge', urls.bridgeUrl, true, bridgeToken).catch((e: Error) => failures.push(e.message));
        if (failures.length) step(`rollback reloads failed: ${failures.join('; ')}`);
        else step('rolled back: the previous configuration is running');
      } else {
        for (const rel of files.keys()) rmSync(path.join(options.out, rel), { force: true });
        step('no previous files: the new files were removed');
      }
    } catch (rollbackError) {
      step(`rollback reload failed too: ${(rollbackError as Error).message}`);
    }
    return { ok: false, changed: true, rolledBack: true, diff, steps, error: message };
  }
}

function strip(o: ApplyOptions): Partial<Record<'prometheusUrl' | 'alertmanagerUrl' | 'bridgeUrl', string>> {
  const out: Partial<Record<'prometheusUrl' | 'alertmanagerUrl' | 'bridgeUrl', string>> = {};
  for (const k of ['prometheusUrl', 'alertmanagerUrl', 'bridgeUrl'] as const) if (o[k]) out[k] = o[k]!.replace(/\/+$/, '');
  return out;
}

function ruleKey(name: unknown, severity: unknown, description: unknown): string {
  return [String(name), String(severity ?? ''), String(description ?? '')].join('\u0000');
}

/** name + severity + description of every rule in the generated rules.yml. */
function expectedRules(files: GeneratedFiles): string[] {
  const doc = yaml().parse(files.get('rules.yml')?.content ?? '') as { groups: Array<{ rules: Array<Record<string, unknown>> }> };
  return doc.groups.flatMap((g) =>
    g.rules.map((r) =>
      ruleKey(
        r.alert ?? r.record,
        (r.labels as Record<string, string> | undefined)?.severity,
        (r.annotations as Record<string, string> | undefined)?.description,
      ),
    ),
  );
}
