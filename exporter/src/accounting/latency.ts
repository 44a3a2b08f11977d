/**
 * Order round trips over a trailing window: the largest one (trader_order_latency_max_seconds,
 * which OrderLatencyHigh compares with the threshold: one slow order is enough) and the
 * average (the snapshot's avgOrderLatencyMs). A monotonic deque keeps max() O(1) amortised.
 */
export type Stage = 'ack' | 'fill';
export const STAGES: readonly Stage[] = ['ack', 'fill'];

interface Sample {
  t: number;
  v: number;
}

/** Sliding-window maximum and mean of one series. */
export class WindowStats {
  private readonly all: Sample[] = [];
  private head = 0;
  /** Decreasing values; the front is the window's max. */
  private readonly maxq: Sample[] = [];
  private maxHead = 0;
  private sum = 0;

  constructor(private readonly windowMs: number) {}

  /** Adds a sample taken at time `t` (epoch ms). Samples must come in time order (late ones are clamped). */
  add(t: number, v: number): void {
    const last = this.all.length > this.head ? this.all[this.all.length - 1].t : -Infinity;
    const s = { t: Math.max(t, last), v };
    this.all.push(s);
    this.sum += v;
    while (this.maxq.length > this.maxHead && this.maxq[this.maxq.length - 1].v <= v) this.maxq.pop();
    this.maxq.push(s);
  }

  private evict(now: number): void {
    const from = now - this.windowMs;
    while (this.head < this.all.length && this.all[this.head].t <= from) this.sum -= this.all[this.head++].v;
    while (this.maxHead < this.maxq.length && this.maxq[this.maxHead].t <= from) this.maxHead++;
    // Compact now and then so the arrays do not grow without bound.
    if (this.head > 1024 && this.head * 2 > this.all.length) {
      this.all.splice(0, this.head);
      this.head = 0;
    }
    if (this.maxHead > 1024 && this.maxHead * 2 > this.maxq.length) {
      this.maxq.splice(0, this.maxHead);
      this.maxHead = 0;
    }
  }

  /** Largest sample in (now - window, now]; 0 when there is none. */
  max(now: number): number {
    this.evict(now);
    return this.maxHead < this.maxq.length ? this.maxq[this.maxHead].v : 0;
  }

  /** Mean of the samples in the window; undefined when there is none. */
  mean(now: number): number | undefined {
    this.evict(now);
    const n = this.all.length - this.head;
    if (n === 0) return undefined;
    // Recompute occasionally to stop floating-point drift of the running sum.
    if (n < 64) {
      let s = 0;
      for (let i = this.head; i < this.all.length; i++) s += this.all[i].v;
      this.sum = s;
    }
    return this.sum / n;
  }

  count(now: number): number {
    this.evict(now);
    return this.all.length - this.head;
  }
}

/** Window statistics per account and stage. */
export class LatencyWindows {
  private readonly series = new Map<string, WindowStats>();

  constructor(readonly windowMs: number) {}

  add(account: string, stage: Stage, t: number, seconds: number): void {
    const key = `${account}\u0000${stage}`;
    let w = this.series.get(key);
    if (!w) {
      w = new WindowStats(this.windowMs);
      this.series.set(key, w);
    }
    w.add(t, seconds);
  }

  get(account: string, stage: Stage): WindowStats | undefined {
    return this.series.get(`${account}\u0000${stage}`);
  }

  /** Every (account, stage) seen so far. */
  keys(): Array<{ account: string; stage: Stage }> {
    return [...this.series.keys()].map((k) => {
      const [account, stage] = k.split('\u0000');
      return { account, stage: stage as Stage };
    });
  }
}
