/** ApiErrorsExcessive: more than max_api_errors_per_hour API errors (warnings excluded) in the last hour. */
import { decimal } from '../decimal.js';
import { expect, selector } from '../suite.js';
import { thresholdAlert, type AlertDefinition } from './alert.js';

export const ApiErrorsExcessive: AlertDefinition<'ApiErrorsExcessive'> = thresholdAlert({
  name: 'ApiErrorsExcessive',
  threshold: { key: 'max_api_errors_per_hour', unit: 'errors/h', exprValue: decimal, display: decimal },
  rule: (th) => ({
    variant: 'limit',
    expr: `sum(component:trader_api_errors:increase1h) > ${th.exprValue}`,
    severity: 'warning',
    summary: ['Excessive API errors in the last hour'],
    description: [{ value: 'count' }, ` API errors in the last hour, more than the limit of ${th.display} (max_api_errors_per_hour).`],
    dashboard: 'overview',
  }),
  tests: (s, rule, N) => {
    const E = s.E;
    const labels = { component: 'ibkr', code: '1100', class: 'connectivity' };
    const resolveStep = Math.ceil(3600 / E) + 3;
    const fired = [expect(s.model, rule, {}, N + 1)];
    return [
      {
        name: `ApiErrorsExcessive: ${N} errors in an hour do not fire, ${N + 1} fire at the first evaluation, and it resolves when they age out`,
        interval: s.t(1),
        input_series: [
          { series: selector('trader_api_errors_total', labels), values: `0 ${N} ${N} ${N + 1}+0x${resolveStep}` },
          // IB's connect notices are class "warning": far more than N of them must not fire it.
          {
            series: selector('trader_api_errors_total', { component: 'ibkr', code: '2104', class: 'warning' }),
            values: `0 ${10 * N + 10}+0x${resolveStep + 3}`,
          },
          s.upSeries(`1+0x${resolveStep + 3}`),
        ],
        alert_rule_test: [
          { eval_time: s.t(0), alertname: rule.alert, exp_alerts: [] },
          { eval_time: s.t(1), alertname: rule.alert, exp_alerts: [] },
          { eval_time: s.t(2), alertname: rule.alert, exp_alerts: [] },
          { eval_time: s.t(3), alertname: rule.alert, exp_alerts: fired },
          { eval_time: s.t(resolveStep), alertname: rule.alert, exp_alerts: [] },
        ],
      },
    ];
  },
  runbook: [
    '**Means:** more than `max_api_errors_per_hour` API errors (`trader_api_errors_total`, all components)',
    'in the last hour, counted exactly (recording rule `component:trader_api_errors:increase1h`, no',
    'extrapolation). Severity warning. It resolves when the errors age out of the hour.',
    '',
    '**First checks:**',
    '1. Which component and class? `sum by (component, class, code) (increase(trader_api_errors_total[1h]))`.',
    '2. `class="connectivity"`: gateway or network trouble (see BrokerDisconnected). `order_reject`: margin,',
    '   permissions, price limits. `market_data`: missing subscriptions or pacing.',
    '3. Look the IB codes up in the TWS API error list; fix the cause rather than raise the threshold.',
    '',
    '**Silence:** `amtool silence add alertname=ApiErrorsExcessive --duration=1h --comment="IB maintenance"`.',
  ],
});
