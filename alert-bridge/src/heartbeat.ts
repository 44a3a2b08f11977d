/**
 * The dead man's switch seen from outside. While Watchdog alerts arrive, the bridge pings an
 * external check (healthchecks.io, Dead Man's Snitch, Better Stack heartbeats) every
 * heartbeat_interval_seconds. When Prometheus, Alertmanager, the bridge or the whole machine
 * dies, the pings stop and that service, on another network, raises the alarm.
 */
import type { Secret } from '@traderadmin/config';
import type { Logger } from '@traderadmin/kit';

export interface HeartbeatSettings {
  url: Secret | undefined;
  intervalMs: number;
  method: 'GET' | 'POST';
}

export interface HeartbeatOptions {
  /** Read before every ping, so a reload takes effect. */
  settings: () => HeartbeatSettings;
  /** True while the alert path is healthy (the Watchdog is not down). */
  healthy: () => boolean;
  fetch: typeof fetch;
  logger: Logger;
  env: NodeJS.ProcessEnv;
  /** How often the schedule is looked at; pings still follow intervalMs. @default 1000 */
  tickMs?: number;
  now: () => number;
  timeoutMs?: number;
}

export class HeartbeatPinger {
  readonly #o: HeartbeatOptions;
  #timer?: NodeJS.Timeout;
  #lastPingMs = -Infinity;
  #inFlight?: Promise<void>;
  /** Consecutive failures, so a long outage of the check service logs once, not every minute. */
  #failures = 0;

  constructor(options: HeartbeatOptions) {
    this.#o = options;
  }

  start(): void {
    this.#timer = setInterval(() => void this.tick(), this.#o.tickMs ?? 1000);
    this.#timer.unref();
    void this.tick();
  }

  /** Pings when one is due and the alert path is healthy; resolves when that ping is done. */
  async tick(): Promise<void> {
    if (this.#inFlight) return this.#inFlight;
    const s = this.#o.settings();
    if (!s.url || !this.#o.healthy() || this.#o.now() - this.#lastPingMs < s.intervalMs) return;
    this.#inFlight = this.#ping(s).finally(() => (this.#inFlight = undefined));
    return this.#inFlight;
  }

  async stop(): Promise<void> {
    clearInterval(this.#timer);
    await this.#inFlight;
  }

  async #ping(s: HeartbeatSettings): Promise<void> {
    this.#lastPingMs = this.#o.now();
    try {
      const res = await this.#o.fetch(s.url!.reveal(this.#o.env), {
        method: s.method,
        body: s.method === 'POST' ? 'traderadmin watchdog ok' : undefined,
        signal: AbortSignal.timeout(this.#o.timeoutMs ?? 10_000),
      });
      await res.body?.cancel();
      if (!res.ok) throw new Error(`HTTP ${res.status}`);
      if (this.#failures > 0) this.#o.logger.info('external heartbeat reachable again', { failures: this.#failures });
      this.#failures = 0;
    } catch (error) {
      // The URL carries the check's secret id: it is redacted by the logger, and never put in the message here.
      if (this.#failures++ === 0) this.#o.logger.warn('external heartbeat ping failed', { error: (error as Error).message });
    }
  }
}
