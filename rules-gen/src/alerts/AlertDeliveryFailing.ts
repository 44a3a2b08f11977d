/** AlertDeliveryFailing: the bridge has dead letters, or a notification queued longer than 300 s. */
import { quietFiresResolves, selector } from '../suite.js';
import { oneRuleAlert, type AlertDefinition } from './alert.js';

export const AlertDeliveryFailing: AlertDefinition<'AlertDeliveryFailing'> = oneRuleAlert({
  name: 'AlertDeliveryFailing',
  alwaysOn: true,
  rule: () => ({
    variant: 'bridge',
    expr:
      'label_replace(sum(alert_bridge_dead_letters) > 0, "reason", "dead_letters", "", "")\nor\n' +
      'label_replace(max(alert_bridge_oldest_queued_age_seconds) > 300, "reason", "queue_stuck", "", "")',
    forSeconds: 0,
    severity: 'critical',
    summary: ['Alert notifications are failing (', { label: 'reason' }, ')'],
    description: [
      'The alert bridge reports ',
      { label: 'reason' },
      ' = ',
      { value: 'count' },
      ': notifications it gave up on (dead letters > 0) or queued longer than 300 s. Check the channel credentials and the bridge log.',
    ],
    dashboard: 'delivery',
    source: 'alert_bridge',
  }),
  tests: (s, rule) => [
    {
      name: 'AlertDeliveryFailing: a dead letter fires at the first evaluation, and it resolves when acknowledged',
      interval: s.t(1),
      input_series: [{ series: selector('alert_bridge_dead_letters', { channel: 'email' }), values: '0 0 1 1 0' }],
      alert_rule_test: quietFiresResolves(s, rule, { reason: 'dead_letters' }, 1),
    },
    {
      name: 'AlertDeliveryFailing: a notification queued 300 s does not fire, 301 s fires',
      interval: s.t(1),
      input_series: [{ series: 'alert_bridge_oldest_queued_age_seconds', values: '299 300 301 0' }],
      alert_rule_test: quietFiresResolves(s, rule, { reason: 'queue_stuck' }, 301, [1, 2, 3]),
    },
  ],
  runbook: [
    '**Means:** the alert bridge has notifications it gave up on (`alert_bridge_dead_letters > 0`,',
    '`reason="dead_letters"`) or one has waited in its queue longer than 300 s',
    '(`alert_bridge_oldest_queued_age_seconds`, `reason="queue_stuck"`). Some alerts did not reach you.',
    'Severity critical.',
    '',
    '**First checks:**',
    '1. Alerts-and-delivery dashboard: which channel fails (`alert_bridge_notifications_failed_total{channel,reason}`)?',
    '2. Credentials: SMTP password, Slack webhook URL, Twilio token (`env:` variables set for the bridge?).',
    '3. Try one delivery: `curl -X POST http://127.0.0.1:9095/api/v1/test-alert -H "content-type: application/json" -d \'{"channel":"email"}\'` (add the bridge token if configured).',
    '4. Acknowledge dead letters in the bridge after fixing the cause; the alert resolves.',
    '',
    '**Silence:** avoid; fix delivery instead. If one channel is knowingly down:',
    '`amtool silence add alertname=AlertDeliveryFailing --duration=1h --comment="SMTP provider outage"`.',
  ],
});
