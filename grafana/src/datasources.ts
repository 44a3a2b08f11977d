/**
 * The names that tie dashboards, provisioning and the panel plugin together. The uids are
 * fixed in grafana/provisioning/datasources/datasources.yml; dashboards refer to data
 * sources by uid only, so a renamed data source keeps every dashboard working.
 */
import type { DataSourceRef } from '@grafana/grafana-foundation-sdk/dashboard';
import { DASHBOARDS } from '@traderadmin/config';

/** The provisioned Prometheus data source (http://127.0.0.1:9090 on the host network of docker compose). */
export const PROMETHEUS: DataSourceRef = Object.freeze({ type: 'prometheus', uid: 'prometheus' });

/** The provisioned Alertmanager data source (http://127.0.0.1:9093 on the host network of docker compose). */
export const ALERTMANAGER: DataSourceRef = Object.freeze({ type: 'alertmanager', uid: 'alertmanager' });

/** Every data source uid we provision: a dashboard may refer to these and no others. */
export const PROVISIONED_UIDS: readonly string[] = Object.freeze([PROMETHEUS.uid!, ALERTMANAGER.uid!]);

/** Plugin id of our equity curve panel (grafana/panel/src/plugin.json). */
export const EQUITY_PANEL_ID = 'traderadmin-equitycurve-panel';

/** Dashboard uids, from @traderadmin/config's DASHBOARDS: alert annotations link to `/d/<uid>/<slug>` (rules-gen `dashboardUrl`). */
export const DASHBOARD_UIDS = Object.freeze({ overview: DASHBOARDS.overview.uid, delivery: DASHBOARDS.delivery.uid });
