/** Every generated dashboard, by the file name it is committed under in grafana/dashboards/. */
import type { Dashboard } from '@grafana/grafana-foundation-sdk/dashboard';
import { alertsDeliveryDashboard } from './alertsDelivery.js';
import type { DashboardOptions } from './common.js';
import { overviewDashboard } from './overview.js';

export { alertsDeliveryDashboard, SILENCES_URL } from './alertsDelivery.js';
export { overviewDashboard, EQUITY_PANEL_REFS, EQUITY_PANEL_TITLE } from './overview.js';
export type { DashboardOptions } from './common.js';

/** file name → dashboard model, in a fixed order. */
export function buildDashboards(options: DashboardOptions = {}): ReadonlyMap<string, Dashboard> {
  return new Map([
    ['trading-overview.json', overviewDashboard(options)],
    ['alerts-and-delivery.json', alertsDeliveryDashboard(options)],
  ]);
}
