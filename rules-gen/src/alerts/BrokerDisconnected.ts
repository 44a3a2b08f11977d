/**
 * BrokerDisconnected: the exporter is not connected and logged in to the gateway. One alert per
 * account the gateway serves (so inhibition can mute that account's P&L alerts), and a bare one
 * when no account has been seen yet.
 */
import { JOBS } from '../jobs.js';
import { INSTANCE, missingData, quietFiresResolves, selector, TEST_ACCOUNT } from '../suite.js';
import { oneRuleAlert, type AlertDefinition } from './alert.js';

const DOWN = 'max by (instance, gateway) (trader_broker_connected) == 0';

export const BrokerDisconnected: AlertDefinition<'BrokerDisconnected'> = oneRuleAlert({
  name: 'BrokerDisconnected',
  alwaysOn: false,
  window: 'outside-restart-window',
  rule: () => ({
    variant: 'down',
    expr: `(\n  ${DOWN}\n)\n+ on (instance) group_right (gateway)\n  (0 * group by (instance, account) (last_over_time(trader_equity[1h])))\nor on (instance)\n(\n  ${DOWN}\n)`,
    forSeconds: 0,
    severity: 'critical',
    summary: ['Broker connection down: ', { label: 'gateway' }],
    description: [
      'The exporter is not connected and logged in to gateway ',
      { label: 'gateway' },
      { optionalLabel: 'account', before: ' (account ', after: ')' },
      ': no orders, fills or market data are seen.',
    ],
    dashboard: 'account',
    source: 'broker',
  }),
  inhibits: [
    { targets: ['MarketDataStale'], equal: [], why: 'a disconnected gateway explains stale data: one page, not two' },
    {
      targets: ['DailyRealizedPnlBelowLimit', 'DrawdownTodayExceeded'],
      equal: ['account'],
      why: 'P&L of an account whose gateway is down is frozen, not news',
    },
  ],
  tests: (s, rule) => {
    const gateway = s.model.config.broker.name;
    const conn = { series: selector('trader_broker_connected', { gateway, instance: INSTANCE, job: JOBS.exporter }), values: '1 1 0 0 1' };
    const equity = {
      series: selector('trader_equity', { account: TEST_ACCOUNT, currency: 'USD', instance: INSTANCE, job: JOBS.exporter }),
      values: '100000+0x4',
    };
    const test = (labels: Record<string, string>) => quietFiresResolves(s, rule, labels, 0);
    return [
      {
        name: 'BrokerDisconnected: fires at the first evaluation, once per account the gateway serves, and resolves',
        interval: s.t(1),
        input_series: [conn, equity, s.upSeries('1+0x4')],
        alert_rule_test: test({ account: TEST_ACCOUNT, gateway, instance: INSTANCE }),
      },
      {
        name: 'BrokerDisconnected: fires without an account when no account was ever seen',
        interval: s.t(1),
        input_series: [conn, s.upSeries('1+0x4')],
        alert_rule_test: test({ gateway, instance: INSTANCE }),
      },
      missingData(s, 'BrokerDisconnected'),
    ];
  },
  runbook: [
    '**Means:** the exporter is not connected and logged in to the gateway (`trader_broker_connected == 0`),',
    'so no orders, fills or market data are seen. One alert per account the gateway serves (so it can mute',
    "that account's P&L alerts and MarketDataStale). It does not page inside IB's nightly restart window",
    '(`broker.restart_window_start`–`restart_window_end`). Severity critical.',
    '',
    '**First checks:**',
    '1. Is IB Gateway / TWS running and logged in? (A second login elsewhere logs it out.)',
    "2. `trader_broker_upstream_connected`: 0 means the gateway lost IB's servers (codes 1100/1101/1102); wait or check IB status.",
    '3. `trader_broker_reconnects_total`: is the exporter retrying? Its log shows the reconnect backoff.',
    '4. API settings: port (`broker.port`), trusted IPs, and that no other client uses `broker.client_id`.',
    '',
    '**Silence:** during planned maintenance only:',
    '`amtool silence add alertname=BrokerDisconnected --duration=1h --comment="gateway upgrade"`.',
  ],
});
