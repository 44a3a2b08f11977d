/** @traderadmin/kit: what every service needs, written once. One file per job. */
export { ManualClock, systemClock } from './clock.js';
export type { Clock, TimerClock, TimerHandle } from './clock.js';
export { LOG_FORMATS, LOG_LEVELS, createLogger, redactingLogger, silentLogger } from './logger.js';
export type { LogFields, LogFormat, LogLevel, Logger, LoggerOptions } from './logger.js';
export { Redactor, describeUrl } from './redact.js';
export { backoffDelay } from './backoff.js';
export type { BackoffOptions } from './backoff.js';
export { safeEqual } from './token.js';
export { DayClock, checkTimeZone, parseHhMm, tradingDayAt, wallTime, wallTimeOnDay, zoneOffsetMs, zonedToEpoch } from './tradingDay.js';
export type { TradingDay, WallTime } from './tradingDay.js';
