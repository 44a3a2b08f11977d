export { configSchema, CHANNELS } from './configSchema.js';
export type { AlertSeverity, AlertsConfig, ChannelName, Config, Notifications, Thresholds } from './configSchema.js';
export { ConfigError, checkConfigText, formatProblem, loadConfig, resolveFromConfig } from './load.js';
export type { LoadOptions, LoadedConfig, LocatedProblem } from './load.js';
export { Secret, REDACTED } from './secret.js';
export { isLoopbackHost, parseListen, minutesOfDay } from './formats.js';
export { locateKeys, lineOf } from './locate.js';
export type { FieldDescription, Problem } from './schema.js';
export { hardenServer, hostOf, ownHosts, refusal, refuse, requestGuard } from './http/guard.js';
export type { GuardOptions, Refusal } from './http/guard.js';
export { DASHBOARDS, consoleUrl, dashboardLink, dashboardPath } from './links.js';
export {
  LOCAL_TOKEN_ENV,
  apiToken,
  ensureLocalToken,
  livePid,
  localTokenFile,
  readLocalToken,
  tokenFileIn,
  upPidFile,
} from './localToken.js';
export { secretValues } from './secretValues.js';
export { ENGINE_USER, engineAuthorization, engineFetch, enginePassword, webConfigYaml } from './engineAuth.js';
export type { EngineFetchOptions } from './engineAuth.js';
