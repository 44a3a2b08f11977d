/**
 * Runs the parts of the local stack as child processes, like a small service manager: starts
 * them in order and waits until each answers, prefixes their output, restarts a part that
 * exits with a doubling backoff (counted, logged, and flagged as crash looping when it keeps
 * dying), and stops them all in reverse order on Ctrl-C. Nothing here knows what the parts are;
 * up.ts says that.
 *
 * No part outlives the supervisor, even when it is killed with SIGKILL and runs no handler:
 * each part is started through `setpriv --pdeathsig TERM` (util-linux), so the kernel sends it
 * SIGTERM the moment the supervisor dies; Prometheus and Alertmanager need nothing of their own
 * for it. Node parts also poll their parent (TRADERADMIN_SUPERVISOR_PID, see orphan.ts), which
 * covers hosts without setpriv.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { SUPERVISOR_PID_ENV } from './orphan.js';

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
  /** First restart delay; it doubles on every quick death up to maxBackoffMs. @default 1000 */
  minBackoffMs?: number;
  /** @default 30_000 */
  maxBackoffMs?: number;
  /** A part that stayed up this long is healthy again: backoff and crash loop reset. @default 60_000 */
  stableMs?: number;
  /** This many restarts within crashLoopWindowMs make a crash loop. @default 5 */
  crashLoopRestarts?: number;
  /** @default 600_000 */
  crashLoopWindowMs?: number;
  /** Told when a part starts or stops crash looping (the metrics read state(), this is for logs). */
  onCrashLoop?: (name: string, looping: boolean) => void;
  /** Start parts through setpriv --pdeathsig. @default true when setpriv is on PATH */
  pdeathsig?: boolean;
  now?: () => number;
}

/** What the supervisor knows of one part, for /metrics. */
export interface PartState {
  name: string;
  up: boolean;
  restarts: number;
  crashLooping: boolean;
}

interface Part {
  spec: ServiceSpec;
  child: ChildProcess;
  exited: Promise<void>;
  startedAt: number;
  restarts: number;
  /** Quick deaths in a row: the exponent of the backoff. */
  failures: number;
  recentRestarts: number[];
  crashLooping: boolean;
  restartTimer?: NodeJS.Timeout;
  stableTimer?: NodeJS.Timeout;
  tail: string[];
  spawnError?: string;
}

let setprivAvailable: boolean | undefined;
/** True when util-linux's setpriv can set the parent-death signal here (Linux). */
export function haveSetpriv(): boolean {
  setprivAvailable ??= spawnSync('setpriv', ['--pdeathsig', 'TERM', '--', 'true'], { stdio: 'ignore' }).status === 0;
  return setprivAvailable;
}

export class Supervisor {
  private readonly parts: Part[] = [];
  private stopping = false;
  private stopped?: Promise<void>;
  private readonly o: Required<Omit<SupervisorOptions, 'onCrashLoop'>> & Pick<SupervisorOptions, 'onCrashLoop'>;

  constructor(options: SupervisorOptions) {
    this.o = {
      readyTimeoutMs: 60_000,
      minBackoffMs: 1000,
      maxBackoffMs: 30_000,
      stableMs: 60_000,
      crashLoopRestarts: 5,
      crashLoopWindowMs: 600_000,
      pdeathsig: options.pdeathsig ?? haveSetpriv(),
      now: Date.now,
      ...options,
    };
  }

  /** Starts one service and waits until it is ready; throws with its last output if it is not. */
  async start(spec: ServiceSpec): Promise<void> {
    const part: Part = {
      spec,
      child: undefined as unknown as ChildProcess,
      exited: Promise.resolve(),
      startedAt: 0,
      restarts: 0,
      failures: 0,
      recentRestarts: [],
      crashLooping: false,
      tail: [],
    };
    this.parts.push(part);
    this.spawn(part);

    const deadline = this.o.now() + this.o.readyTimeoutMs;
    for (;;) {
      if (this.stopping) throw new Error(`${spec.name} start interrupted`);
      const { child } = part;
      if (part.spawnError) throw new Error(`${spec.name} could not start: ${part.spawnError}`);
      if (child.exitCode !== null || child.signalCode !== null) {
        throw new Error(`${spec.name} stopped before it was ready (${child.signalCode ?? `code ${child.exitCode}`})`);
      }
      if (await spec.ready().catch(() => false)) {
        this.watch(part);
        return;
      }
      if (this.o.now() > deadline) throw new Error(`${spec.name} did not become ready in time`);
      await new Promise((r) => setTimeout(r, 200));
    }
  }

  /** Every part, for the supervisor's /metrics. */
  state(): PartState[] {
    return this.parts.map((p) => ({
      name: p.spec.name,
      up: p.child.exitCode === null && p.child.signalCode === null && p.restartTimer === undefined,
      restarts: p.restarts,
      crashLooping: p.crashLooping,
    }));
  }

  /** Sends a signal to a running service (SIGHUP: Prometheus and Alertmanager reload); false when it is not running. */
  signal(name: string, signal: NodeJS.Signals): boolean {
    const part = this.parts.find((p) => p.spec.name === name);
    if (!part || part.child.exitCode !== null || part.child.signalCode !== null) return false;
    return part.child.kill(signal);
  }

  /** Process ids of the running parts (tests kill them). */
  pids(): Record<string, number | undefined> {
    return Object.fromEntries(this.parts.map((p) => [p.spec.name, p.child.pid]));
  }

  /** Stops every service in reverse start order: SIGTERM, then SIGKILL after the grace period. Idempotent. */
  stopAll(graceMs = 10_000): Promise<void> {
    this.stopping = true;
    this.stopped ??= this.stopInOrder(graceMs);
    return this.stopped;
  }

  private spawn(part: Part): void {
    const { spec } = part;
    const env = { ...(spec.env ?? process.env), [SUPERVISOR_PID_ENV]: String(process.pid) };
    const [command, args] = this.o.pdeathsig
      ? ['setpriv', ['--pdeathsig', 'TERM', '--', spec.command, ...spec.args]]
      : [spec.command, spec.args];
    const child = spawn(command, args, { cwd: spec.cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    const pad = spec.name.padEnd(12);
    for (const stream of [child.stdout, child.stderr]) {
      createInterface({ input: stream! }).on('line', (line) => {
        part.tail.push(line);
        if (part.tail.length > 30) part.tail.shift();
        this.o.log(`${pad}| ${line}`);
      });
    }
    part.child = child;
    part.spawnError = undefined;
    part.startedAt = this.o.now();
    part.exited = new Promise<void>((resolve) => {
      child.once('exit', () => resolve());
      child.once('error', (error) => {
        part.spawnError = error.message;
        this.o.log(`${spec.name} could not start: ${error.message}`);
        resolve();
      });
    });
  }

  /** From now on, a death of this part restarts it. */
  private watch(part: Part): void {
    const { child } = part;
    const onDeath = (how: string) => {
      if (this.stopping || part.child !== child) return;
      clearTimeout(part.stableTimer);
      this.restartLater(part, how);
    };
    child.once('exit', (code, signal) => onDeath(signal ?? `code ${code}`));
    child.once('error', (error) => onDeath(error.message));
    // Still alive after stableMs: the next death starts again from the shortest backoff.
    part.stableTimer = setTimeout(() => {
      part.failures = 0;
      if (part.crashLooping) {
        part.crashLooping = false;
        this.o.log(`${part.spec.name} has stayed up ${Math.round(this.o.stableMs / 1000)} s: no longer crash looping`);
        this.o.onCrashLoop?.(part.spec.name, false);
      }
    }, this.o.stableMs);
    part.stableTimer.unref();
  }

  private restartLater(part: Part, how: string): void {
    const now = this.o.now();
    const delay = Math.min(this.o.maxBackoffMs, this.o.minBackoffMs * 2 ** part.failures);
    part.failures++;
    part.restarts++;
    part.recentRestarts = [...part.recentRestarts.filter((t) => now - t < this.o.crashLoopWindowMs), now];
    this.o.log(
      `${part.spec.name} exited unexpectedly (${how}); restart ${part.restarts} in ${delay < 1000 ? `${delay} ms` : `${delay / 1000} s`}`,
    );
    if (!part.crashLooping && part.recentRestarts.length >= this.o.crashLoopRestarts) {
      part.crashLooping = true;
      this.o.log(
        `${part.spec.name} is crash looping: ${part.recentRestarts.length} restarts in ${Math.round(this.o.crashLoopWindowMs / 60_000)} min; last output:\n${part.tail.slice(-5).join('\n')}`,
      );
      this.o.onCrashLoop?.(part.spec.name, true);
    }
    part.restartTimer = setTimeout(() => {
      part.restartTimer = undefined;
      if (this.stopping) return;
      this.spawn(part);
      this.watch(part);
    }, delay);
  }

  private async stopInOrder(graceMs: number): Promise<void> {
    for (const part of [...this.parts].reverse()) {
      clearTimeout(part.restartTimer);
      clearTimeout(part.stableTimer);
      const { child, spec } = part;
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        const timer = setTimeout(() => {
          this.o.log(`${spec.name} did not stop within ${graceMs / 1000} s: killing it`);
          child.kill('SIGKILL');
        }, graceMs);
        await part.exited;
        clearTimeout(timer);
      }
    }
    this.parts.length = 0;
  }
}

/** A readiness probe: true when GET url answers 2xx. `headers`: e.g. the credential Prometheus asks for. */
export function httpReady(url: string, headers?: Record<string, string>): () => Promise<boolean> {
  return async () => {
    const res = await fetch(url, { headers, signal: AbortSignal.timeout(2000) });
    await res.body?.cancel();
    return res.ok;
  };
}
