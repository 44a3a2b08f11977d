/** DailyRealizedPnlBelowLimit: realized P&L today is below min_daily_realized_pnl (the daily loss limit). */
import { add, decimal, money } from '../decimal.js';
import { selector, TEST_ACCOUNT, thresholdGroup } from '../suite.js';
import { ACCOUNT, thresholdAlert, type AlertDefinition } from './alert.js';

export const DailyRealizedPnlBelowLimit: AlertDefinition<'DailyRealizedPnlBelowLimit'> = thresholdAlert({
  name: 'DailyRealizedPnlBelowLimit',
  threshold: { key: 'min_daily_realized_pnl', unit: 'currency', exprValue: decimal, display: money },
  rule: (th) => ({
    variant: 'limit',
    expr: `min by (account, currency) (trader_realized_pnl_today) < ${th.exprValue}`,
    severity: 'critical',
    summary: ['Daily realized loss limit hit on ', ...ACCOUNT],
    description: [
      'Realized P&L today on account ',
      ...ACCOUNT,
      ' is ',
      { value: 'money' },
      ' ',
      { label: 'currency' },
      `, below the limit of ${th.display} `,
      { label: 'currency' },
      ' (min_daily_realized_pnl).',
    ],
    dashboard: 'account',
  }),
  tests: (s, rule, P) => {
    const labels = { account: TEST_ACCOUNT, currency: 'USD' };
    const value = { safe: add(P, '0.01'), limit: add(P, 0), breach: add(P, '-0.01') };
    return [
      thresholdGroup(
        s,
        rule,
        `${value.limit} does not fire, ${value.breach} fires at the first evaluation, and it resolves`,
        (k) => [{ series: selector('trader_realized_pnl_today', labels), values: value[k] }],
        labels,
        Number(value.breach),
      ),
    ];
  },
  runbook: [
    '**Means:** realized P&L today (`trader_realized_pnl_today`, since `trading.day_start`) is below',
    "`min_daily_realized_pnl` in the account's currency. Severity critical: your daily loss limit is hit.",
    '',
    '**First checks:**',
    '1. Stop or pause the strategy first if your rules say so; then investigate.',
    '2. Trading overview dashboard: trades today, win rate, average win / average loss (recording rules',
    '   `account:trader_win_rate_today:ratio`, `account:trader_avg_loss_today:currency`).',
    '3. Is it real? Compare with TWS / Account Management; a broker disconnect (BrokerDisconnected mutes this alert) freezes P&L.',
    '4. Check for a runaway order loop: `trader_executions_total` rate.',
    '',
    '**Silence:** only after acting, and only until the next trading day:',
    '`amtool silence add alertname=DailyRealizedPnlBelowLimit account=<account> --duration=8h --comment="strategy stopped"`.',
  ],
});
