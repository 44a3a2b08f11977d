/**
 * A part started by `traderadmin up` exits when up is gone, even after a SIGKILL that ran no
 * handler: up passes its pid in TRADERADMIN_SUPERVISOR_PID, and the part checks every second
 * that it is still its parent. This backs up setpriv --pdeathsig (supervisor.ts) on hosts
 * without util-linux; on Linux with setpriv the kernel is faster.
 */
export const SUPERVISOR_PID_ENV = 'TRADERADMIN_SUPERVISOR_PID';

/** Starts the check when this process was started by a supervisor; the variable is not passed on. */
export function exitWhenOrphaned(
  env: NodeJS.ProcessEnv = process.env,
  parentPid: () => number = () => process.ppid,
  onOrphan: () => void = () => process.kill(process.pid, 'SIGTERM'),
  everyMs = 1000,
): NodeJS.Timeout | undefined {
  const supervisor = Number(env[SUPERVISOR_PID_ENV]);
  // A grandchild (promtool, a nested traderadmin) has another parent: it must not inherit the check.
  delete env[SUPERVISOR_PID_ENV];
  if (!Number.isInteger(supervisor) || supervisor <= 1) return undefined;
  const timer = setInterval(() => {
    if (parentPid() === supervisor) return;
    clearInterval(timer);
    // SIGTERM, not exit(): the part's own handler stops it gracefully (the bridge persists its outbox).
    onOrphan();
  }, everyMs);
  timer.unref();
  return timer;
}
