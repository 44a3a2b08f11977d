/**
 * One bridge per data folder: two bridges on one outbox would both deliver every entry. The
 * lock is a file holding the owner's pid, created exclusively; a lock whose process is gone
 * (a crash, a kill -9) is taken over.
 */
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export class DataDirLockedError extends Error {}

/** Locks this process holds (two bridges started in one process, as tests do, count too). */
const held = new Set<string>();

/** Takes `<dir>/bridge.lock`; returns the release function. Throws DataDirLockedError when a live bridge holds it. */
export function lockDataDir(dir: string, pid = process.pid): () => void {
  const file = path.join(dir, 'bridge.lock');
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      writeFileSync(file, `${pid}\n`, { flag: 'wx', mode: 0o600 });
      held.add(file);
      let released = false;
      return () => {
        if (released) return;
        released = true;
        held.delete(file);
        // Only our own lock: a takeover after a stall must not be undone by the stalled one.
        if (ownerOf(file) === pid) rmSync(file, { force: true });
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const owner = ownerOf(file);
    if (owner !== undefined && (owner === pid ? held.has(file) : alive(owner)))
      throw new DataDirLockedError(
        `another alert bridge (pid ${owner}) already uses ${dir}: stop it, or give this one its own alert_bridge.data_dir`,
      );
    rmSync(file, { force: true }); // stale: its process is gone
  }
  throw new DataDirLockedError(`cannot take the lock ${file}`);
}

function ownerOf(file: string): number | undefined {
  try {
    const pid = Number(readFileSync(file, 'utf8').trim());
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
