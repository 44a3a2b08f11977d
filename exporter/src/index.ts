/**
 * @traderadmin/exporter: a gateway (the TWS emulator, IB Gateway or TWS) and events from
 * other services in, the Prometheus metrics of shared/spec/contract.md out.
 */
export { startExporter, createExporterCore, seedLedger, VERSION } from './exporter.js';
export type { ExporterDeps, RunningExporter } from './exporter.js';
export { Ledger, AccountBook, viewOf } from './accounting/ledger.js';
export type { Fill, PositionUpdate, PositionView, Outcome } from './accounting/ledger.js';
export { LatencyWindows, WindowStats } from './accounting/latency.js';
export { validateEvents, DEFAULT_EVENT_LIMITS } from './events/validate.js';
export type { ExporterEvent, EventLimits } from './events/validate.js';
export { classifyIbCode, ERROR_CLASSES } from './ib/errors.js';
export type { ErrorClass } from './ib/errors.js';
export { latencyBuckets } from './metrics/latency.js';
export { POSITION_FIELDS, POSITION_METRIC_NAMES, positionsRenderer, renderPositions } from './metrics/positions.js';
export { METRICS_SCOPES } from './http/server.js';
export type { MetricsScope } from './http/server.js';
// The kit's logger, for the callers that start an exporter with a silent one.
export { silentLogger } from '@traderadmin/kit';
export type { Logger } from '@traderadmin/kit';
export type { AllMetrics, AccountMetrics } from './snapshot.js';
