/**
 * What the chat commands and the daily summary read from the rest of the stack: the
 * exporter's account snapshot (GET /api/v1/metrics), Alertmanager's alerts (GET
 * /api/v2/alerts) and Prometheus instant queries. Addresses are functions so a reload applies.
 */

/** The parts of the exporter's AllMetrics snapshot that are read here. */
export interface AccountSnapshot {
  portfolio: {
    equity: number | null;
    realizedPnlToday: number;
    unrealizedPnl: number;
    dailyPnl: number;
    openPositionsCount: number;
    currency: string | null;
  };
  trades: { executedCount: number; winCount: number; lossCount: number; breakevenCount: number; winRate: number };
  system: { brokerConnected: boolean; maxOrderLatencyMs: number };
  positions: Array<{ symbol: string; quantity: number; unrealizedPnl: number; currency: string }>;
}
export interface StackSnapshot {
  timestamp: string;
  tradingDayStart: string;
  accounts: Record<string, AccountSnapshot>;
}

/** One alert as Alertmanager's v2 API lists it. */
export interface ActiveAlert {
  labels: Record<string, string>;
  annotations: Record<string, string>;
  fingerprint: string;
  startsAt: string;
  status: { state: 'active' | 'suppressed' | 'unprocessed'; silencedBy: string[]; inhibitedBy: string[] };
}

export interface StackReader {
  snapshot(): Promise<StackSnapshot>;
  alerts(): Promise<ActiveAlert[]>;
  /** Prometheus instant query: the vector's samples. */
  query(expr: string, at?: number): Promise<Array<{ metric: Record<string, string>; value: number }>>;
}

export class StackUnavailableError extends Error {
  override name = 'StackUnavailableError';
}

export interface StackAddresses {
  exporter: () => string;
  alertmanager: () => string;
  prometheus: () => string;
}

/** Reads the stack over HTTP with a short timeout; errors name the part, never a secret. */
export function httpStackReader(addresses: StackAddresses, fetchFn: typeof fetch, timeoutMs = 5_000): StackReader {
  const get = async (part: string, url: string): Promise<unknown> => {
    let res: Response;
    try {
      res = await fetchFn(url, { signal: AbortSignal.timeout(timeoutMs), headers: { accept: 'application/json' } });
    } catch (error) {
      throw new StackUnavailableError(`${part} is unreachable (${(error as Error).name})`);
    }
    if (!res.ok) {
      await res.body?.cancel().catch(() => undefined);
      throw new StackUnavailableError(`${part} answered ${res.status}`);
    }
    return res.json();
  };
  const base = (f: () => string) => f().replace(/\/+$/, '');
  return {
    snapshot: async () => (await get('the exporter', `${base(addresses.exporter)}/api/v1/metrics`)) as StackSnapshot,
    alerts: async () => (await get('Alertmanager', `${base(addresses.alertmanager)}/api/v2/alerts?inhibited=false`)) as ActiveAlert[],
    async query(expr, at) {
      const params = new URLSearchParams({ query: expr });
      if (at !== undefined) params.set('time', (at / 1000).toFixed(3));
      const body = (await get('Prometheus', `${base(addresses.prometheus)}/api/v1/query?${params}`)) as {
        data?: { resultType: string; result: Array<{ metric: Record<string, string>; value: [number, string] }> };
      };
      if (body.data?.resultType !== 'vector') return [];
      return body.data.result.map((r) => ({ metric: r.metric, value: Number(r.value[1]) }));
    },
  };
}

/** http://HOST:PORT for a listen address; a wildcard listen is reached over loopback. */
export function connectUrl(listen: string): string {
  const m = /^(\[[^\]]+\]|[^:]+):(\d+)$/.exec(listen);
  if (!m) return `http://${listen}`;
  const host = m[1] === '0.0.0.0' ? '127.0.0.1' : m[1] === '[::]' ? '[::1]' : m[1];
  return `http://${host}:${m[2]}`;
}
