/**
 * Time, injected so that tests can drive it. `Clock` is what reading the time needs (every
 * service; a test passes `{ now: () => t }`); `TimerClock` adds the timers the emulator's
 * simulation schedules through, so that `ManualClock.advance` runs them in time order. Nothing
 * in a service calls Date.now or setTimeout for time that a test needs to move.
 */
export type TimerHandle = unknown;

export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
}

export interface TimerClock extends Clock {
  setTimeout(fn: () => void, ms: number): TimerHandle;
  clearTimeout(handle: TimerHandle): void;
}

/** The real clock: Date.now and Node timers (unref'd, so they never keep a process alive). */
export const systemClock: TimerClock = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => {
    const t = setTimeout(fn, ms);
    t.unref?.();
    return t;
  },
  clearTimeout: (h) => clearTimeout(h as NodeJS.Timeout),
};

interface Pending {
  at: number;
  seq: number;
  fn: () => void;
}

/** A clock that only moves when told: `advance(ms)` runs due timers in time order. */
export class ManualClock implements TimerClock {
  private time: number;
  private seq = 0;
  private readonly pending = new Map<number, Pending>();

  constructor(startMs = Date.UTC(2026, 0, 5, 15, 0, 0)) {
    this.time = startMs;
  }

  now(): number {
    return this.time;
  }

  /** Jumps to an instant without firing timers (a wall-clock step, as NTP may make). */
  set(ms: number): void {
    this.time = ms;
  }

  setTimeout(fn: () => void, ms: number): TimerHandle {
    const id = ++this.seq;
    this.pending.set(id, { at: this.time + Math.max(0, ms), seq: id, fn });
    return id;
  }

  clearTimeout(handle: TimerHandle): void {
    this.pending.delete(handle as number);
  }

  /** Moves time forward, firing every timer that falls due (including ones they schedule). */
  advance(ms: number): void {
    const end = this.time + ms;
    for (;;) {
      let next: Pending | undefined;
      for (const p of this.pending.values())
        if (p.at <= end && (!next || p.at < next.at || (p.at === next.at && p.seq < next.seq))) next = p;
      if (!next) break;
      this.pending.delete(next.seq);
      this.time = next.at;
      next.fn();
    }
    this.time = end;
  }
}
