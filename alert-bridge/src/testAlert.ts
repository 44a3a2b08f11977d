/**
 * The design's TestAlertNotification(channelType, message): a sample notification sent
 * through a channel right now, bypassing the outbox, with the result for every recipient.
 */
import type { ChannelName } from '@traderadmin/config';
import type { TestAlertResult } from './http/server.js';
import { describeUrl } from '@traderadmin/kit';
import { formatMoney, formatPercent } from './format/values.js';
import type { Notification, Notifier } from './types.js';

export const DEFAULT_TEST_MESSAGE = 'This is a test alert from TraderAdmin.';

/** The sample: one firing alert with the formatting a real one gets (money, percent, masked account). */
export function sampleNotification(message: string, now: number, dashboardUrl: string): Notification {
  const startsAt = new Date(now).toISOString();
  return {
    kind: 'test',
    receiver: 'test-alert',
    groupKey: `test-alert:${now}`,
    status: 'firing',
    groupLabels: {},
    commonLabels: {},
    commonAnnotations: {},
    externalURL: '',
    truncatedAlerts: 0,
    message,
    alerts: [
      {
        status: 'firing',
        labels: { alertname: 'TestAlert', severity: 'info', account: 'DU1234567' },
        annotations: {
          summary: message,
          description: `Sample values: realized P&L ${formatMoney(-512.3, 'USD')} against a limit of ${formatMoney(-500, 'USD')}; drawdown ${formatPercent(5.2)} (limit ${formatPercent(5)}).`,
          dashboard_url: dashboardUrl,
        },
        startsAt,
        endsAt: '0001-01-01T00:00:00Z',
        generatorURL: '',
        fingerprint: `test${now.toString(16)}`,
      },
    ],
  };
}

/**
 * How each channel's recipient is shown: one entry per channel (tsc fails when one is missing).
 * Webhook URLs without path and query (they may hold tokens); Slack, Discord and PagerDuty
 * have one recipient, their secret webhook URL or routing key, so it is named, never shown.
 */
const SHOWN: Readonly<Record<ChannelName, (recipient: string) => string>> = {
  email: (address) => address,
  slack: () => 'slack webhook',
  sms: (number) => number,
  webhook: describeUrl,
  telegram: (chatId) => chatId,
  discord: () => 'discord webhook',
  pagerduty: () => 'pagerduty routing key',
};

/** How a recipient is shown in test results. */
export function displayRecipient(channel: ChannelName, recipient: string): string {
  return SHOWN[channel](recipient);
}

/** Sends the sample through each notifier to each recipient; never throws. */
export async function runTestAlert(
  notifiers: Notifier[],
  notification: Notification,
  id: string,
  timeoutMs = 30_000,
): Promise<TestAlertResult[]> {
  const jobs = notifiers.flatMap((n) =>
    n.recipients().map(async (recipient, i): Promise<TestAlertResult> => {
      const r = await n.notify(
        { id: `${id}.${n.channel}.${i}`, channel: n.channel, recipient, key: `${id}.${n.channel}.${i}`, notifications: [notification] },
        AbortSignal.timeout(timeoutMs),
      );
      const shown = displayRecipient(n.channel, recipient);
      if (r.status === 'sent') return { channel: n.channel, recipient: shown, ok: true, providerId: r.providerId };
      return { channel: n.channel, recipient: shown, ok: false, error: r.error, reason: r.reason };
    }),
  );
  return Promise.all(jobs);
}
