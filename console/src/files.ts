/** Atomic file writes: a reader sees the old bytes or the new ones, never half of them. */
import { randomBytes } from 'node:crypto';
import { closeSync, fsyncSync, openSync, realpathSync, renameSync, rmSync, statSync, writeSync } from 'node:fs';
import path from 'node:path';

/**
 * Writes `data` to `target` through a temporary sibling, fsync and rename. An existing file keeps
 * its permission bits; a new one gets `mode`.
 */
export function writeFileAtomic(target: string, data: string | Buffer, mode = 0o644): void {
  // A symlinked config.toml stays a symlink: the file it points to is replaced.
  let file = target;
  try {
    file = realpathSync(target);
  } catch {
    // a new file
  }
  let keepMode = mode;
  try {
    keepMode = statSync(file).mode & 0o777;
  } catch {
    // a new file
  }
  const tmp = path.join(path.dirname(file), `.${path.basename(file)}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`);
  const fd = openSync(tmp, 'wx', keepMode);
  try {
    writeSync(fd, typeof data === 'string' ? Buffer.from(data, 'utf8') : data);
    fsyncSync(fd);
  } catch (error) {
    closeSync(fd);
    rmSync(tmp, { force: true });
    throw error;
  }
  closeSync(fd);
  try {
    renameSync(tmp, file);
  } catch (error) {
    rmSync(tmp, { force: true });
    throw error;
  }
}
