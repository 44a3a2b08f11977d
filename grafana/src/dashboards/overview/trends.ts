/**
 * "Trading overview" rows 4 and 5, time series: the day's P&L, order latency against
 * config.toml's limit (alert OrderLatencyHigh), and API errors by component.
 */
import { GraphGradientMode, GraphThresholdsStyleConfigBuilder, GraphThresholdsStyleMode } from '@grafana/grafana-foundation-sdk/common';
import { currencyOverrides, grid, prom, stackedBars, thresholds, type DashboardOptions, type Placement } from '../common.js';
import { ACC, trend } from './panels.js';

/** One latency quantile of each stage from the histogram. */
const quantile = (q: number) =>
  `histogram_quantile(${q}, sum by (le, stage) (rate(trader_order_latency_seconds_bucket{${ACC}}[$__rate_interval])))`;

export function trendRows({ moneyUnit, latencyThresholdSeconds }: Required<DashboardOptions>): Placement[] {
  return [
    [
      grid(0, 20, 12, 8),
      trend('Daily P&L trend', 'Realized + unrealized P&L since day start, and the realized part.', (p) =>
        p
          .withTarget(prom('A', `trader_daily_pnl{${ACC}}`, { legend: 'Daily P&L {{currency}}' }))
          .withTarget(prom('B', `trader_realized_pnl_today{${ACC}}`, { legend: 'Realized {{currency}}' }))
          .unit(moneyUnit)
          .overrides(currencyOverrides())
          .decimals(2)
          .fillOpacity(15)
          .gradientMode(GraphGradientMode.Opacity)
          .axisCenteredZero(true),
      ),
    ],
    [
      grid(12, 20, 12, 8),
      trend(
        'Order latency',
        'Order round trip quantiles from the histogram, and the largest round trip in the trailing window (alert OrderLatencyHigh).',
        (p) =>
          p
            .withTarget(prom('A', quantile(0.5), { legend: 'p50 {{stage}}' }))
            .withTarget(prom('B', quantile(0.95), { legend: 'p95 {{stage}}' }))
            .withTarget(prom('C', quantile(0.99), { legend: 'p99 {{stage}}' }))
            .withTarget(prom('D', `max by (stage) (trader_order_latency_max_seconds{${ACC}})`, { legend: 'max {{stage}}' }))
            .unit('s')
            // max_order_latency_ms drawn as a line: the limit OrderLatencyHigh fires above.
            .thresholds(thresholds([null, 'transparent'], [latencyThresholdSeconds, 'red']))
            .thresholdsStyle(new GraphThresholdsStyleConfigBuilder().mode(GraphThresholdsStyleMode.Dashed))
            .spanNulls(true),
      ),
    ],
    [
      grid(0, 28, 12, 9),
      trend('Errors by component', 'API errors per component (ibkr, orchestrator, scanner, exporter, ...) per interval.', (p) =>
        stackedBars(
          p.withTarget(prom('A', 'sum by (component) (increase(trader_api_errors_total[$__rate_interval]))', { legend: '{{component}}' })),
        ),
      ),
    ],
  ];
}
