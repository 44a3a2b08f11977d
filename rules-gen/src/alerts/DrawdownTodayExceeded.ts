/** DrawdownTodayExceeded: equity is more than max_portfolio_drawdown_percentage_today below start-of-day equity. */
import { add, decimal, mul, shift } from '../decimal.js';
import { selector, TEST_ACCOUNT, thresholdGroup } from '../suite.js';
import { ACCOUNT, thresholdAlert, type AlertDefinition } from './alert.js';

export const DrawdownTodayExceeded: AlertDefinition<'DrawdownTodayExceeded'> = thresholdAlert({
  name: 'DrawdownTodayExceeded',
  threshold: {
    key: 'max_portfolio_drawdown_percentage_today',
    unit: '%',
    exprValue: (v) => shift(v, -2),
    display: (v) => `${decimal(v)} %`,
  },
  rule: (th) => ({
    variant: 'limit',
    expr: `account:trader_drawdown_today:ratio > ${th.exprValue}`,
    severity: 'critical',
    summary: ['Drawdown limit exceeded on ', ...ACCOUNT],
    description: [
      'Equity on account ',
      ...ACCOUNT,
      ' is ',
      { value: 'percent' },
      ` below start-of-day equity, more than the ${th.display} limit (max_portfolio_drawdown_percentage_today).`,
    ],
    dashboard: 'account',
  }),
  tests: (s, rule, X) => {
    const labels = { account: TEST_ACCOUNT, currency: 'USD' };
    const start = '100000';
    // Equity exactly at the limit is not testable: 1 - e/s has float noise. One unit either
    // side (a 0.001 % move) is.
    const atLimit = add(start, mul(X, -1000));
    const equity = { safe: add(atLimit, 1), limit: add(atLimit, 1), breach: add(atLimit, -1) };
    const breachRatio = Math.max(0, 1 - Number(equity.breach) / Number(start));
    return [
      thresholdGroup(
        s,
        rule,
        `equity ${equity.safe} of ${start} does not fire, ${equity.breach} fires at the first evaluation, and it resolves`,
        (k) => [
          { series: selector('trader_equity', labels), values: equity[k] },
          { series: selector('trader_equity_start_of_day', labels), values: start },
        ],
        labels,
        breachRatio,
      ),
    ];
  },
  runbook: [
    '**Means:** equity (`trader_equity`) is more than `max_portfolio_drawdown_percentage_today` percent below',
    'start-of-day equity (`trader_equity_start_of_day`); the shared ratio is the recording rule',
    '`account:trader_drawdown_today:ratio`. Includes unrealized losses. Severity critical.',
    '',
    '**First checks:**',
    '1. Open positions and their unrealized P&L (`trader_position_unrealized_pnl`): which position is driving it?',
    "2. Market-wide move or your book only? Check the index and the positions' prices.",
    '3. Start-of-day equity sanity: if the exporter started after `trading.day_start`, the start value is the',
    '   first one it saw.',
    '4. Apply your risk plan (hedge, reduce, stop the strategy).',
    '',
    '**Silence:** `amtool silence add alertname=DrawdownTodayExceeded account=<account> --duration=2h --comment="hedged"`.',
  ],
});
