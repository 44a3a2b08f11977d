/**
 * Every alert the generator can emit, one module each, in rules.yml order: the one list of
 * alerts. rules.yml, the promtool suites, inhibit_rules, explain, docs/runbooks.md and the
 * console's alert names all derive from it. A new alert is a module here and one line below.
 */
import type { Config } from '@traderadmin/config';
import type { AlertDefinition } from './alert.js';
import { AlertDeliveryFailing } from './AlertDeliveryFailing.js';
import { ApiErrorsExcessive } from './ApiErrorsExcessive.js';
import { BrokerDisconnected } from './BrokerDisconnected.js';
import { ComponentDown } from './ComponentDown.js';
import { DailyRealizedPnlBelowLimit } from './DailyRealizedPnlBelowLimit.js';
import { DrawdownTodayExceeded } from './DrawdownTodayExceeded.js';
import { ExporterDown } from './ExporterDown.js';
import { MarketDataStale } from './MarketDataStale.js';
import { OrderLatencyHigh } from './OrderLatencyHigh.js';
import { PartCrashLooping } from './PartCrashLooping.js';
import { Watchdog } from './Watchdog.js';

export const ALERTS = [
  OrderLatencyHigh,
  DailyRealizedPnlBelowLimit,
  DrawdownTodayExceeded,
  ApiErrorsExcessive,
  BrokerDisconnected,
  MarketDataStale,
  ComponentDown,
  ExporterDown,
  AlertDeliveryFailing,
  PartCrashLooping,
  Watchdog,
] as const;

/** Contract names (shared/spec/contract.md): never rename. */
export type AlertName = (typeof ALERTS)[number]['name'];
/** Every alert name, in rules.yml order. */
export const ALERT_NAMES: readonly AlertName[] = ALERTS.map((a) => a.name);
/** Alerts that exist whatever alerts_config.enabled says: they watch the monitoring itself. */
export const ALWAYS_ON: readonly AlertName[] = ALERTS.filter((a) => a.alwaysOn).map((a) => a.name);

/** The alert's rules are written for this config: threshold alerts only when alerts_config.enabled. */
export const isOn = (c: Config, alert: AlertDefinition<string>): boolean => alert.alwaysOn || c.alerts_config.enabled;

const BY_NAME = new Map<string, (typeof ALERTS)[number]>(ALERTS.map((a) => [a.name, a]));
/** The module of an alert. */
export const alertDefinition = (name: AlertName) => BY_NAME.get(name)!;

export type { AlertDefinition, AlertRule, Inhibition, RuleSeverity, Threshold } from './alert.js';
