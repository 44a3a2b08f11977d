/**
 * The supervisor on tiny real child processes: a part that crashes in a loop is restarted with
 * a doubling backoff, counted, flagged and reported at /metrics; one that stays up is healthy
 * again; a part started by it dies with it, even when it is killed with SIGKILL.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort, waitFor } from '@traderadmin/test-support';
import { renderPartMetrics, servePartMetrics } from '../src/stack/metrics.js';
import { exitWhenOrphaned, SUPERVISOR_PID_ENV } from '../src/stack/orphan.js';
import { haveSetpriv, Supervisor, type ServiceSpec, type SupervisorOptions } from '../src/stack/supervisor.js';

const dir = mkdtempSync(path.join(tmpdir(), 'supervisor-'));
const stops: Array<() => Promise<unknown>> = [];
afterAll(async () => {
  for (const stop of stops) await stop();
});

/** A part that is ready once it wrote its pid; it exits with code 3 when the file `die` exists. */
function part(name: string, dieAfterMs?: number): ServiceSpec {
  const pidFile = path.join(dir, `${name}.pid`);
  const script = `require('fs').writeFileSync(${JSON.stringify(pidFile)}, String(process.pid));
    ${dieAfterMs === undefined ? 'setInterval(() => {}, 1000);' : `setTimeout(() => process.exit(3), ${dieAfterMs});`}`;
  return {
    name,
    command: process.execPath,
    args: ['-e', script],
    ready: async () => {
      try {
        return readFileSync(pidFile, 'utf8').length > 0;
      } catch {
        return false;
      }
    },
  };
}

/** A supervisor stopped after the file, with its log lines and crash-loop flips (`name:looping`) kept. */
function watched(options: Omit<SupervisorOptions, 'log' | 'onCrashLoop'>) {
  const lines: string[] = [];
  const loops: string[] = [];
  const supervisor = new Supervisor({
    ...options,
    log: (l) => lines.push(l),
    onCrashLoop: (name, looping) => loops.push(`${name}:${looping}`),
  });
  stops.push(() => supervisor.stopAll(2000));
  return { supervisor, lines, loops };
}

describe('supervisor', () => {
  it('restarts a crashing part with a doubling backoff, flags the crash loop, reports it at /metrics, and never stops the others', async () => {
    const { supervisor, lines, loops } = watched({
      minBackoffMs: 50,
      maxBackoffMs: 400,
      crashLoopRestarts: 4,
      crashLoopWindowMs: 60_000,
      stableMs: 60_000,
    });
    await supervisor.start(part('steady'));
    const steadyPid = supervisor.pids().steady;
    await supervisor.start(part('crashy', 600));

    await waitFor('crash loop flagged', () => loops.includes('crashy:true'), { timeoutMs: 10_000 });
    const restarts = lines.filter((l) => l.startsWith('crashy exited unexpectedly (code 3)'));
    expect(restarts.length).toBeGreaterThanOrEqual(4);
    // Doubling up to the cap.
    expect(restarts.slice(0, 4).map((l) => l.match(/in (\d+ ms)$/)![1])).toEqual(['50 ms', '100 ms', '200 ms', '400 ms']);
    expect(lines.some((l) => l.startsWith('crashy is crash looping: 4 restarts'))).toBe(true);

    const port = await freePort();
    const server = await servePartMetrics('127.0.0.1', port, () => supervisor.state());
    stops.push(() => new Promise((r) => server.close(r)));
    const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
    expect(text).toContain('traderadmin_part_crash_looping{part="crashy"} 1');
    expect(text).toContain('traderadmin_part_crash_looping{part="steady"} 0');
    expect(text).toContain('traderadmin_part_restarts_total{part="steady"} 0');
    expect(Number(text.match(/traderadmin_part_restarts_total\{part="crashy"\} (\d+)/)![1])).toBeGreaterThanOrEqual(4);
    expect(text).toContain('traderadmin_part_up{part="steady"} 1');

    // The steady part was never touched.
    expect(supervisor.pids().steady).toBe(steadyPid);
    process.kill(steadyPid!, 0);
    await supervisor.stopAll(2000);
    expect(() => process.kill(steadyPid!, 0)).toThrow();
  });

  it('resets the backoff and clears the crash loop once a part stays up for stableMs', async () => {
    const { supervisor, lines, loops } = watched({ minBackoffMs: 20, crashLoopRestarts: 2, stableMs: 300 });
    await supervisor.start(part('flaky'));
    for (let i = 0; i < 2; i++) {
      const pid = supervisor.pids().flaky!;
      process.kill(pid, 'SIGKILL');
      await waitFor('restarted', () => supervisor.pids().flaky !== pid && supervisor.state()[0].up);
    }
    expect(loops).toEqual(['flaky:true']);
    await waitFor('healthy again', () => loops.includes('flaky:false'), { timeoutMs: 5000 });
    const pid = supervisor.pids().flaky!;
    process.kill(pid, 'SIGKILL');
    await waitFor('restarted', () => supervisor.pids().flaky !== pid);
    expect(lines.filter((l) => l.startsWith('flaky exited unexpectedly (SIGKILL)')).at(-1)).toMatch(/restart 3 in 20 ms$/);
    expect(renderPartMetrics(supervisor.state())).toContain('traderadmin_part_restarts_total{part="flaky"} 3');
  });

  it.runIf(haveSetpriv())(
    'a part dies with its supervisor, even when the supervisor is killed with SIGKILL (setpriv --pdeathsig)',
    async () => {
      const pidFile = path.join(dir, 'orphan.pid');
      const file = path.join(dir, 'sup.mts');
      writeFileSync(
        file,
        `import { writeFileSync } from 'node:fs';
      import { Supervisor } from ${JSON.stringify(path.resolve(__dirname, '../src/stack/supervisor.ts'))};
      const s = new Supervisor({ log: () => {} });
      await s.start({ name: 'sleeper', command: 'sleep', args: ['600'], ready: async () => true });
      writeFileSync(${JSON.stringify(pidFile)}, String(s.pids().sleeper));
      setInterval(() => {}, 1000);`,
      );
      const up = spawn(process.execPath, ['--import', 'tsx', file], { stdio: 'ignore' });
      stops.push(async () => up.kill('SIGKILL'));
      const sleeper = await waitFor(
        'sleeper started',
        () => {
          try {
            return Number(readFileSync(pidFile, 'utf8')) || undefined;
          } catch {
            return undefined;
          }
        },
        { timeoutMs: 20_000 },
      );
      expect(sleeper).toBeGreaterThan(0);
      process.kill(sleeper!, 0);
      up.kill('SIGKILL');
      await waitFor('the part exits with its supervisor', () => {
        try {
          process.kill(sleeper!, 0);
          return false;
        } catch {
          return true;
        }
      });
    },
  );

  it('a Node part notices its supervisor is gone without setpriv (parent pid check)', async () => {
    let parent = 4242;
    let orphaned = 0;
    const env = { [SUPERVISOR_PID_ENV]: '4242' };
    const timer = exitWhenOrphaned(
      env,
      () => parent,
      () => orphaned++,
      10,
    );
    expect(timer).toBeDefined();
    // Not passed on to what this part starts itself.
    expect(env[SUPERVISOR_PID_ENV]).toBeUndefined();
    await new Promise((r) => setTimeout(r, 50));
    expect(orphaned).toBe(0);
    parent = 1;
    await waitFor('orphan noticed', () => orphaned === 1);
    expect(exitWhenOrphaned({})).toBeUndefined();
  });
});
