/**
 * The generated files pass the real tools: promtool check config / check rules --lint-fatal,
 * amtool check-config and routes, and the generated promtool test suites pass, for
 * config.example.toml and for configs that vary every threshold, interval and channel.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROMETHEUS_BIN, requireBinaries } from '@traderadmin/test-support';
import { buildModel, checkGenerated, generate, writeGenerated } from '../src/index.js';
import { EXAMPLE, VARIANTS, VARIANT_ENV, loaded, run, tempDir, variantText, withKeys } from './helpers.js';

requireBinaries('promtool', 'amtool');
void PROMETHEUS_BIN;

const configs: Array<[string, string]> = [
  ['config.example.toml', EXAMPLE],
  ...Object.keys(VARIANTS).map((n): [string, string] => [n, variantText(n)]),
];

describe('generated files pass promtool and amtool', () => {
  it.each(configs)(
    '%s: check config, check rules, check-config, routes and every generated test suite pass',
    (_name, text) => {
      const l = loaded(text, VARIANT_ENV);
      const files = generate(l, { env: VARIANT_ENV });
      const result = checkGenerated(buildModel(l), files, { tests: true });
      expect(result.runs.map((r) => `${r.tool} ${r.what}: ${r.ran ? (r.ok ? 'ok' : r.output) : 'not run'}`)).toEqual([
        'promtool check config: ok',
        'promtool check rules: ok',
        'amtool check-config: ok',
        'amtool config routes test: ok',
        'promtool test rules: ok',
      ]);
      expect(result.problems).toEqual([]);
      // CPU-bound: the suites evaluate every rule once per evaluation interval, up to an hour of
      // them (ApiErrorsExcessive's window) at 1 s: about 17 s alone, twice that beside other tests.
    },
    120_000,
  );

  it('a runbook or Grafana URL carrying Go template code stays literal text: promtool renders it unchanged', () => {
    // Prometheus expands every annotation; {{ }} in a config value must not run on every alert.
    const evil = 'https://wiki.example.com/{{ with query "trader_equity" }}{{ . }}{{ end }}';
    const l = loaded(
      withKeys({ 'alerts_config.runbook_base_url': JSON.stringify(evil), 'grafana.url': JSON.stringify(`${evil}/g`) }),
      VARIANT_ENV,
    );
    const files = generate(l, { env: VARIANT_ENV });
    expect(files.get('rules.yml')!.content).toContain('https://wiki.example.com/{{ "{{" }} with query');
    const dir = tempDir();
    writeGenerated(dir, files);
    const test = readFileSync(path.join(dir, 'tests/OrderLatencyHigh.yml'), 'utf8');
    expect(test).toContain(`runbook_url: ${evil}#orderlatencyhigh`);
    const r = run('promtool', ['test', 'rules', 'tests/OrderLatencyHigh.yml'], dir);
    expect(r.code, r.output).toBe(0);
  });

  it('the generated suites catch a threshold that is off by one unit', () => {
    const l = loaded(variantText('tight limits, every channel, 1 s intervals'), VARIANT_ENV);
    const dir = tempDir();
    writeGenerated(dir, generate(l, { env: VARIANT_ENV }));
    const rules = path.join(dir, 'rules.yml');
    const good = readFileSync(rules, 'utf8');
    expect(run('promtool', ['test', 'rules', 'tests/OrderLatencyHigh.yml'], dir).code).toBe(0);
    // 351 ms instead of 350 ms: the 351 ms step no longer fires.
    writeFileSync(rules, good.replace('(trader_order_latency_max_seconds) > 0.35', '(trader_order_latency_max_seconds) > 0.351'));
    const broken = run('promtool', ['test', 'rules', 'tests/OrderLatencyHigh.yml'], dir);
    expect(broken.code).not.toBe(0);
    expect(broken.output).toMatch(/OrderLatencyHigh/);
    // A `for:` on a threshold alert delays the first evaluation: the suite fails too.
    writeFileSync(rules, good.replace(/(- alert: DailyRealizedPnlBelowLimit\n\s+expr: [^\n]+\n)/, '$1        for: 1s\n'));
    expect(run('promtool', ['test', 'rules', 'tests/DailyRealizedPnlBelowLimit.yml'], dir).code).not.toBe(0);
  });

  it('validate-style checks map a broken rule back to the config key that produced it', () => {
    const l = loaded(EXAMPLE);
    const files = new Map(generate(l));
    const rules = files.get('rules.yml')!;
    files.set('rules.yml', {
      ...rules,
      content: rules.content.replace('trader_realized_pnl_today) < -500', 'trader_realized_pnl_today) < < -500'),
    });
    const result = checkGenerated(buildModel(l), files);
    const problem = result.problems.find((p) => p.what === 'check rules');
    expect(problem?.key).toBe('alerts_config.thresholds.min_daily_realized_pnl');
    expect(problem?.message).toMatch(/promtool check rules/);
  });
});
