/**
 * A running alerts page on a real stack, for the page's tests and the Cucumber steps: a
 * config.toml in a temporary folder (config.example.toml with free loopback ports), real
 * Prometheus and Alertmanager running the generated configuration, optionally the real alert
 * bridge with a real SMTP test server, and the page server itself.
 *
 *   const h = await startPageHarness({ bridge: true });
 *   // open h.url in a browser …
 *   await h.stop();
 */
import { loadConfig } from '@traderadmin/config';
import { DEFAULT_TEST_MESSAGE, startBridge, type Logger, type RunningBridge } from '@traderadmin/alert-bridge';
import {
  freePort,
  startGeneratedStack,
  startSmtpPeer,
  type GeneratedStack,
  type ManagedProcess,
  type SmtpPeer,
} from '@traderadmin/test-support';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startAlertsPage, type RunningPage } from '../src/server.js';
import { patchToml, type TomlEdit } from '../src/tomlPatch.js';

const EXAMPLE = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../config/config.example.toml');

export interface PageHarnessOptions {
  /** Edits on top of the harness's config (ports and folders are set already). */
  edits?: TomlEdit[];
  /** Start the real alert bridge with email pointing at a real SMTP test server. @default false */
  bridge?: boolean;
  /** With the bridge: whether email starts enabled (false: configured, for the user to enable). @default true */
  emailEnabled?: boolean;
  /** Environment for env: secrets (the page's, the bridge's and rules-gen's). @default {} */
  env?: NodeJS.ProcessEnv;
  /** Set alerts_page.auth_token (through env:ALERTS_PAGE_TOKEN) to this token. */
  token?: string;
  /** Log entries of the page server. @default nothing */
  logger?: Logger;
}

export interface PageHarness {
  /** The page, http://127.0.0.1:PORT/ */
  url: string;
  page: RunningPage;
  /** The config.toml the page edits. */
  configFile: string;
  /** Folder of everything (config, generated files, history, data). */
  dir: string;
  /** Where the generated Prometheus/Alertmanager files live. */
  outDir: string;
  historyDir: string;
  prometheus: ManagedProcess;
  alertmanager: ManagedProcess;
  bridge?: RunningBridge;
  smtp?: SmtpPeer;
  env: NodeJS.ProcessEnv;
  /**
   * The test alerts the SMTP server got. The stack has no exporter, so ExporterDown really fires
   * in it and may be mailed too: tests look for theirs among what arrived.
   */
  testMails(): SmtpPeer['mails'];
  /** The config file's text now. */
  configText(): string;
  /** Stops everything and removes the folder. */
  stop(): Promise<void>;
}

const p = (...parts: string[]) => parts;

/** The bridge's log lines, kept for failure messages instead of printed. */
function quietLogger(lines: string[]): Logger {
  const write = (level: string) => (msg: string, fields?: object) => void lines.push(`${level} ${msg} ${JSON.stringify(fields ?? {})}`);
  const logger: Logger = { debug: write('debug'), info: write('info'), warn: write('warn'), error: write('error'), child: () => logger };
  return logger;
}

/** Starts the page on a fresh stack; see the module comment. */
export async function startPageHarness(options: PageHarnessOptions = {}): Promise<PageHarness> {
  const dir = mkdtempSync(path.join(tmpdir(), 'alerts-page-'));
  const configDir = path.join(dir, 'config');
  const outDir = path.join(dir, 'data', 'generated');
  const historyDir = path.join(dir, 'data', 'config-history');
  mkdirSync(configDir, { recursive: true });
  mkdirSync(outDir, { recursive: true });
  const env: NodeJS.ProcessEnv = { ...(options.env ?? {}) };
  // The exporter's port is free and stays so: nothing here runs an exporter, and a stray one
  // (a developer's `npm start`) must not be scraped. ExporterDown fires in this stack, as it would.
  const [promPort, amPort, bridgePort, exporterPort] = [await freePort(), await freePort(), await freePort(), await freePort()];
  const smtp = options.bridge ? await startSmtpPeer() : undefined;

  const edits: TomlEdit[] = [
    { path: p('exporter', 'listen'), value: `127.0.0.1:${exporterPort}` },
    { path: p('prometheus', 'listen'), value: `127.0.0.1:${promPort}` },
    { path: p('alertmanager', 'listen'), value: `127.0.0.1:${amPort}` },
    { path: p('alert_bridge', 'listen'), value: `127.0.0.1:${bridgePort}` },
    { path: p('alert_bridge', 'data_dir'), value: '../data/alert-bridge' },
    { path: p('alerts_page', 'history_dir'), value: '../data/config-history' },
  ];
  if (smtp) {
    edits.push(
      { path: p('alerts_config', 'notifications', 'email', 'enabled'), value: options.emailEnabled ?? true },
      { path: p('alerts_config', 'notifications', 'email', 'recipients'), value: ['trader@example.com'] },
      { path: p('alerts_config', 'notifications', 'email', 'smtp_host'), value: smtp.host },
      { path: p('alerts_config', 'notifications', 'email', 'smtp_port'), value: smtp.port },
      { path: p('alerts_config', 'notifications', 'email', 'smtp_tls'), value: 'none' },
      { path: p('alerts_config', 'notifications', 'email', 'smtp_user'), remove: true },
      { path: p('alerts_config', 'notifications', 'email', 'smtp_password'), remove: true },
    );
  }
  if (options.token !== undefined) {
    env.ALERTS_PAGE_TOKEN = options.token;
    edits.push({ path: p('alerts_page', 'auth_token'), value: 'env:ALERTS_PAGE_TOKEN' });
  }
  edits.push(...(options.edits ?? []));
  const configFile = path.join(configDir, 'config.toml');
  writeFileSync(configFile, patchToml(readFileSync(EXAMPLE, 'utf8'), edits));

  const started: Array<() => Promise<void>> = [];
  const stopAll = async () => {
    for (const stop of started.reverse()) await stop().catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    const loaded = loadConfig(configFile, { env });
    // Writes the generated files to <dir>/data/generated, which is outDir.
    const stack = await startGeneratedStack(loaded, path.join(dir, 'data'), {
      alertmanagerPort: amPort,
      prometheusPort: promPort,
      generate: { env },
    });
    started.push(() => stack.stop());
    const { alertmanager, prometheus } = stack as Required<GeneratedStack>;
    let bridge: RunningBridge | undefined;
    const bridgeLog: string[] = [];
    if (options.bridge) {
      bridge = await startBridge(loaded, { env, logger: quietLogger(bridgeLog), watchdogCheckMs: 0, providerTimeoutMs: 5000 });
      started.push(() => bridge!.close());
    }
    if (smtp) started.unshift(() => smtp.stop());
    const page = await startAlertsPage({ configFile, env, out: outDir, listen: '127.0.0.1:0', logger: options.logger });
    started.push(() => page.close());
    return {
      url: page.url,
      page,
      configFile,
      dir,
      outDir,
      historyDir,
      prometheus,
      alertmanager,
      bridge,
      smtp,
      env,
      testMails: () => (smtp?.mails ?? []).filter((m) => (m.parsed.text ?? '').includes(DEFAULT_TEST_MESSAGE)),
      configText: () => readFileSync(configFile, 'utf8'),
      stop: stopAll,
    };
  } catch (error) {
    if (smtp) await smtp.stop().catch(() => undefined);
    await stopAll();
    throw error;
  }
}
