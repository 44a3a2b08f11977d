/**
 * The durable outbox: one JSON file per entry (one notification for one channel and one
 * recipient), written temp+fsync+rename before the bridge answers Alertmanager.
 *
 *   <data_dir>/outbox/pending/<key>.json    waiting or being retried
 *   <data_dir>/outbox/dead/<key>.json       ran out of attempts or failed permanently
 *   <data_dir>/outbox/delivered/<key>.json  delivered; remembered for the dedup window
 *   <data_dir>/outbox/tmp/                  half-written files (cleared at start)
 *
 * A delivered marker is written (durably) before the pending file is removed, so a crash
 * between the two leaves a pending entry whose key is known as delivered: it is dropped at
 * start, never re-sent. When the disk refuses a write after a delivery (full, read-only), the
 * delivery is still remembered in memory, so it is never sent again by this run (no resend
 * loop), and the failure is logged and shows in /readyz.
 *
 * Both lists are bounded: beyond `maxPending` / `maxDead` the oldest entries are pruned, each
 * counted by `onPrune` (alert_bridge_outbox_pruned_total) and logged, never silently.
 */
import { constants } from 'node:fs';
import { access, mkdir, readFile, readdir, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import type { Logger } from '@traderadmin/kit';
import type { ChannelName, Clock, OutboxEntry } from '../types.js';
import { removeDurable, syncDir, writeFileDurable } from './files.js';

export type KeyState = 'pending' | 'dead' | 'delivered';

interface DeliveredMark {
  key: string;
  id: string;
  channel: ChannelName;
  at: number;
  providerId?: string;
}

export interface OutboxOptions {
  dir: string;
  clock: Clock;
  logger: Logger;
  /** Most entries waiting; the oldest beyond it are pruned. @default 10000 */
  maxPending?: number;
  /** Most dead letters kept; the oldest beyond it are pruned. @default 1000 */
  maxDead?: number;
  /** Told of every pruned entry (a metric). */
  onPrune?: (list: 'pending' | 'dead', entry: OutboxEntry) => void;
  /**
   * How long a delivered or dead key makes a copy a duplicate (alert_bridge.dedup_window_seconds,
   * read on each check: a reload changes it). After that the same notification is Alertmanager's
   * reminder and is sent again, whenever the prune timer last ran. @default remembered until pruned
   */
  dedupWindowMs?: () => number;
}

/** The outbox. All state changes are on disk before the returned promise resolves. */
export class Outbox {
  readonly dir: string;
  readonly #pendingDir: string;
  readonly #deadDir: string;
  readonly #deliveredDir: string;
  readonly #tmpDir: string;
  readonly #clock: Clock;
  readonly #logger: Logger;
  readonly #pending = new Map<string, OutboxEntry>();
  readonly #dead = new Map<string, OutboxEntry>();
  readonly #delivered = new Map<string, number>();
  /** Keys being written right now: two simultaneous posts of one notification store it once. */
  readonly #reserved = new Set<string>();
  #lastWriteOk = true;
  readonly #options: OutboxOptions;

  private constructor(options: OutboxOptions) {
    this.#options = options;
    this.dir = options.dir;
    this.#pendingDir = path.join(options.dir, 'pending');
    this.#deadDir = path.join(options.dir, 'dead');
    this.#deliveredDir = path.join(options.dir, 'delivered');
    this.#tmpDir = path.join(options.dir, 'tmp');
    this.#clock = options.clock;
    this.#logger = options.logger;
  }

  /** Opens (creating) the outbox folder and loads what a previous run left. */
  static async open(options: OutboxOptions): Promise<Outbox> {
    const outbox = new Outbox(options);
    await outbox.#load();
    return outbox;
  }

  async #load(): Promise<void> {
    for (const d of [this.#pendingDir, this.#deadDir, this.#deliveredDir, this.#tmpDir]) await mkdir(d, { recursive: true, mode: 0o700 });
    await rm(this.#tmpDir, { recursive: true, force: true });
    await mkdir(this.#tmpDir, { recursive: true, mode: 0o700 });
    for (const { key, value } of await this.#readAll<DeliveredMark>(this.#deliveredDir)) this.#delivered.set(key, value.at);
    for (const { key, value } of await this.#readAll<OutboxEntry>(this.#deadDir)) this.#dead.set(key, value);
    for (const { key, value } of await this.#readAll<OutboxEntry>(this.#pendingDir)) {
      const deliveredAt = this.#delivered.get(key);
      if (deliveredAt !== undefined && deliveredAt >= value.receivedAt) {
        // Delivered just before a crash: the marker is there, the pending file was not yet removed.
        // (An older marker is an earlier delivery of the same notification: this is its reminder.)
        await removeDurable(path.join(this.#pendingDir, `${key}.json`));
        continue;
      }
      this.#pending.set(key, value);
    }
    if (this.#pending.size > 0) this.#logger.info('outbox recovered', { pending: this.#pending.size, dead: this.#dead.size });
    await this.#bound();
  }

  /** Prunes the oldest entries beyond the bounds (received first goes first), with a log line and onPrune for each. */
  async #bound(): Promise<void> {
    for (const [list, map, dir, max] of [
      ['pending', this.#pending, this.#pendingDir, this.#options.maxPending ?? 10_000],
      ['dead', this.#dead, this.#deadDir, this.#options.maxDead ?? 1_000],
    ] as const) {
      if (map.size <= max) continue;
      const oldest = [...map.values()].sort((a, b) => (a.deadAt ?? a.receivedAt) - (b.deadAt ?? b.receivedAt)).slice(0, map.size - max);
      for (const e of oldest) {
        map.delete(e.key);
        await removeDurable(this.#file(dir, e.key), false).catch(() => undefined);
        this.#options.onPrune?.(list, e);
      }
      this.#logger.error(`outbox ${list} list full: oldest entries pruned`, {
        list,
        pruned: oldest.length,
        limit: max,
        ids: oldest.slice(0, 20).map((e) => e.id),
      });
    }
  }

  /** A write after the fact failed (disk full, read-only): keep going from memory, say so. */
  #writeFailed(what: string, error: unknown): void {
    this.#lastWriteOk = false;
    this.#logger.error(`outbox: could not write ${what}; continuing from memory (fix the disk: a restart may repeat it)`, { error });
  }

  async #readAll<T>(dir: string): Promise<Array<{ key: string; value: T }>> {
    const out: Array<{ key: string; value: T }> = [];
    for (const name of await readdir(dir)) {
      if (!name.endsWith('.json')) continue;
      const file = path.join(dir, name);
      try {
        out.push({ key: name.slice(0, -5), value: JSON.parse(await readFile(file, 'utf8')) as T });
      } catch (error) {
        // Renames are atomic, so this is damage from outside; keep the file for a human.
        this.#logger.error('unreadable outbox file kept aside', { file, error });
        await rename(file, `${file}.corrupt`).catch(() => undefined);
      }
    }
    return out;
  }

  /** Where a key is, if anywhere (delivered and dead keys only within the dedup window). */
  state(key: string): KeyState | undefined {
    if (this.#pending.has(key) || this.#reserved.has(key)) return 'pending';
    const since = this.#clock.now() - (this.#options.dedupWindowMs?.() ?? Infinity);
    const dead = this.#dead.get(key);
    if (dead && (dead.deadAt ?? dead.receivedAt) >= since) return 'dead';
    const deliveredAt = this.#delivered.get(key);
    if (deliveredAt !== undefined && deliveredAt >= since) return 'delivered';
    return undefined;
  }

  /**
   * Stores new entries durably; entries whose key is already known are returned as
   * duplicates and not stored again. Throws when the disk write fails (the caller answers 5xx).
   */
  async enqueue(entries: OutboxEntry[]): Promise<{ added: OutboxEntry[]; duplicates: OutboxEntry[] }> {
    const added: OutboxEntry[] = [];
    const duplicates: OutboxEntry[] = [];
    for (const e of entries) {
      if (this.state(e.key) !== undefined || added.some((a) => a.key === e.key)) duplicates.push(e);
      else added.push(e);
    }
    for (const e of added) this.#reserved.add(e.key);
    try {
      await Promise.all(added.map((e) => writeFileDurable(this.#file(this.#pendingDir, e.key), JSON.stringify(e), this.#tmpDir, false)));
      if (added.length > 0) {
        await syncDir(this.#pendingDir);
        this.#lastWriteOk = true;
      }
    } catch (error) {
      this.#lastWriteOk = false;
      // Nothing is acknowledged: remove what was written, Alertmanager will send it again.
      await Promise.all(added.map((e) => removeDurable(this.#file(this.#pendingDir, e.key), false).catch(() => undefined)));
      throw error;
    } finally {
      for (const e of added) this.#reserved.delete(e.key);
    }
    for (const e of added) this.#pending.set(e.key, e);
    await this.#bound();
    return { added, duplicates };
  }

  /** Rewrites a pending entry (attempt count, next attempt time, last error). */
  async update(entry: OutboxEntry): Promise<void> {
    if (!this.#pending.has(entry.key)) return;
    // Memory first: a failed write must not leave the old retry time (an immediate resend loop).
    this.#pending.set(entry.key, entry);
    try {
      await writeFileDurable(this.#file(this.#pendingDir, entry.key), JSON.stringify(entry), this.#tmpDir);
    } catch (error) {
      this.#writeFailed('a retry state', error);
    }
  }

  /** Records delivery (the marker first), then removes the pending entry. */
  async markDelivered(entry: OutboxEntry, providerId?: string): Promise<void> {
    await this.markDeliveredMany([entry], providerId);
  }

  /**
   * Records delivery of several entries (a digest): all markers are written and their folder
   * synced once, then all pending files are removed and that folder synced once.
   */
  async markDeliveredMany(entries: OutboxEntry[], providerId?: string): Promise<void> {
    const at = this.#clock.now();
    // It was sent: whatever the disk does now, this run never sends it again.
    for (const e of entries) {
      this.#delivered.set(e.key, at);
      this.#pending.delete(e.key);
    }
    try {
      await Promise.all(
        entries.map((e) => {
          const mark: DeliveredMark = { key: e.key, id: e.id, channel: e.channel, at, providerId };
          return writeFileDurable(this.#file(this.#deliveredDir, e.key), JSON.stringify(mark), this.#tmpDir, false);
        }),
      );
      await syncDir(this.#deliveredDir);
    } catch (error) {
      this.#writeFailed('a delivered marker', error);
    }
    // Removing the pending file still works on a full disk, and then a restart does not resend either.
    try {
      await Promise.all(entries.map((e) => removeDurable(this.#file(this.#pendingDir, e.key), false)));
      await syncDir(this.#pendingDir);
    } catch (error) {
      this.#writeFailed('the removal of a delivered entry', error);
    }
  }

  /** Moves a pending entry to the dead-letter list. */
  async markDead(entry: OutboxEntry): Promise<void> {
    const dead = { ...entry, deadAt: this.#clock.now() };
    this.#dead.set(entry.key, dead);
    this.#pending.delete(entry.key);
    try {
      await writeFileDurable(this.#file(this.#deadDir, entry.key), JSON.stringify(dead), this.#tmpDir);
      await removeDurable(this.#file(this.#pendingDir, entry.key));
    } catch (error) {
      this.#writeFailed('a dead letter', error);
    }
    await this.#bound();
  }

  /** Acknowledges (removes) a dead letter. Returns false when there is none with that id or key. */
  async acknowledgeDead(idOrKey: string): Promise<boolean> {
    const entry = this.#findDead(idOrKey);
    if (!entry) return false;
    await removeDurable(this.#file(this.#deadDir, entry.key));
    this.#dead.delete(entry.key);
    return true;
  }

  /** Puts a dead letter back in the queue with fresh attempts. */
  async requeueDead(idOrKey: string): Promise<OutboxEntry | undefined> {
    const entry = this.#findDead(idOrKey);
    if (!entry) return undefined;
    const fresh: OutboxEntry = { ...entry, attempts: 0, nextAttemptAt: this.#clock.now(), deadAt: undefined };
    await writeFileDurable(this.#file(this.#pendingDir, entry.key), JSON.stringify(fresh), this.#tmpDir);
    this.#pending.set(entry.key, fresh);
    await removeDurable(this.#file(this.#deadDir, entry.key));
    this.#dead.delete(entry.key);
    return fresh;
  }

  #findDead(idOrKey: string): OutboxEntry | undefined {
    return this.#dead.get(idOrKey) ?? [...this.#dead.values()].find((e) => e.id === idOrKey);
  }

  /** Forgets delivered keys older than `ttlMs`. */
  async pruneDelivered(ttlMs: number): Promise<number> {
    const cutoff = this.#clock.now() - ttlMs;
    let removed = 0;
    for (const [key, at] of this.#delivered) {
      if (at >= cutoff) continue;
      await removeDurable(this.#file(this.#deliveredDir, key), false);
      this.#delivered.delete(key);
      removed++;
    }
    if (removed > 0) await syncDir(this.#deliveredDir);
    return removed;
  }

  pending(): OutboxEntry[] {
    return [...this.#pending.values()];
  }
  dead(): OutboxEntry[] {
    return [...this.#dead.values()];
  }
  getPending(key: string): OutboxEntry | undefined {
    return this.#pending.get(key);
  }
  deliveredCount(): number {
    return this.#delivered.size;
  }

  /** True when the last write worked and the folder is writable now. */
  async writable(): Promise<boolean> {
    try {
      await access(this.#pendingDir, constants.W_OK);
      await stat(this.#tmpDir);
      return this.#lastWriteOk;
    } catch {
      return false;
    }
  }

  #file(dir: string, key: string): string {
    return path.join(dir, `${key}.json`);
  }
}
