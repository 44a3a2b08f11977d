/** What the HTTP routes (http/server.ts) do, in terms of the bridge's parts. */
import { randomBytes } from 'node:crypto';
import { CHANNELS, dashboardLink, type ChannelName } from '@traderadmin/config';
import { ChannelUnavailableError, type BridgeApi, type ReceiveResult, type ReloadResult } from '../http/server.js';
import type { Logger } from '@traderadmin/kit';
import type { BridgeMetrics } from '../metrics.js';
import type { Outbox } from '../outbox/store.js';
import { filterBySeverity } from '../payload.js';
import type { SilenceClient } from '../silences.js';
import { DEFAULT_TEST_MESSAGE, runTestAlert, sampleNotification } from '../testAlert.js';
import type { AmPayload, Clock, Notification } from '../types.js';
import type { Watchdog } from '../watchdog.js';
import { newReceiptId, type Enqueue } from './enqueue.js';
import type { LiveConfig } from './live.js';
import type { BridgeSecrets } from './redaction.js';

export interface ApiDeps {
  live: LiveConfig;
  secrets: BridgeSecrets;
  env: NodeJS.ProcessEnv;
  logger: Logger;
  clock: Clock;
  outbox: Outbox;
  metrics: BridgeMetrics;
  enqueue: Enqueue;
  watchdog: Watchdog;
  silences: SilenceClient;
  reload: () => Promise<ReloadResult>;
  /** Tells the delivery worker there is new work. */
  wake: () => void;
  /** False once close() began. */
  accepting: () => boolean;
  runbooksFile: () => string;
}

export function createApi(d: ApiDeps): BridgeApi {
  const { live, logger, clock, outbox } = d;
  const cfg = () => live.config;
  return {
    logger,
    auth: () => {
      const token = cfg().alert_bridge.auth_token;
      let value: string | undefined;
      try {
        value = token ? token.reveal(d.env) : d.secrets.localToken;
      } catch {
        // A configured but unreadable token must not open the door: use an impossible value.
        value = randomBytes(32).toString('hex');
      }
      return { token: value, user: cfg().alert_bridge.auth_user };
    },
    maxBodyBytes: () => cfg().alert_bridge.max_body_bytes,
    accepting: d.accepting,
    async receive(channel: ChannelName, payload: AmPayload): Promise<ReceiveResult> {
      const minSeverity = cfg().alerts_config.notifications[channel].min_severity;
      if (!live.notifiers.has(channel)) throw new ChannelUnavailableError(`channel ${channel} is not enabled in the bridge config`);
      const filtered = filterBySeverity(payload, minSeverity);
      if (!filtered) return { stored: 0, duplicates: 0, filtered: payload.alerts.length, ids: [] };
      const notification: Notification = { kind: 'alert', ...filtered };
      delete (notification as Partial<AmPayload>).version;
      const { added, duplicates } = await d.enqueue(channel, notification, newReceiptId(clock.now()));
      return {
        stored: added.length,
        duplicates: duplicates.length,
        filtered: payload.alerts.length - filtered.alerts.length,
        ids: added.map((e) => e.id),
      };
    },
    async watchdog(payload: AmPayload) {
      if (payload.alerts.some((a) => a.status === 'firing')) await d.watchdog.beat();
    },
    async testAlert(channel, message) {
      const chosen = [...live.notifiers.values()].filter((n) => channel === 'all' || n.channel === channel);
      const now = clock.now();
      const id = `test-${newReceiptId(now)}`;
      const results = await runTestAlert(
        chosen,
        sampleNotification(message ?? DEFAULT_TEST_MESSAGE, now, dashboardLink(cfg(), 'DU1234567')),
        id,
      );
      for (const r of results)
        logger.info('test alert', { notification_id: id, channel: r.channel, recipient: r.recipient, ok: r.ok, error: r.error });
      return results;
    },
    silences: d.silences,
    deadLetters: () => outbox.dead(),
    acknowledgeDead: async (id) => {
      const ok = await outbox.acknowledgeDead(id);
      if (ok) logger.info('dead letter acknowledged', { notification_id: id });
      return ok;
    },
    retryDead: async (id) => {
      const e = await outbox.requeueDead(id);
      if (e) {
        logger.info('dead letter queued again', { notification_id: e.id });
        d.wake();
      }
      return e !== undefined;
    },
    reload: d.reload,
    metrics: async () => ({ contentType: d.metrics.registry.contentType, body: await d.metrics.registry.metrics() }),
    ready: async () => {
      const checks = {
        outbox_writable: await outbox.writable(),
        accepting: d.accepting(),
        channels: live.notifiers.size > 0 || CHANNELS.every((c) => !cfg().alerts_config.notifications[c].enabled),
      };
      return { ready: Object.values(checks).every(Boolean), checks };
    },
    runbooksFile: d.runbooksFile,
    redact: (t) => d.secrets.redactor.redact(t),
  };
}
