/** MarketDataStale: no data sync for longer than max_data_staleness_seconds (notified inside market hours only). */
import { decimal } from '../decimal.js';
import { quietFiresResolves, selector, staleScenario } from '../suite.js';
import { thresholdAlert, type AlertDefinition } from './alert.js';

export const MarketDataStale: AlertDefinition<'MarketDataStale'> = thresholdAlert({
  name: 'MarketDataStale',
  clockDriven: true,
  window: 'market-hours',
  threshold: { key: 'max_data_staleness_seconds', unit: 's', exprValue: decimal, display: (v) => `${decimal(v)} s` },
  rule: (th) => ({
    variant: 'limit',
    expr: `time() - max by (source) (trader_last_data_sync_timestamp_seconds) > ${th.exprValue}`,
    severity: 'warning',
    summary: ['Market data is stale: ', { label: 'source' }],
    description: [
      'No ',
      { label: 'source' },
      ' sync for ',
      { value: 'duration' },
      `, longer than the ${th.display} limit (max_data_staleness_seconds).`,
    ],
    dashboard: 'overview',
  }),
  tests: (s, rule, S) => {
    const sc = staleScenario(s.E, S);
    const labels = { source: 'market_data' };
    return [
      {
        name: `MarketDataStale: ${sc.limitReached} s without a sync does not fire, ${sc.staleness} s fires at the first evaluation, and it resolves`,
        interval: s.t(1),
        input_series: [
          { series: selector('trader_last_data_sync_timestamp_seconds', labels), values: sc.values },
          s.upSeries(`1+0x${sc.resumeStep + 1}`),
        ],
        alert_rule_test: quietFiresResolves(s, rule, labels, sc.staleness, [sc.quietStep, sc.fireStep, sc.resumeStep]),
      },
    ];
  },
  runbook: [
    '**Means:** no market data / scanner sync (`trader_last_data_sync_timestamp_seconds`, label `source`)',
    'for longer than `max_data_staleness_seconds`. It notifies only inside market hours',
    '(`trading.market_open`–`market_close` on `market_days`, `trading.timezone`). Severity warning.',
    '',
    '**First checks:**',
    '1. BrokerDisconnected firing too? Then that is the cause (it mutes this alert).',
    '2. Is the market actually open (holiday, half day)?',
    '3. Market data subscriptions and pacing (error 162/354/10197 in `trader_api_errors_total`).',
    '4. The component that reports the sync (scanner, orchestrator): is it alive? (ComponentDown.)',
    '',
    '**Silence:** `amtool silence add alertname=MarketDataStale source=<source> --duration=1h`.',
  ],
});
