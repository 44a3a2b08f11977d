/**
 * The console's clients for the parts of the chain it reads: the exporter's snapshot,
 * Prometheus's query API, Alertmanager's v2 API and the bridge's health. Each call has a short
 * timeout and fails with a sentence that names the part, so a view can say which one is down
 * and keep showing the rest.
 */
import type { AllMetrics } from '@traderadmin/exporter';

export type Part = 'exporter' | 'prometheus' | 'alertmanager' | 'bridge';

export class UpstreamError extends Error {
  constructor(
    readonly part: Part,
    message: string,
  ) {
    super(message);
  }
}

export interface UpstreamOptions {
  exporterUrl: string;
  prometheusUrl: string;
  alertmanagerUrl: string;
  bridgeUrl: string;
  fetch?: typeof fetch;
  /** @default 3000 */
  timeoutMs?: number;
}

/** A Prometheus series: labels and [seconds, "value"] samples. */
export interface PromSeries {
  metric: Record<string, string>;
  values?: Array<[number, string]>;
  value?: [number, string];
}

const TITLES: Record<Part, string> = {
  exporter: 'the exporter',
  prometheus: 'Prometheus',
  alertmanager: 'Alertmanager',
  bridge: 'the alert bridge',
};

export class Upstream {
  private readonly fetch: typeof fetch;
  private readonly timeoutMs: number;

  constructor(private readonly options: UpstreamOptions) {
    this.fetch = options.fetch ?? fetch;
    this.timeoutMs = options.timeoutMs ?? 3000;
  }

  private async call(part: Part, url: string, init: RequestInit = {}): Promise<Response> {
    let res: Response;
    try {
      res = await this.fetch(url, { ...init, signal: AbortSignal.timeout(this.timeoutMs) });
    } catch (error) {
      const why = (error as Error).name === 'TimeoutError' ? `no answer within ${this.timeoutMs} ms` : 'not reachable';
      throw new UpstreamError(part, `${TITLES[part]} is ${why} at ${new URL(url).host}`);
    }
    return res;
  }

  private async json<T>(part: Part, url: string, init?: RequestInit): Promise<T> {
    const res = await this.call(part, url, init);
    if (!res.ok) {
      const text = (await res.text().catch(() => '')).slice(0, 200);
      throw new UpstreamError(part, `${TITLES[part]} answered ${res.status}${text ? `: ${text.trim()}` : ''}`);
    }
    return (await res.json()) as T;
  }

  snapshot(): Promise<AllMetrics> {
    return this.json<AllMetrics>('exporter', `${this.options.exporterUrl}/api/v1/metrics`);
  }

  async query(expr: string, time?: number): Promise<PromSeries[]> {
    const params = new URLSearchParams({ query: expr, ...(time === undefined ? {} : { time: String(time) }) });
    const body = await this.json<{ data: { result: PromSeries[] } }>('prometheus', `${this.options.prometheusUrl}/api/v1/query?${params}`);
    return body.data.result;
  }

  async queryRange(expr: string, start: number, end: number, step: number): Promise<PromSeries[]> {
    const params = new URLSearchParams({ query: expr, start: String(start), end: String(end), step: String(step) });
    const body = await this.json<{ data: { result: PromSeries[] } }>(
      'prometheus',
      `${this.options.prometheusUrl}/api/v1/query_range?${params}`,
    );
    return body.data.result;
  }

  amAlerts<T>(): Promise<T> {
    return this.json<T>('alertmanager', `${this.options.alertmanagerUrl}/api/v2/alerts?active=true&silenced=true&inhibited=true`);
  }

  amSilences<T>(): Promise<T> {
    return this.json<T>('alertmanager', `${this.options.alertmanagerUrl}/api/v2/silences`);
  }

  amCreateSilence(body: unknown): Promise<{ silenceID: string }> {
    return this.json('alertmanager', `${this.options.alertmanagerUrl}/api/v2/silences`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
  }

  async amExpireSilence(id: string): Promise<void> {
    const res = await this.call('alertmanager', `${this.options.alertmanagerUrl}/api/v2/silence/${encodeURIComponent(id)}`, {
      method: 'DELETE',
    });
    if (!res.ok) throw new UpstreamError('alertmanager', `Alertmanager answered ${res.status}: ${(await res.text()).slice(0, 200).trim()}`);
  }

  /** True when the part answers its health endpoint. */
  async healthy(part: 'alertmanager' | 'bridge' | 'prometheus'): Promise<boolean> {
    const url = {
      alertmanager: `${this.options.alertmanagerUrl}/-/ready`,
      prometheus: `${this.options.prometheusUrl}/-/ready`,
      bridge: `${this.options.bridgeUrl}/healthz`,
    }[part];
    try {
      return (await this.call(part, url)).ok;
    } catch {
      return false;
    }
  }
}

/** Runs a call; on an UpstreamError notes the problem and gives the fallback instead. */
export async function attempt<T>(problems: Partial<Record<Part, string>>, call: () => Promise<T>, fallback: T): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (!(error instanceof UpstreamError)) throw error;
    problems[error.part] ??= error.message;
    return fallback;
  }
}
