/**
 * Runs the parts of the local stack as child processes: starts them in order, waits until
 * each answers, prefixes their output, and stops them all in reverse order on Ctrl-C or
 * when one of them dies. Nothing here knows what the parts are; up.ts says that.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';

export interface ServiceSpec {
  /** Short name shown before each output line, e.g. "exporter". */
  name: string;
  command: string;
  args: string[];
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  /** Resolves when the service answers; rejects to fail the start. */
  ready: () => Promise<boolean>;
  /** Where the user looks, printed once everything is up. */
  url?: string;
}

export interface SupervisorOptions {
  log: (line: string) => void;
  /** How long one service may take to become ready. @default 60_000 */
  readyTimeoutMs?: number;
}

interface Running {
  spec: ServiceSpec;
  child: ChildProcess;
  exited: Promise<number | null>;
}

export class Supervisor {
  private readonly running: Running[] = [];
  private stopping = false;
  private stopped?: Promise<void>;
  private readonly died: Promise<string>;
  private reportDeath!: (message: string) => void;

  constructor(private readonly options: SupervisorOptions) {
    this.died = new Promise((resolve) => (this.reportDeath = resolve));
  }

  /** Starts one service and waits until it is ready; throws with its last output if it is not. */
  async start(spec: ServiceSpec): Promise<void> {
    const child = spawn(spec.command, spec.args, { cwd: spec.cwd, env: spec.env ?? process.env, stdio: ['ignore', 'pipe', 'pipe'] });
    const tail: string[] = [];
    const pad = spec.name.padEnd(12);
    for (const stream of [child.stdout, child.stderr]) {
      createInterface({ input: stream! }).on('line', (line) => {
        tail.push(line);
        if (tail.length > 30) tail.shift();
        this.options.log(`${pad}| ${line}`);
      });
    }
    const exited = new Promise<number | null>((resolve) => {
      child.once('exit', (code, signal) => {
        if (!this.stopping) this.reportDeath(`${spec.name} exited unexpectedly (${signal ?? `code ${code}`})`);
        resolve(code);
      });
      child.once('error', (error) => {
        if (!this.stopping) this.reportDeath(`${spec.name} could not start: ${error.message}`);
        resolve(null);
      });
    });
    this.running.push({ spec, child, exited });

    const deadline = Date.now() + (this.options.readyTimeoutMs ?? 60_000);
    for (;;) {
      if (this.stopping) throw new Error(`${spec.name} start interrupted`);
      if (child.exitCode !== null || child.signalCode !== null) {
        throw new Error(`${spec.name} stopped before it was ready (${child.signalCode ?? `code ${child.exitCode}`})`);
      }
      if (await spec.ready().catch(() => false)) return;
      if (Date.now() > deadline) throw new Error(`${spec.name} did not become ready in time`);
      await new Promise((r) => setTimeout(r, 200));
    }
  }

  /** Sends a signal to a running service (SIGHUP: Prometheus and Alertmanager reload); false when it is not running. */
  signal(name: string, signal: NodeJS.Signals): boolean {
    const r = this.running.find((x) => x.spec.name === name);
    if (!r || r.child.exitCode !== null || r.child.signalCode !== null) return false;
    return r.child.kill(signal);
  }

  /** Resolves with a reason when a service dies on its own. */
  whenOneDies(): Promise<string> {
    return this.died;
  }

  /** Stops every service in reverse start order: SIGTERM, then SIGKILL after the grace period. Idempotent. */
  stopAll(graceMs = 10_000): Promise<void> {
    this.stopping = true;
    this.stopped ??= this.stopInOrder(graceMs);
    return this.stopped;
  }

  private async stopInOrder(graceMs: number): Promise<void> {
    for (const { spec, child, exited } of [...this.running].reverse()) {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        const timer = setTimeout(() => {
          this.options.log(`${spec.name} did not stop within ${graceMs / 1000} s: killing it`);
          child.kill('SIGKILL');
        }, graceMs);
        await exited;
        clearTimeout(timer);
      }
    }
    this.running.length = 0;
  }
}

/** A readiness probe: true when GET url answers 2xx. */
export function httpReady(url: string): () => Promise<boolean> {
  return async () => {
    const res = await fetch(url, { signal: AbortSignal.timeout(2000) });
    await res.body?.cancel();
    return res.ok;
  };
}
