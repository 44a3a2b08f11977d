/**
 * Dead man's switch. Alertmanager routes the always-firing Watchdog alert to the bridge about
 * once a minute. When it stops for watchdog_timeout_seconds, Prometheus, Alertmanager or the
 * path between them is down, and nothing else can say so: the bridge notifies every enabled
 * channel itself, once, and again when Watchdog alerts come back. State is on disk, so a
 * restart neither repeats the alarm nor forgets an outage.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Logger } from '@traderadmin/kit';
import { writeFileDurable } from './outbox/files.js';
import type { Clock } from './types.js';

interface WatchdogState {
  lastBeatMs?: number;
  /** Set while the bridge considers monitoring down. */
  downSinceMs?: number;
}

export interface WatchdogOptions {
  dir: string;
  clock: Clock;
  logger: Logger;
  timeoutMs: () => number;
  /** Called once when the Watchdog went silent; `lastBeatMs` undefined when never seen. */
  onDown: (downSinceMs: number, lastBeatMs: number | undefined) => Promise<void>;
  /** Called once when it came back; `lastBeatMs` is the last one before the outage, undefined when never seen. */
  onBack: (downSinceMs: number, backAtMs: number, lastBeatMs: number | undefined) => Promise<void>;
}

/** Tracks Watchdog heartbeats. */
export class Watchdog {
  readonly #o: WatchdogOptions;
  readonly #file: string;
  #state: WatchdogState = {};
  readonly #startedAt: number;
  #checking: Promise<void> = Promise.resolve();

  constructor(options: WatchdogOptions) {
    this.#o = options;
    this.#file = path.join(options.dir, 'watchdog.json');
    this.#startedAt = options.clock.now();
  }

  async load(): Promise<void> {
    try {
      this.#state = JSON.parse(await readFile(this.#file, 'utf8')) as WatchdogState;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') this.#o.logger.warn('watchdog state unreadable, starting fresh', { error });
    }
  }

  lastBeatMs(): number | undefined {
    return this.#state.lastBeatMs;
  }
  isDown(): boolean {
    return this.#state.downSinceMs !== undefined;
  }

  /** A Watchdog alert arrived. */
  beat(): Promise<void> {
    return this.#serial(async () => {
      const now = this.#o.clock.now();
      const downSince = this.#state.downSinceMs;
      if (downSince !== undefined) {
        this.#o.logger.info('watchdog is back', { down_for_s: Math.round((now - downSince) / 1000) });
        // Queued before the state is saved: a crash in between repeats it with the same key (deduplicated).
        await this.#o.onBack(downSince, now, this.#state.lastBeatMs);
      }
      this.#state = { lastBeatMs: now };
      await this.#save();
    });
  }

  /** Raises the alarm when the Watchdog has been silent too long (called periodically). */
  check(): Promise<void> {
    return this.#serial(async () => {
      if (this.#state.downSinceMs !== undefined) return;
      const now = this.#o.clock.now();
      // After a restart the bridge itself missed beats; count from whichever is later.
      const reference = Math.max(this.#state.lastBeatMs ?? 0, this.#startedAt);
      if (now - reference < this.#o.timeoutMs()) return;
      this.#o.logger.error('no Watchdog alert: monitoring is down', {
        last_beat: this.#state.lastBeatMs ? new Date(this.#state.lastBeatMs).toISOString() : null,
      });
      // Queued before the state is saved: a crash in between alarms twice rather than never.
      await this.#o.onDown(now, this.#state.lastBeatMs);
      this.#state = { ...this.#state, downSinceMs: now };
      await this.#save();
    });
  }

  #serial(fn: () => Promise<void>): Promise<void> {
    const next = this.#checking.then(fn, fn);
    this.#checking = next.catch(() => undefined);
    return next;
  }

  async #save(): Promise<void> {
    await writeFileDurable(this.#file, JSON.stringify(this.#state), path.join(this.#o.dir, 'outbox', 'tmp'));
  }
}
