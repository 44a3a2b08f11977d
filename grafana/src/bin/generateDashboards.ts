/**
 * `npm run generate:dashboards [-- --config config/config.toml] [--money-unit currencyEUR]`:
 * regenerates grafana/dashboards/*.json. With --config, the limits drawn (drawdown, latency,
 * API errors) are that file's thresholds; without it, the defaults (those of config.example.toml).
 */
import { loadConfig } from '@traderadmin/config';
import { dashboardOptions } from '../dashboards/common.js';
import { writeDashboards, DASHBOARDS_DIR } from '../generate.js';

const args = process.argv.slice(2);
const valueOf = (flag: string) => {
  const at = args.indexOf(flag);
  if (at < 0) return undefined;
  const value = args[at + 1];
  if (!value || value.startsWith('--')) {
    console.error(flag === '--money-unit' ? '--money-unit needs a Grafana unit id, e.g. currencyEUR' : `${flag} needs a value`);
    process.exit(2);
  }
  return value;
};
const moneyUnit = valueOf('--money-unit');
const configFile = valueOf('--config');
const options = configFile ? dashboardOptions(loadConfig(configFile).config, moneyUnit) : { moneyUnit };
const { written, removed } = writeDashboards(DASHBOARDS_DIR, options);
for (const file of written) console.log(`wrote ${file}`);
for (const file of removed) console.log(`removed stale ${file}`);
