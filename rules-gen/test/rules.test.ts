/** rules.yml: thresholds copied exactly, every contract alert's labels and links, what alerts_config.enabled = false keeps. */
import { describe, expect, it } from 'vitest';
import { ALERT_NAMES } from '../src/index.js';
import { gen, rulesOf, text } from './helpers.js';

describe('rules.yml', () => {
  it('copies thresholds exactly: 350 ms is 0.35 s, 0.35 % is 0.0035, money as written', () => {
    const files = gen({
      'alerts_config.thresholds.max_order_latency_ms': '350',
      'alerts_config.thresholds.max_portfolio_drawdown_percentage_today': '0.35',
      'alerts_config.thresholds.min_daily_realized_pnl': '-1234.56',
      'alerts_config.thresholds.max_api_errors_per_hour': '7',
      'alerts_config.thresholds.max_data_staleness_seconds': '45',
    });
    const rules = rulesOf(text(files, 'rules.yml'));
    const expr = (name: string) => rules.find((r) => r.alert === name)!.expr;
    expect(expr('OrderLatencyHigh')).toBe('max by (account, stage) (trader_order_latency_max_seconds) > 0.35');
    expect(expr('DrawdownTodayExceeded')).toBe('account:trader_drawdown_today:ratio > 0.0035');
    expect(expr('DailyRealizedPnlBelowLimit')).toBe('min by (account, currency) (trader_realized_pnl_today) < -1234.56');
    expect(expr('ApiErrorsExcessive')).toBe('sum(component:trader_api_errors:increase1h) > 7');
    expect(expr('MarketDataStale')).toBe('time() - max by (source) (trader_last_data_sync_timestamp_seconds) > 45');
    expect(text(files, 'rules.yml')).not.toMatch(/\d\.\d*0000000\d/);
    const latency = rules.find((r) => r.alert === 'OrderLatencyHigh')!;
    expect(latency.annotations!.description).toContain('above the 350 ms limit');
    expect(rules.find((r) => r.alert === 'DailyRealizedPnlBelowLimit')!.annotations!.description).toContain('below the limit of -1234.56');
    expect(rules.find((r) => r.alert === 'DrawdownTodayExceeded')!.annotations!.description).toContain('more than the 0.35 % limit');
  });

  it("links every alert to the console's views when [grafana] url is not set (the stack without Docker)", () => {
    const rules = rulesOf(
      text(
        gen({ 'alerts_page.listen': '"0.0.0.0:9196"', 'alerts_page.auth_token': '"env:T"' }, { T: 'a-long-enough-token-0123456789' }),
        'rules.yml',
      ),
    );
    const link = (name: string) => rules.find((r) => r.alert === name)!.annotations!.dashboard_url;
    expect(link('OrderLatencyHigh')).toBe('http://127.0.0.1:9196/monitoring?account={{ $labels.account }}');
    expect(link('ExporterDown')).toBe('http://127.0.0.1:9196/monitoring');
    expect(link('AlertDeliveryFailing')).toBe('http://127.0.0.1:9196/alerts');
  });

  it('writes every contract alert with severity, summary, description, runbook_url and dashboard_url; threshold alerts have no for', () => {
    const files = gen({
      'alerts_config.runbook_base_url': '"https://wiki.example.com/runbooks"',
      'grafana.url': '"https://grafana.example.com/"',
    });
    const rules = rulesOf(text(files, 'rules.yml'));
    expect(new Set(rules.filter((r) => r.alert).map((r) => r.alert))).toEqual(new Set(ALERT_NAMES));
    for (const r of rules.filter((x) => x.alert)) {
      expect(Object.keys(r.annotations!).sort()).toEqual(['dashboard_url', 'description', 'runbook_url', 'summary']);
      expect(r.annotations!.runbook_url).toBe(`https://wiki.example.com/runbooks#${r.alert!.toLowerCase()}`);
      expect(r.annotations!.dashboard_url).toMatch(
        /^https:\/\/grafana\.example\.com\/d\/(trader-overview\/trading-overview|alerts-delivery\/alerts-and-delivery)/,
      );
      expect(['info', 'warning', 'critical', 'none']).toContain(r.labels!.severity);
    }
    for (const name of [
      'OrderLatencyHigh',
      'DailyRealizedPnlBelowLimit',
      'DrawdownTodayExceeded',
      'ApiErrorsExcessive',
      'MarketDataStale',
    ]) {
      expect(rules.find((r) => r.alert === name)!.for, name).toBeUndefined();
    }
    expect(rules.find((r) => r.alert === 'OrderLatencyHigh')!.annotations!.dashboard_url).toBe(
      'https://grafana.example.com/d/trader-overview/trading-overview?var-account={{ $labels.account }}',
    );
    expect(rules.find((r) => r.alert === 'Watchdog')!.labels!.severity).toBe('none');
    expect(rules.filter((r) => r.record).map((r) => r.record)).toEqual([
      'account:trader_win_rate_today:ratio',
      'account:trader_drawdown_today:ratio',
      'component:trader_api_errors:rate5m',
      'component:trader_api_errors:increase1h',
      'account:trader_avg_win_today:currency',
      'account:trader_avg_loss_today:currency',
    ]);
  });

  it('ComponentDown watches exactly the configured components, stale or absent', () => {
    const rules = rulesOf(
      text(gen({ 'exporter.heartbeat_components': '["risk"]', 'exporter.heartbeat_timeout_seconds': '90' }), 'rules.yml'),
    );
    const cd = rules.filter((r) => r.alert === 'ComponentDown');
    expect(cd.map((r) => r.expr)).toEqual([
      'time() - max by (component) (trader_component_last_heartbeat_timestamp_seconds{component="risk"}) > 90',
      '(absent(trader_component_last_heartbeat_timestamp_seconds{component="risk"}) and on () present_over_time(trader_component_last_heartbeat_timestamp_seconds{component="risk"}[1d]))',
    ]);
    expect(cd[1].for).toBe('90s');
    expect(rulesOf(text(gen({ 'exporter.heartbeat_components': '[]' }), 'rules.yml')).some((r) => r.alert === 'ComponentDown')).toBe(false);
  });

  it('alerts_config.enabled = false keeps recording rules, Watchdog, ExporterDown, AlertDeliveryFailing and PartCrashLooping only', () => {
    const files = gen({ 'alerts_config.enabled': 'false' });
    const rules = rulesOf(text(files, 'rules.yml'));
    expect(rules.filter((r) => r.alert).map((r) => r.alert)).toEqual([
      // Two rules: the target cannot be scraped, or there is none (ExporterDown.ts).
      'ExporterDown',
      'ExporterDown',
      'AlertDeliveryFailing',
      'PartCrashLooping',
      'Watchdog',
    ]);
    expect(rules.filter((r) => r.record)).toHaveLength(6);
    expect([...files.keys()].filter((p) => p.startsWith('tests/'))).toEqual([
      'tests/AlertDeliveryFailing.yml',
      'tests/ExporterDown.yml',
      'tests/PartCrashLooping.yml',
      'tests/Watchdog.yml',
      'tests/recording-rules.yml',
      'tests/thresholds-disabled.yml',
    ]);
  });
});
