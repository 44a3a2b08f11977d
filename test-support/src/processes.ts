/**
 * Real Prometheus and Alertmanager (Debian packages) started on free loopback ports, each
 * with its own data folder, and stopped cleanly. Output is kept for failure messages.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { freePort } from './ports.js';
import { waitFor } from './wait.js';

export const PROMETHEUS_BIN = process.env.PROMETHEUS_BIN ?? 'prometheus';
export const ALERTMANAGER_BIN = process.env.ALERTMANAGER_BIN ?? 'prometheus-alertmanager';

/** True when a binary is on PATH. */
export function haveBinary(name: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${name}`], { stdio: 'ignore' }).status === 0;
}

export interface ManagedProcess {
  readonly url: string;
  readonly port: number;
  readonly dir: string;
  readonly child: ChildProcess;
  /** Everything the process printed so far. */
  output(): string;
  /** SIGTERM, then SIGKILL after 5 s; removes the data folder unless keep is set. */
  stop(options?: { keep?: boolean }): Promise<void>;
}

function manage(child: ChildProcess, port: number, dir: string, ownsDir: boolean): ManagedProcess {
  let output = '';
  child.stdout?.on('data', (d) => (output += d));
  child.stderr?.on('data', (d) => (output += d));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    dir,
    child,
    output: () => output,
    async stop({ keep = false } = {}) {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
        await exited;
        clearTimeout(timer);
      }
      if (ownsDir && !keep) rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function waitReady(proc: ManagedProcess, name: string, timeoutMs = 30_000): Promise<void> {
  try {
    await waitFor(
      `${name} ready`,
      async () => {
        if (proc.child.exitCode !== null) throw new Error(`${name} exited with ${proc.child.exitCode}`);
        const res = await fetch(`${proc.url}/-/ready`);
        return res.ok;
      },
      { timeoutMs, intervalMs: 100 },
    );
  } catch (error) {
    await proc.stop();
    throw new Error(`${(error as Error).message}\n--- ${name} output ---\n${proc.output()}`);
  }
}

/** What starting either engine takes. */
interface EngineOptions {
  /** The engine's config file text; files it names relative to it are resolved against `dir`. */
  config: string;
  /** Extra files to write beside the config (rules, secrets). */
  files?: Record<string, string>;
  /** Use this folder instead of a fresh temporary one (kept on stop). */
  dir?: string;
  port?: number;
  /** Data folder. @default <dir>/data */
  storagePath?: string;
  /** More command-line flags, e.g. "--rules.alert.resend-delay=1s". */
  args?: string[];
}

/**
 * Writes the config and its files into the folder, starts `bin` on a loopback port with the
 * flags both engines take plus `own` (given the folder), and waits until it answers /-/ready.
 */
async function startEngine(
  engine: { name: string; bin: string; configFile: string; own: (dir: string) => string[] },
  options: EngineOptions,
): Promise<ManagedProcess> {
  const ownsDir = !options.dir;
  const dir = options.dir ?? mkdtempSync(path.join(tmpdir(), `${engine.name}-`));
  writeFileSync(path.join(dir, engine.configFile), options.config);
  for (const [name, text] of Object.entries(options.files ?? {})) writeFileSync(path.join(dir, name), text);
  const port = options.port ?? (await freePort());
  const args = [
    `--config.file=${path.join(dir, engine.configFile)}`,
    `--web.listen-address=127.0.0.1:${port}`,
    '--log.level=warn',
    ...engine.own(dir),
    ...(options.args ?? []),
  ];
  const proc = manage(spawn(engine.bin, args, { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] }), port, dir, ownsDir);
  await waitReady(proc, engine.name);
  return proc;
}

export type PrometheusOptions = EngineOptions;

export function startPrometheus(options: PrometheusOptions): Promise<ManagedProcess> {
  return startEngine(
    {
      name: 'prometheus',
      bin: PROMETHEUS_BIN,
      configFile: 'prometheus.yml',
      own: (dir) => [`--storage.tsdb.path=${options.storagePath ?? path.join(dir, 'data')}`, '--web.enable-lifecycle'],
    },
    options,
  );
}

export interface AlertmanagerOptions extends EngineOptions {
  /** Gossip with other members: this instance's cluster port and its peers' (HOST:PORT). @default a single instance */
  cluster?: { listen: string; peers: string[] };
}

export function startAlertmanager(options: AlertmanagerOptions): Promise<ManagedProcess> {
  return startEngine(
    {
      name: 'alertmanager',
      bin: ALERTMANAGER_BIN,
      configFile: 'alertmanager.yml',
      own: (dir) => [
        `--storage.path=${options.storagePath ?? path.join(dir, 'data')}`,
        // A single test instance unless asked: no gossip port to collide with other tests.
        `--cluster.listen-address=${options.cluster?.listen ?? ''}`,
        ...(options.cluster?.peers ?? []).map((peer) => `--cluster.peer=${peer}`),
      ],
    },
    options,
  );
}

/** Runs an instant PromQL query and returns the result vector. `headers`: the credential of a Prometheus that asks for one. */
export async function promQuery(
  prometheusUrl: string,
  query: string,
  headers?: Record<string, string>,
): Promise<Array<{ metric: Record<string, string>; value: [number, string] }>> {
  const res = await fetch(`${prometheusUrl}/api/v1/query?query=${encodeURIComponent(query)}`, { headers });
  const body = (await res.json()) as {
    status: string;
    error?: string;
    data: { result: Array<{ metric: Record<string, string>; value: [number, string] }> };
  };
  if (body.status !== 'success') throw new Error(`query ${query} failed: ${body.error}`);
  return body.data.result;
}

/**
 * Fails the test file at once, with what to run, when a binary it needs is missing. `npm test`
 * installs them, so a missing one is a broken setup: it must not pass as a skipped test.
 */
export function requireBinaries(...names: string[]): void {
  const missing = names.filter((name) => !haveBinary(name));
  if (missing.length > 0) {
    throw new Error(
      `${missing.join(', ')} not installed: run the tests with "npm test", which installs them (apt-get install prometheus prometheus-alertmanager chromium)`,
    );
  }
}
