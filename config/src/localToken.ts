/**
 * The local credential: a random token `traderadmin up` creates on first start, in a file only
 * the user can read (data/secrets/token, mode 0600). Without it even a local process cannot
 * silence, forge alerts or post events: the bridge and the exporter's events API require it
 * unless config.toml names a token of its own (alert_bridge.auth_token, exporter.events_token),
 * which takes its place. Every `traderadmin` command finds the file by itself, from the config
 * file's location, so the user never copies it anywhere.
 */
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { LoadedConfig } from './load.js';

/** Set by `traderadmin up --data-dir` for the parts it starts: where the token file is. */
export const LOCAL_TOKEN_ENV = 'TRADERADMIN_TOKEN_FILE';

/** The token file's path inside a data folder. */
export const tokenFileIn = (dataDir: string) => path.join(dataDir, 'secrets', 'token');

/** Where the token of this config's stack lives: $TRADERADMIN_TOKEN_FILE, else data/secrets/token beside the config folder. */
export function localTokenFile(loaded: Pick<LoadedConfig, 'file'>, env: NodeJS.ProcessEnv = process.env): string {
  return env[LOCAL_TOKEN_ENV] || tokenFileIn(path.join(path.dirname(loaded.file), '..', 'data'));
}

/** The local token, or undefined when there is none (the stack was never started with `up`). */
export function readLocalToken(loaded: Pick<LoadedConfig, 'file'>, env: NodeJS.ProcessEnv = process.env): string | undefined {
  try {
    const token = readFileSync(localTokenFile(loaded, env), 'utf8').trim();
    return token || undefined;
  } catch {
    return undefined;
  }
}

/** Creates the token file when missing (0600 in a 0700 folder) and tightens a loose one; returns the token. */
export function ensureLocalToken(file: string): { token: string; created: boolean } {
  mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  try {
    writeFileSync(file, `${randomBytes(32).toString('base64url')}\n`, { flag: 'wx', mode: 0o600 });
    return { token: readFileSync(file, 'utf8').trim(), created: true };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  if ((statSync(file).mode & 0o077) !== 0) chmodSync(file, 0o600);
  const token = readFileSync(file, 'utf8').trim();
  if (token.length < 16) throw new Error(`${file} holds no usable token (at least 16 characters): delete it and start again`);
  return { token, created: false };
}

/**
 * The token the bridge's API (`bridge`) or the exporter's events API (`events`) requires: the
 * config's own when set, else the local token, else none. Throws, naming the variable or file,
 * when the config's own secret cannot be read.
 */
export function apiToken(loaded: Pick<LoadedConfig, 'file' | 'config'>, which: 'bridge' | 'events', env: NodeJS.ProcessEnv = process.env) {
  const own = which === 'bridge' ? loaded.config.alert_bridge.auth_token : loaded.config.exporter.events_token;
  return own ? own.reveal(env) : readLocalToken(loaded, env);
}

/** The pid file of the running `traderadmin up` (data/up.pid, beside data/secrets/): SIGHUP to it reloads Prometheus and Alertmanager. */
export function upPidFile(loaded: Pick<LoadedConfig, 'file'>, env: NodeJS.ProcessEnv = process.env): string {
  return path.join(path.dirname(path.dirname(localTokenFile(loaded, env))), 'up.pid');
}

/** The pid in a pid file when that process is alive, else undefined. */
export function livePid(file: string): number | undefined {
  let pid: number;
  try {
    pid = Number(readFileSync(file, 'utf8').trim());
  } catch {
    return undefined;
  }
  if (!Number.isInteger(pid) || pid <= 1) return undefined;
  try {
    process.kill(pid, 0);
    // A stale file whose pid now belongs to another program must not get a signal (SIGHUP ends most).
    const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
    return cmdline.includes('traderadmin') ? pid : undefined;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT' && !existsSync('/proc/self')) return pid; // no /proc (macOS)
    // ESRCH: gone; EPERM: alive but someone else's; not ours to signal.
    return undefined;
  }
}
