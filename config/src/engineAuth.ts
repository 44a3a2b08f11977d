/**
 * Prometheus's and Alertmanager's own HTTP APIs ask for basic auth (their --web.config.file), so
 * neither a DNS-rebinding page nor a local process without the credential can read Prometheus or
 * create a silence through Alertmanager. This is the one module that knows the credential: the
 * user `traderadmin` with, as password, the config's own alert_bridge.auth_token when set, else
 * the local token of `traderadmin up` (the bridge's rule). The generated web config and
 * prometheus.yml, the CLI, the page and the bridge all take it from here.
 */
import { createHmac } from 'node:crypto';
import bcrypt from 'bcryptjs';
import { apiToken } from './localToken.js';
import type { LoadedConfig } from './load.js';

export const ENGINE_USER = 'traderadmin';

/** bcrypt cost: Prometheus and Alertmanager cache a successful check, so one hash per new connection at most. */
const BCRYPT_COST = 10;

/** The engines' password for a config, or undefined when there is no token (then their APIs stay open). */
export function enginePassword(loaded: Pick<LoadedConfig, 'file' | 'config'>, env: NodeJS.ProcessEnv = process.env): string | undefined {
  return apiToken(loaded, 'bridge', env);
}

/** The Authorization header value for the engines. */
export const engineAuthorization = (password: string) => `Basic ${Buffer.from(`${ENGINE_USER}:${password}`).toString('base64')}`;

const hashes = new Map<string, string>();

/**
 * The --web.config.file of Prometheus and Alertmanager (exporter-toolkit's format). The salt is
 * derived from the password, so the same token gives the same bytes and `generate` stays
 * deterministic (diff and apply see no change). A salt exists to defeat tables precomputed for
 * human passwords; the local token is 256 random bits, and the file is 0600 anyway.
 */
export function webConfigYaml(password: string): string {
  let hash = hashes.get(password);
  if (!hash) {
    const seed = createHmac('sha256', password).update('traderadmin web config salt').digest();
    hash = bcrypt.hashSync(password, `$2b$${BCRYPT_COST}$${bcrypt.encodeBase64([...seed.subarray(0, 16)], 16)}`);
    hashes.clear(); // one entry: the password of this stack
    hashes.set(password, hash);
  }
  return [
    '# Basic auth of this stack (user traderadmin, the local token as password). Written by traderadmin generate.',
    'basic_auth_users:',
    `  ${ENGINE_USER}: ${hash}`,
    '',
  ].join('\n');
}

export interface EngineFetchOptions {
  /** The Prometheus and Alertmanager URLs the credential is for; requests to other origins pass unchanged. */
  urls: () => ReadonlyArray<string | undefined>;
  /** The password (enginePassword); read at each call, so a reloaded config is followed. */
  password: () => string | undefined;
  fetch?: typeof fetch;
}

/** A fetch that sends the engines' credential to Prometheus and Alertmanager, and only to them. */
export function engineFetch(options: EngineFetchOptions): typeof fetch {
  const base = options.fetch ?? fetch;
  return (input, init) => {
    const password = options.password();
    if (!password) return base(input, init);
    const target = new URL(input instanceof Request ? input.url : String(input)).origin;
    const ours = options.urls().some((u) => u !== undefined && new URL(u).origin === target);
    const headers = new Headers(init?.headers ?? (input instanceof Request ? input.headers : undefined));
    if (!ours || headers.has('authorization')) return base(input, init);
    headers.set('authorization', engineAuthorization(password));
    return base(input, { ...init, headers });
  };
}
