/** The watchdog wired to every enabled channel: its down and back notifications and their texts. */
import type { Logger } from '@traderadmin/kit';
import type { Clock, Notification } from '../types.js';
import { Watchdog } from '../watchdog.js';
import { newReceiptId, type Enqueue } from './enqueue.js';
import type { LiveConfig } from './live.js';

export interface WatchdogDeps {
  dir: string;
  live: LiveConfig;
  clock: Clock;
  logger: Logger;
  enqueue: Enqueue;
}

const iso = (ms: number | undefined) => (ms ? new Date(ms).toISOString().slice(0, 19).replace('T', ' ') + ' UTC' : 'never');

export function createWatchdog({ dir, live, clock, logger, enqueue }: WatchdogDeps): Watchdog {
  const timeoutSeconds = () => live.config.alert_bridge.watchdog_timeout_seconds;
  const notify = async (status: 'firing' | 'resolved', downSince: number, message: string) => {
    const n: Notification = {
      kind: 'watchdog',
      receiver: 'bridge-watchdog',
      groupKey: `watchdog-down:${downSince}`,
      status,
      groupLabels: {},
      commonLabels: {},
      commonAnnotations: {},
      externalURL: '',
      truncatedAlerts: 0,
      alerts: [],
      message,
    };
    const receipt = newReceiptId(clock.now());
    for (const channel of live.notifiers.keys()) {
      try {
        await enqueue(channel, n, receipt, true);
      } catch (error) {
        logger.error('could not queue watchdog notification', { channel, error });
      }
    }
  };
  return new Watchdog({
    dir,
    clock,
    logger,
    timeoutMs: () => timeoutSeconds() * 1000,
    onDown: (since, last) =>
      notify(
        'firing',
        since,
        `No Watchdog alert from Alertmanager for ${timeoutSeconds()} s (last one: ${iso(last)}). Prometheus, Alertmanager or the route to this bridge is down: no other alert can reach you until it is fixed.`,
      ),
    // The outage began at the last Watchdog received, not at the alarm one timeout later.
    onBack: (since, back, last) =>
      notify(
        'resolved',
        since,
        `Watchdog alerts arrive again at ${iso(back)}; monitoring was down for about ${Math.max(1, Math.round((back - (last ?? since)) / 60000))} min (last Watchdog before: ${iso(last)}).`,
      ),
  });
}
