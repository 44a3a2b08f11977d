/**
 * Durable file writes without native modules: write a temporary file, fsync it, rename it
 * over the target (atomic on POSIX), then fsync the folder so the rename itself survives a
 * power cut. A reader therefore sees the old file or the new one, never half of one.
 */
import { randomBytes } from 'node:crypto';
import { open, rename, unlink } from 'node:fs/promises';
import path from 'node:path';

/** fsyncs a folder, making renames and unlinks in it durable. */
export async function syncDir(dir: string): Promise<void> {
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/**
 * Writes `data` to `file` atomically and durably. `tmpDir` must be on the same file system.
 * When `syncFolder` is false the caller syncs the folder once after a batch.
 */
export async function writeFileDurable(file: string, data: string, tmpDir: string, syncFolder = true): Promise<void> {
  const tmp = path.join(tmpDir, `${path.basename(file)}.${randomBytes(6).toString('hex')}.tmp`);
  const handle = await open(tmp, 'wx', 0o600);
  try {
    await handle.writeFile(data, 'utf8');
    await handle.sync();
  } catch (error) {
    await handle.close().catch(() => undefined);
    await unlink(tmp).catch(() => undefined);
    throw error;
  }
  await handle.close();
  await rename(tmp, file);
  if (syncFolder) await syncDir(path.dirname(file));
}

/** Removes a file durably; a missing file is fine. */
export async function removeDurable(file: string, syncFolder = true): Promise<void> {
  try {
    await unlink(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    return;
  }
  if (syncFolder) await syncDir(path.dirname(file));
}
