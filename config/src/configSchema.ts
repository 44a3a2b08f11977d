/**
 * The schema of config.toml. Keys under [alerts_config], [broker], [exporter] and
 * [alert_bridge] named in shared/spec/contract.md are public API: never rename them.
 * One module per section in sections/ (channels in sections/notifications/), the checks across
 * sections in crossChecks.ts; this file only composes them. Every key is commented in
 * config/config.example.toml (a test checks both agree).
 */
import { crossChecks } from './crossChecks.js';
import type { Infer, InferShape } from './schema.js';
import { table } from './schema.js';
import { alertBridge } from './sections/alertBridge.js';
import { alertmanager } from './sections/alertmanager.js';
import { alertsConfig } from './sections/alertsConfig.js';
import { alertsPage } from './sections/alertsPage.js';
import { broker } from './sections/broker.js';
import { emulator } from './sections/emulator.js';
import { exporter } from './sections/exporter.js';
import { grafana } from './sections/grafana.js';
import { logging } from './sections/logging.js';
import { prometheus } from './sections/prometheus.js';
import { secrets } from './sections/secrets.js';
import { supervisor } from './sections/supervisor.js';
import { trading } from './sections/trading.js';

export type { AlertSeverity } from './sections/common.js';
export { NYSE_HOLIDAYS } from './sections/trading.js';
export { CHANNELS, type ChannelName, type Notifications } from './sections/notifications/index.js';

/** The top-level tables, in the order the docs and the console's form show them. */
const sections = {
  alerts_config: alertsConfig,
  broker,
  emulator,
  trading,
  exporter,
  prometheus,
  alertmanager,
  alert_bridge: alertBridge,
  alerts_page: alertsPage,
  supervisor,
  logging,
  grafana,
  secrets,
};
export type Sections = InferShape<typeof sections>;

export const configSchema = table('TraderAdmin Monitoring configuration.', sections, ...crossChecks);

export type Config = Infer<typeof configSchema>;
export type AlertsConfig = Config['alerts_config'];
export type Thresholds = AlertsConfig['thresholds'];
