/**
 * Posts the built-in strategy's order round trips to the exporter's events API, as a
 * trader's orchestrator would: {"type":"order_latency","account","stage","latency_ms"}.
 * Failures are logged at debug and never affect the emulator.
 */
import type { Logger } from '@traderadmin/kit';

export interface OrderLatencyEvent {
  type: 'order_latency';
  account: string;
  stage: 'ack' | 'fill';
  latency_ms: number;
}

export interface EventsPosterOptions {
  url: string;
  /** Sent as "Authorization: Bearer <token>"; never logged. */
  token?: string;
  logger: Logger;
  fetch?: typeof fetch;
  /** Per-request timeout. @default 2000 */
  timeoutMs?: number;
}

export class EventsPoster {
  private readonly fetchFn: typeof fetch;
  private readonly inFlight = new Set<Promise<void>>();
  /** Events posted with a 2xx answer. */
  delivered = 0;
  /** Events whose post failed (network error or non-2xx). */
  failed = 0;

  constructor(private readonly options: EventsPosterOptions) {
    const url = new URL(options.url); // throws a clear TypeError for a bad URL
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new TypeError(`eventsUrl must be http(s), got ${url.protocol}`);
    this.fetchFn = options.fetch ?? fetch;
  }

  /** Posts one event in the background. */
  post(event: OrderLatencyEvent): void {
    const p = this.send(event).finally(() => this.inFlight.delete(p));
    this.inFlight.add(p);
  }

  /** Waits for the posts under way (used on close and by tests). */
  async flush(): Promise<void> {
    await Promise.allSettled([...this.inFlight]);
  }

  private async send(event: OrderLatencyEvent): Promise<void> {
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (this.options.token) headers.authorization = `Bearer ${this.options.token}`;
    try {
      const res = await this.fetchFn(this.options.url, {
        method: 'POST',
        headers,
        body: JSON.stringify(event),
        signal: AbortSignal.timeout(this.options.timeoutMs ?? 2000),
      });
      await res.arrayBuffer().catch(() => undefined);
      if (res.ok) this.delivered++;
      else {
        this.failed++;
        this.options.logger.debug('events API answered an error', { status: res.status, stage: event.stage });
      }
    } catch (error) {
      this.failed++;
      this.options.logger.debug('posting an order_latency event failed', { error: (error as Error).message });
    }
  }
}
