/**
 * @traderadmin/grafana: the dashboards as code, their offline validation, and helpers that
 * run a panel's queries against a live Prometheus (tests and feature steps).
 */
export { ALERTMANAGER, DASHBOARD_UIDS, EQUITY_PANEL_ID, PROMETHEUS, PROVISIONED_UIDS } from './datasources.js';
export {
  alertsDeliveryDashboard,
  buildDashboards,
  EQUITY_PANEL_REFS,
  EQUITY_PANEL_TITLE,
  overviewDashboard,
  SILENCES_URL,
} from './dashboards/index.js';
export type { DashboardOptions } from './dashboards/index.js';
export { DASHBOARDS_DIR, renderDashboards, writeDashboards } from './generate.js';
export { currencyOverrides, dashboardOptions, GRAFANA_CURRENCIES } from './dashboards/common.js';
export type { WriteDashboardsResult } from './generate.js';
export { metricNames, promqlSyntaxErrors, substituteVariables } from './promql.js';
export type { PromqlSyntaxError, VariableValues } from './promql.js';
export {
  ALLOWED_PANEL_TYPES,
  CORE_PANEL_TYPES,
  DASHBOARD_SCHEMA_FILE,
  PROVISIONING_DIR,
  allPanels,
  dashboardQueries,
  dashboardSchemaValidator,
  provisionedDatasources,
  slugify,
  validateDashboard,
} from './validate.js';
export type { FoundQuery, ValidateOptions } from './validate.js';
export { DATASOURCE_TIME_INTERVAL_SECONDS, grafanaIntervals, loadPanel, queryPanel } from './panelQuery.js';
export type { PanelQueryOptions, SeriesFrame, TargetResult } from './panelQuery.js';
export { startLiveStack } from './liveStack.js';
export type { LiveStack, LiveStackOptions } from './liveStack.js';
