import { describe, expect, it } from 'vitest';
import { metricNames, promqlSyntaxErrors, substituteVariables } from '../src/promql.js';
import { grafanaIntervals } from '../src/panelQuery.js';

describe('substituteVariables', () => {
  it.each([
    ['trader_equity{account="$account"}', 'trader_equity{account="DU1"}'],
    ['trader_equity{account="${account}"}', 'trader_equity{account="DU1"}'],
    ['trader_equity{account="${account:regex}"}', 'trader_equity{account="DU1"}'],
    ['trader_equity{account="[[account]]"}', 'trader_equity{account="DU1"}'],
    ['rate(x[$__rate_interval])', 'rate(x[2m])'],
    ['increase(x[$__range])', 'increase(x[7200s])'],
    ['x / $__range_s', 'x / 7200'],
    ['avg_over_time(x[$__interval])', 'avg_over_time(x[30s])'],
    ['x{a="$nope"}', 'x{a="unknown_variable_nope"}'],
  ])('%s → %s', (input, output) => {
    expect(substituteVariables(input, { vars: { account: 'DU1' }, rateInterval: '2m', interval: '30s', rangeSeconds: 7200 })).toBe(output);
  });
});

describe('promqlSyntaxErrors', () => {
  it.each([
    'sum by (le) (rate(x_bucket[5m]))',
    'ALERTS{alertstate="firing"} or vector(0)',
    'time() - x',
    'a / on (account) group_left () (b > 0)',
  ])('accepts %s', (expr) => {
    expect(promqlSyntaxErrors(expr)).toEqual([]);
  });

  it.each(['sum by (le (rate(x[5m]))', 'rate(x[5m)', 'a + ', '', 'x{a=}'])('rejects "%s"', (expr) => {
    expect(promqlSyntaxErrors(expr).length).toBeGreaterThan(0);
  });
});

describe('metricNames', () => {
  it('lists the selected metrics, not functions or labels', () => {
    expect(metricNames('histogram_quantile(0.9, sum by (le) (rate(b_bucket{x="y"}[5m]))) / a')).toEqual(['a', 'b_bucket']);
  });
});

describe('grafanaIntervals', () => {
  it.each([
    // 1 h over 1000 points → 4 s, raised to the 5 s scrape interval; rate interval 4 × scrape.
    [3_600_000, 1000, 5, { stepSeconds: 5, rateIntervalSeconds: 20 }],
    // 7 days over 1000 points → 605 s; rate interval = step + scrape.
    [7 * 86_400_000, 1000, 5, { stepSeconds: 605, rateIntervalSeconds: 610 }],
  ])('range %d ms, %d points, %d s scrape', (range, points, scrape, expected) => {
    expect(grafanaIntervals(range, points, scrape)).toEqual(expected);
  });
});
