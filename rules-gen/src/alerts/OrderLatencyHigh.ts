/** OrderLatencyHigh: one order round trip in the latency window took longer than max_order_latency_ms. */
import { decimal, shift } from '../decimal.js';
import { selector, TEST_ACCOUNT, thresholdGroup } from '../suite.js';
import { ACCOUNT, thresholdAlert, type AlertDefinition } from './alert.js';

export const OrderLatencyHigh: AlertDefinition<'OrderLatencyHigh'> = thresholdAlert({
  name: 'OrderLatencyHigh',
  threshold: { key: 'max_order_latency_ms', unit: 'ms', exprValue: (v) => shift(v, -3), display: (v) => `${decimal(v)} ms` },
  rule: (th) => ({
    variant: 'max',
    expr: `max by (account, stage) (trader_order_latency_max_seconds) > ${th.exprValue}`,
    severity: 'warning',
    summary: ['Slow order round trip on ', ...ACCOUNT],
    description: [
      'An order round trip (',
      { label: 'stage' },
      ') on account ',
      ...ACCOUNT,
      ' took ',
      { value: 'duration' },
      `, above the ${th.display} limit (max_order_latency_ms).`,
    ],
    dashboard: 'account',
  }),
  tests: (s, rule, L) => {
    const labels = { account: TEST_ACCOUNT, stage: 'fill' };
    const value = { safe: shift(Math.max(0, L - 1), -3), limit: shift(L, -3), breach: shift(L + 1, -3) };
    return [
      thresholdGroup(
        s,
        rule,
        `${L} ms does not fire, ${L + 1} ms fires at the first evaluation, and it resolves`,
        (k) => [{ series: selector('trader_order_latency_max_seconds', labels), values: value[k] }],
        labels,
        Number(value.breach),
      ),
    ];
  },
  runbook: [
    '**Means:** one order round trip (submit → acknowledged, or submit → filled; label `stage`) on the',
    "account took longer than `max_order_latency_ms` within the exporter's latency window",
    '(`exporter.latency_window_seconds`, default 60 s). One slow order is enough; it resolves when the',
    'window no longer holds a slow order. Severity warning.',
    '',
    '**First checks:**',
    '1. Dashboard (link in the alert): is it one order or all of them? Compare `stage="ack"` and `stage="fill"`:',
    '   slow acks point at the gateway / network, slow fills at the market (illiquid symbol, limit far from the price).',
    '2. `trader_broker_rtt_seconds` and `trader_broker_upstream_connected`: a slow or flapping gateway slows every order.',
    '3. IB system status and the gateway log (pacing violations, code 100 "max rate of messages exceeded").',
    "4. Your strategy's own log: did it retry or modify orders in a loop?",
    '',
    '**Silence:** `amtool silence add alertname=OrderLatencyHigh account=<account> --duration=30m`.',
  ],
});
