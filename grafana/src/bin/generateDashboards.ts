/**
 * `npm run generate:dashboards [-- --money-unit currencyEUR]`: regenerates grafana/dashboards/*.json.
 */
import { writeDashboards, DASHBOARDS_DIR } from '../generate.js';

const args = process.argv.slice(2);
const unitAt = args.indexOf('--money-unit');
const moneyUnit = unitAt >= 0 ? args[unitAt + 1] : undefined;
if (unitAt >= 0 && !moneyUnit) {
  console.error('--money-unit needs a Grafana unit id, e.g. currencyEUR');
  process.exit(2);
}
const { written, removed } = writeDashboards(DASHBOARDS_DIR, { moneyUnit });
for (const file of written) console.log(`wrote ${file}`);
for (const file of removed) console.log(`removed stale ${file}`);
