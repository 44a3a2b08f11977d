/**
 * What `traderadmin generate --dashboards` needs, and nothing else: the index also exports the
 * test rig (startLiveStack), whose packages are not installed by `npm ci --omit=dev`.
 */
export { dashboardOptions } from './dashboards/common.js';
export { writeDashboards } from './generate.js';
