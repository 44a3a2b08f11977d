/** The recording rules dashboards and alerts share, and their promtool suite. */
import { selector, TEST_ACCOUNT, type Suite, type TestGroup } from './suite.js';

export interface RecordingRule {
  record: string;
  expr: string;
  /** What dashboards read it for. */
  help: string;
}

/** The recording rules, in rules.yml order (before every alert, in the same group). */
export function recordingRules(): RecordingRule[] {
  return [
    {
      record: 'account:trader_win_rate_today:ratio',
      help: 'share of today’s closed trades that were wins (0..1); absent before the first trade',
      expr: 'sum by (account) (trader_trades_today{outcome="win"})\n/\n(sum by (account) (trader_trades_today) > 0)',
    },
    {
      record: 'account:trader_drawdown_today:ratio',
      help: 'how far equity is below start-of-day equity (0..1; 0 when above it)',
      expr: 'clamp_min(\n  1 - max by (account, currency) (trader_equity) / (max by (account, currency) (trader_equity_start_of_day) > 0),\n  0\n)',
    },
    {
      record: 'component:trader_api_errors:rate5m',
      // IB's informational notices (2104, 2106, 2158, ...: class "warning") arrive on every
      // connect; they are not errors, and counting them would page after a few reconnects.
      help: 'API errors per second by component, over 5 minutes (warnings excluded)',
      expr: 'sum by (component) (rate(trader_api_errors_total{class!="warning"}[5m]))',
    },
    {
      // Not increase(): it extrapolates (10 real errors can read 10.4) and would page at the
      // limit. This counts exactly; after a counter reset it counts the errors since the reset.
      record: 'component:trader_api_errors:increase1h',
      help: 'API errors by component in the last hour, counted exactly (no extrapolation; warnings excluded)',
      expr: 'sum by (component) (\n  ((trader_api_errors_total{class!="warning"} - trader_api_errors_total{class!="warning"} offset 1h) >= 0)\n  or\n  trader_api_errors_total{class!="warning"}\n)',
    },
    {
      record: 'account:trader_avg_win_today:currency',
      help: 'average P&L of today’s winning trades',
      expr: 'sum by (account, currency) (trader_trade_pnl_today{outcome="win"})\n/ on (account) group_left ()\n(sum by (account) (trader_trades_today{outcome="win"}) > 0)',
    },
    {
      record: 'account:trader_avg_loss_today:currency',
      help: 'average P&L of today’s losing trades (negative)',
      expr: 'sum by (account, currency) (trader_trade_pnl_today{outcome="loss"})\n/ on (account) group_left ()\n(sum by (account) (trader_trades_today{outcome="loss"}) > 0)',
    },
  ];
}

/** Their promtool suite (tests/recording-rules.yml). */
export function recordingTests(s: Suite): TestGroup[] {
  const acct = (extra: Record<string, string>) => ({ account: TEST_ACCOUNT, ...extra });
  const t = s.t(2);
  const groups: TestGroup[] = [
    {
      name: 'recording rules: win rate, drawdown, average win and loss, API errors in the last hour',
      interval: s.t(1),
      input_series: [
        { series: selector('trader_trades_today', acct({ outcome: 'win' })), values: '3+0x3' },
        { series: selector('trader_trades_today', acct({ outcome: 'loss' })), values: '1+0x3' },
        { series: selector('trader_trades_today', acct({ outcome: 'breakeven' })), values: '0+0x3' },
        { series: selector('trader_trade_pnl_today', acct({ outcome: 'win', currency: 'USD' })), values: '300+0x3' },
        { series: selector('trader_trade_pnl_today', acct({ outcome: 'loss', currency: 'USD' })), values: '-120+0x3' },
        { series: selector('trader_equity', acct({ currency: 'USD' })), values: '75000+0x3' },
        { series: selector('trader_equity_start_of_day', acct({ currency: 'USD' })), values: '100000+0x3' },
        { series: selector('trader_api_errors_total', { component: 'ibkr', code: '504', class: 'connectivity' }), values: '0 4 7 7' },
        { series: selector('trader_api_errors_total', { component: 'scanner', code: '162', class: 'market_data' }), values: '0 0 2 2' },
      ],
      promql_expr_test: [
        {
          expr: 'account:trader_win_rate_today:ratio',
          eval_time: t,
          exp_samples: [{ labels: selector('account:trader_win_rate_today:ratio', acct({})), value: 0.75 }],
        },
        {
          expr: 'account:trader_drawdown_today:ratio',
          eval_time: t,
          exp_samples: [{ labels: selector('account:trader_drawdown_today:ratio', acct({ currency: 'USD' })), value: 0.25 }],
        },
        {
          expr: 'account:trader_avg_win_today:currency',
          eval_time: t,
          exp_samples: [{ labels: selector('account:trader_avg_win_today:currency', acct({ currency: 'USD' })), value: 100 }],
        },
        {
          expr: 'account:trader_avg_loss_today:currency',
          eval_time: t,
          exp_samples: [{ labels: selector('account:trader_avg_loss_today:currency', acct({ currency: 'USD' })), value: -120 }],
        },
        {
          expr: 'component:trader_api_errors:increase1h',
          eval_time: t,
          exp_samples: [
            { labels: selector('component:trader_api_errors:increase1h', { component: 'ibkr' }), value: 7 },
            { labels: selector('component:trader_api_errors:increase1h', { component: 'scanner' }), value: 2 },
          ],
        },
      ],
    },
  ];
  return groups;
}
