/** [alerts_config.thresholds]: one key per threshold alert (rules-gen/src/alerts/ holds the rules). */
import { int, num, table } from '../schema.js';

export const thresholds = table(
  'Alert thresholds. Each one generates an alert rule; see the contract for what fires when.',
  {
    max_order_latency_ms: int('OrderLatencyHigh fires when one order round trip in the latency window takes longer than this.', {
      default: 1000,
      min: 1,
      max: 600_000,
      unit: 'ms',
    }),
    min_daily_realized_pnl: num(
      'DailyRealizedPnlBelowLimit fires when realized P&L today falls below this (account currency; negative for a loss).',
      {
        default: -500,
      },
    ),
    max_portfolio_drawdown_percentage_today: num(
      'DrawdownTodayExceeded fires when equity is this many percent below start-of-day equity (5.0 means 5 %).',
      {
        default: 5,
        min: 0,
        exclusiveMin: true,
        max: 100,
        unit: '%',
      },
    ),
    max_api_errors_per_hour: int('ApiErrorsExcessive fires when more than this many API errors happened in the last hour.', {
      default: 10,
      min: 0,
      max: 1_000_000,
    }),
    max_data_staleness_seconds: int('MarketDataStale fires, during market hours only, when no data sync happened for longer than this.', {
      default: 60,
      min: 1,
      max: 86_400,
      unit: 's',
    }),
  },
  {
    needs: ['max_portfolio_drawdown_percentage_today'],
    run: (t, report) => {
      const pct = t.max_portfolio_drawdown_percentage_today;
      if (pct < 1) {
        report(
          'max_portfolio_drawdown_percentage_today',
          `${pct} means ${pct} %, not ${pct * 100} %`,
          `this is a percentage: write ${+(pct * 100).toFixed(6)} for ${+(pct * 100).toFixed(6)} %; keep ${pct} only if you mean a drawdown of ${pct} %`,
          'warning',
        );
      }
    },
  },
  {
    needs: ['min_daily_realized_pnl'],
    run: (t, report) => {
      if (t.min_daily_realized_pnl > 0) {
        report(
          'min_daily_realized_pnl',
          `${t.min_daily_realized_pnl} is a profit: the alert fires on every day that has not made it yet`,
          'a loss limit is negative, for example -500',
          'warning',
        );
      }
    },
  },
);
