/**
 * The alert bridge as users run it, `traderadmin bridge --config <file>` (the compiled dist/),
 * for scenarios that SIGKILL it mid-delivery and start it again on the same data folder and port.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export interface BridgeProcess {
  readonly child: ChildProcess;
  /** Sends `signal` (SIGKILL after 10 s) and waits for the exit; nothing when it has exited already. */
  kill(signal: NodeJS.Signals): Promise<void>;
}

export interface BridgeProcessOptions {
  configFile: string;
  cwd: string;
  env: NodeJS.ProcessEnv;
  /** The bridge's URL: started once it logs that it listens there. */
  url: string;
  /** Each line the bridge prints (JSON log lines). */
  onLine?: (line: string) => void;
}

export async function startBridgeProcess(o: BridgeProcessOptions): Promise<BridgeProcess> {
  const child = spawn(process.execPath, [path.join(ROOT, 'bin/traderadmin.mjs'), 'bridge', '--config', o.configFile], {
    cwd: o.cwd,
    env: o.env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = () => child.exitCode !== null || child.signalCode !== null;
  const kill = async (signal: NodeJS.Signals) => {
    if (exited()) return;
    const gone = new Promise<void>((r) => child.once('exit', () => r()));
    child.kill(signal);
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    await gone;
    clearTimeout(timer);
  };
  let output = '';
  let partial = '';
  const onData = (d: Buffer) => {
    output += d;
    const lines = (partial + d).split('\n');
    partial = lines.pop() ?? '';
    for (const line of lines) if (line) o.onLine?.(line);
  };
  child.stdout!.on('data', onData);
  child.stderr!.on('data', onData);
  const deadline = Date.now() + 30_000;
  while (!output.includes(`alert bridge listening on ${o.url}`)) {
    if (exited()) throw new Error(`bridge exited:\n${output}`);
    if (Date.now() > deadline) {
      await kill('SIGKILL');
      throw new Error(`bridge not listening after 30 s:\n${output}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return { child, kill };
}
