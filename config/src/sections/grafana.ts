/** [grafana]: where users open Grafana, for links in alerts. */
import { checkHttpUrl } from '../formats.js';
import { optionalStr, table } from '../schema.js';

export const grafana = table('Grafana, for links in alerts.', {
  url: optionalStr("Where users open Grafana; unset, alert messages link to the console's Monitoring view instead.", {
    check: checkHttpUrl,
  }),
});
