/**
 * The data folder, locked (one bridge per folder: a second one would deliver every entry
 * twice), its outbox, and the metrics that count it, including what was pruned while opening.
 */
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { Logger } from '@traderadmin/kit';
import { createMetrics, type BridgeMetrics } from '../metrics.js';
import { lockDataDir } from '../outbox/lock.js';
import { Outbox } from '../outbox/store.js';
import type { Clock } from '../types.js';

export interface OpenedOutbox {
  outbox: Outbox;
  metrics: BridgeMetrics;
  /** Releases the data folder; also on every failed start after this. */
  unlock: () => void;
}

/** `lastWatchdogMs` is read at scrape time, so it may name a watchdog built later. */
export async function openOutbox(
  dataDir: string,
  clock: Clock,
  logger: Logger,
  lastWatchdogMs: () => number | undefined,
  dedupWindowMs: () => number,
): Promise<OpenedOutbox> {
  await mkdir(dataDir, { recursive: true, mode: 0o700 });
  const unlock = lockDataDir(dataDir);
  const prunedAtStart: Array<'pending' | 'dead'> = [];
  let countPrune = (list: 'pending' | 'dead'): void => void prunedAtStart.push(list);
  let outbox: Outbox;
  try {
    outbox = await Outbox.open({ dir: path.join(dataDir, 'outbox'), clock, logger, dedupWindowMs, onPrune: (list) => countPrune(list) });
  } catch (error) {
    unlock();
    throw error;
  }
  const metrics = createMetrics({ pending: () => outbox.pending(), dead: () => outbox.dead(), now: () => clock.now(), lastWatchdogMs });
  countPrune = (list) => {
    metrics.pruned.inc({ list });
  };
  for (const list of prunedAtStart) countPrune(list);
  return { outbox, metrics, unlock };
}
