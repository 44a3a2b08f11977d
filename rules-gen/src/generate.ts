/**
 * The pure part of the pipeline: a loaded config in, every generated file out (path →
 * content, sorted, deterministic). Writing is separate (write.ts), so that validate, diff,
 * apply and the alerts configuration page can all generate without touching the disk.
 */
import { webConfigYaml, type LoadedConfig } from '@traderadmin/config';
import { alertmanagerYaml, stackToken } from './alertmanager.js';
import { buildModel } from './model.js';
import { prometheusYaml, type SecretFile } from './prometheus.js';
import { rulesYaml } from './rules.js';
import { testFiles } from './tests.js';

export interface GeneratedFile {
  content: string;
  /** File mode: 0o600 for secrets, 0o644 otherwise. */
  mode: number;
  /** True for files that hold a credential: never print, log or diff their content. */
  secret: boolean;
}

/** path relative to the output folder → file, in sorted path order. */
export type GeneratedFiles = ReadonlyMap<string, GeneratedFile>;

export interface GenerateOptions {
  /** Environment that env: secrets are read from. @default process.env */
  env?: NodeJS.ProcessEnv;
  /**
   * The local token of `traderadmin up`; Alertmanager sends it to the bridge (from a 0600 file
   * beside alertmanager.yml) when alert_bridge.auth_token is unset. @default none
   */
  localToken?: string;
}

/** The --web.config.file `traderadmin up` starts Prometheus and Alertmanager with, when there is a token. */
export const WEB_CONFIG_FILE = 'secrets/web.yml';

/** The main files, in the order progress is reported. */
export const MAIN_FILES = ['prometheus.yml', 'rules.yml', 'alertmanager.yml'] as const;

/** Generates every file for a validated config. Deterministic: same input, same bytes. */
export function generate(loaded: Pick<LoadedConfig, 'config' | 'sha256' | 'file'>, options: GenerateOptions = {}): GeneratedFiles {
  const model = buildModel(loaded);
  const files = new Map<string, GeneratedFile>();
  const plain = (content: string): GeneratedFile => ({ content, mode: 0o644, secret: false });
  const engine = stackToken(model.config, options.localToken);
  const prom = prometheusYaml(model, engine);
  const am = alertmanagerYaml(model, options.localToken);
  files.set('prometheus.yml', plain(prom.text));
  files.set('rules.yml', plain(rulesYaml(model)));
  files.set('alertmanager.yml', plain(am.text));
  for (const [path, text] of testFiles(model)) files.set(path, plain(text));
  const secrets: SecretFile[] = [...prom.secrets, ...am.secrets];
  for (const s of secrets) files.set(s.path, { content: `${s.secret.reveal(options.env)}\n`, mode: 0o600, secret: true });
  // Prometheus's and Alertmanager's --web.config.file: basic auth with the stack's token.
  if (engine) files.set(WEB_CONFIG_FILE, { content: webConfigYaml(engine.reveal(options.env)), mode: 0o600, secret: true });
  return new Map([...files.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
