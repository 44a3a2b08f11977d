/**
 * The JSON the console's server sends to the Monitoring and Alerts views. Shared by the
 * server (src/monitor/) and the browser (web/views/); plain data, no DOM, no Node.
 */

/** Which part of the chain an answer could not reach, and why, in one sentence. */
export type Problems = Partial<Record<'exporter' | 'prometheus' | 'alertmanager' | 'bridge', string>>;

export interface Position {
  symbol: string;
  secType: string;
  quantity: number;
  avgCost: number;
  marketPrice: number;
  marketValue: number;
  unrealizedPnl: number;
  currency: string;
}

export interface AccountLive {
  equity: number | null;
  dailyPnl: number;
  realizedPnlToday: number;
  unrealizedPnl: number;
  buyingPower: number | null;
  currency: string | null;
  openPositions: number;
  trades: { executed: number; wins: number; losses: number; winRate: number; avgWin: number; avgLoss: number };
  latency: { avgMs: number | null; maxMs: number };
  /** Errors in the last hour (IB notices excluded), from Prometheus; null when it is not reachable. */
  apiErrorsLastHour: number | null;
  /** Equity below start-of-day equity, a ratio ≥ 0; null when unknown. */
  drawdownToday: number | null;
  positions: Position[];
}

export interface ComponentStatus {
  name: string;
  /** RFC 3339, or null when it never sent one. */
  lastHeartbeat: string | null;
  /** Older than exporter.heartbeat_timeout_seconds (or never seen). */
  stale: boolean;
}

export interface SystemStatus {
  services: Record<'exporter' | 'prometheus' | 'alertmanager' | 'bridge', boolean>;
  /** Gateway: connected and logged in; null when unknown. */
  gatewayConnected: boolean | null;
  /** Gateway's own link to IB; null when unknown (Prometheus down). */
  gatewayUpstream: boolean | null;
  lastDataSync: string | null;
  components: ComponentStatus[];
}

export interface Thresholds {
  maxOrderLatencyMs: number;
  minDailyRealizedPnl: number;
  maxDrawdownPercentToday: number;
  maxApiErrorsPerHour: number;
}

/** GET /api/monitoring/live?account=ID */
export interface LiveResponse {
  timestamp: string;
  refreshSeconds: number;
  accounts: Array<{ id: string; currency: string | null }>;
  /** The account shown (the one asked for, else the first). */
  account: string | null;
  /** Set when the account asked for is not one the exporter knows. */
  unknownAccount?: string;
  live: AccountLive | null;
  thresholds: Thresholds;
  status: SystemStatus;
  problems: Problems;
}

export const RANGES = ['1h', 'today', '7d'] as const;
export type Range = (typeof RANGES)[number];
export const RANGE_TITLES: Record<Range, string> = { '1h': 'Last hour', today: 'Today', '7d': 'Last 7 days' };

/** One series on the history's common time grid: a value or null per time. */
export type Column = Array<number | null>;

/** GET /api/monitoring/history?account=ID&range=R */
export interface HistoryResponse {
  range: Range;
  /** Seconds since the epoch, every `step` seconds. */
  times: number[];
  step: number;
  equity: Column;
  dailyPnl: Column;
  /** Order round trip, seconds. */
  latency: { avg: Column; p95: Column; max: Column };
  /** API errors per step, by component. */
  errors: Record<string, Column>;
  problems: Problems;
}

export interface FiringAlert {
  fingerprint: string;
  alertname: string;
  severity: string;
  account?: string;
  startsAt: string;
  summary: string;
  /** Carries the value and the limit (the rules write both into it). */
  description: string;
  runbookUrl?: string;
  /** Silenced or inhibited: Alertmanager holds its notifications. */
  suppressed: boolean;
  silencedBy: string[];
  labels: Record<string, string>;
}

export interface ResolvedAlert {
  alertname: string;
  severity: string;
  account?: string;
  startsAt: string;
  endsAt: string;
}

export interface Silence {
  id: string;
  matchers: Array<{ name: string; value: string; isRegex: boolean; isEqual: boolean }>;
  startsAt: string;
  endsAt: string;
  createdBy: string;
  comment: string;
  state: 'active' | 'pending' | 'expired';
}

/** GET /api/alerts */
export interface AlertsResponse {
  refreshSeconds: number;
  firing: FiringAlert[];
  resolved: ResolvedAlert[];
  silences: Silence[];
  /** Alert names the generated rules define, for the silence form. */
  alertnames: string[];
  accounts: string[];
  problems: Problems;
}

/** POST /api/silences */
export interface SilenceRequest {
  alertname: string;
  account?: string;
  durationMinutes: number;
  comment: string;
}
