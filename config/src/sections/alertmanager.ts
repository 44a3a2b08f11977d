/** [alertmanager]: grouping, cluster and links. */
import { checkHttpUrl, checkListen } from '../formats.js';
import { int, list, optionalStr, str, table } from '../schema.js';
import { listen } from './common.js';

export const alertmanager = table('Alertmanager, run by "traderadmin up" and configured by "traderadmin generate".', {
  listen: listen('Alertmanager web address.', '127.0.0.1:9093'),
  group_wait_seconds: int('How long Alertmanager waits to batch the first notification of a new alert group.', {
    default: 0,
    min: 0,
    max: 3600,
    unit: 's',
  }),
  group_interval_seconds: int('How long before a group that changed is notified again; the cooldown must be a multiple of it.', {
    default: 1,
    min: 1,
    max: 86_400,
    unit: 's',
  }),
  external_url: optionalStr('URL under which users reach Alertmanager (silence links).', { check: checkHttpUrl }),
  cluster_listen: optionalStr('Gossip address for an Alertmanager cluster, for example "0.0.0.0:9094"; unset runs a single instance.', {
    check: checkListen,
  }),
  peers: list('Other Alertmanager cluster members, HOST:PORT.', str('A peer.', { check: checkListen }), { unique: true }),
});
