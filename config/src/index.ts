export { configSchema, CHANNELS } from './configSchema.js';
export type { AlertSeverity, AlertsConfig, ChannelName, Config, Notifications, Thresholds } from './configSchema.js';
export { ConfigError, checkConfigText, formatProblem, loadConfig, resolveFromConfig } from './load.js';
export type { LoadOptions, LoadedConfig, LocatedProblem } from './load.js';
export { Secret, REDACTED } from './secret.js';
export { isLoopbackHost, parseListen, minutesOfDay } from './formats.js';
export { locateKeys, lineOf } from './locate.js';
export type { FieldDescription, Problem } from './schema.js';
