/** A bench run's scratch space: a temporary folder and the things it started, both gone when the run ends, however it ends. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

/** What to stop when the run ends, in the order started (they are stopped last first). */
export type Stops = Array<() => Promise<unknown>>;

export async function withScratch<T>(prefix: string, run: (dir: string, stops: Stops) => Promise<T>): Promise<T> {
  const dir = mkdtempSync(path.join(tmpdir(), prefix));
  const stops: Stops = [];
  try {
    return await run(dir, stops);
  } finally {
    for (const stop of stops.reverse()) await stop().catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
  }
}
