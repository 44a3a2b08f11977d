/**
 * "Trading overview" row 2: today's trading (trades, average win and loss, order latency) and
 * the limits the alerts watch (API errors, drawdown), coloured by config.toml's thresholds.
 */
import * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';
import { colour, currencyOverrides, grid, prom, thresholds, type DashboardOptions, type Placement } from '../common.js';
import { ACC, namedValues, stat } from './panels.js';

export function activityRow(o: Required<DashboardOptions>): Placement[] {
  const drawdownLimit = o.drawdownLimitPercent / 100;
  return [
    [
      grid(0, 4, 8, 4),
      namedValues(
        stat(
          'Trades today',
          'none',
          'Closed round trips since day start: all, wins and losses, and the win rate (recording rule account:trader_win_rate_today:ratio).',
        )
          .withTarget(prom('A', `sum(trader_trades_today{${ACC}})`, { legend: 'Trades' }))
          .withTarget(prom('B', `sum(trader_trades_today{${ACC}, outcome="win"})`, { legend: 'Wins' }))
          .withTarget(prom('C', `sum(trader_trades_today{${ACC}, outcome="loss"})`, { legend: 'Losses' }))
          .withTarget(prom('D', `account:trader_win_rate_today:ratio{${ACC}}`, { legend: 'Win rate' })),
      )
        .thresholds(thresholds([null, 'text']))
        .overrideByName('Win rate', [
          { id: 'unit', value: 'percentunit' },
          { id: 'decimals', value: 0 },
        ])
        .decimals(0)
        .noValue('no trades yet'),
    ],
    [
      grid(8, 4, 4, 4),
      namedValues(
        stat(
          'Average win / loss',
          o.moneyUnit,
          'Average P&L of today’s winning and losing trades (recording rules account:trader_avg_win_today:currency and account:trader_avg_loss_today:currency).',
        )
          .decimals(2)
          .withTarget(prom('A', `account:trader_avg_win_today:currency{${ACC}}`, { legend: 'Avg win {{currency}}' }))
          .withTarget(prom('B', `account:trader_avg_loss_today:currency{${ACC}}`, { legend: 'Avg loss {{currency}}' }))
          .overrides(currencyOverrides()),
      )
        .thresholds(thresholds([null, 'red'], [0, 'green']))
        .noValue('no closed trades'),
    ],
    [
      grid(12, 4, 4, 4),
      namedValues(
        stat(
          'Average order latency',
          's',
          'Mean order round trip over the dashboard time range, by stage (ack: submit to acknowledged; fill: submit to filled).',
        ).withTarget(
          prom(
            'A',
            `sum by (stage) (increase(trader_order_latency_seconds_sum{${ACC}}[$__range]))\n/\n(sum by (stage) (increase(trader_order_latency_seconds_count{${ACC}}[$__range])) > 0)`,
            { legend: '{{stage}}', instant: true },
          ),
        ),
      )
        .thresholds(thresholds([null, 'green'], [o.latencyThresholdSeconds / 2, 'orange'], [o.latencyThresholdSeconds, 'red']))
        .noValue('no orders'),
    ],
    [
      grid(16, 4, 4, 4),
      stat(
        'API errors (last hour)',
        'none',
        'API errors of every component in the last hour, counted exactly (recording rule component:trader_api_errors:increase1h; alert ApiErrorsExcessive).',
      )
        .decimals(0)
        .withTarget(prom('A', 'sum(component:trader_api_errors:increase1h) or vector(0)', { legend: 'errors' }))
        .colorScheme(colour(dashboard.FieldColorModeId.Thresholds))
        .thresholds(thresholds([null, 'green'], [1, 'orange'], [o.maxApiErrorsPerHour, 'red'])),
    ],
    [
      grid(20, 4, 4, 4),
      stat(
        'Drawdown today',
        'percentunit',
        'How far equity is below start-of-day equity (recording rule account:trader_drawdown_today:ratio; alert DrawdownTodayExceeded).',
      )
        .decimals(2)
        .withTarget(prom('A', `account:trader_drawdown_today:ratio{${ACC}}`, { legend: '{{currency}}' }))
        .colorScheme(colour(dashboard.FieldColorModeId.Thresholds))
        .thresholds(thresholds([null, 'green'], [drawdownLimit / 2, 'orange'], [drawdownLimit, 'red'])),
    ],
  ];
}
