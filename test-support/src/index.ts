export { ensureCompiled } from './compiled.js';
export { freePort } from './ports.js';
export { sleep, waitFor } from './wait.js';
export { assertContainsEach } from './text.js';
export { captureLogger } from './logs.js';
export type { CapturedLogger } from './logs.js';
export { rawGet, rawPost, rawRequest } from './raw.js';
export type { RawAnswer } from './raw.js';
export {
  ALERTMANAGER_BIN,
  PROMETHEUS_BIN,
  haveBinary,
  promQuery,
  requireBinaries,
  startAlertmanager,
  startPrometheus,
} from './processes.js';
export type { AlertmanagerOptions, ManagedProcess, PrometheusOptions } from './processes.js';
export { startGeneratedStack } from './stack.js';
export type { GeneratedStack, GeneratedStackOptions } from './stack.js';
export { RunningChain, mergeTables } from './chain.js';
export type { ChainPorts, ChainSpec, PeerOf, PeerSpecs, StartedPeers } from './chain.js';
export { startBridgeProcess } from './bridgeProcess.js';
export type { BridgeProcess, BridgeProcessOptions } from './bridgeProcess.js';
export * from './peers/index.js';
