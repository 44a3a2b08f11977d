/**
 * Generated `promtool test rules` suites, one file per alert, for the thresholds of THIS
 * config: at (or just below) the limit never fires, just past it fires at the first
 * evaluation, it resolves, and missing data fires ExporterDown instead. Each alert's suite is
 * in its module (alerts/<AlertName>.ts); this file writes them, the recording rules' suite, and
 * the one for alerts_config.enabled = false.
 */
import { add, shift } from './decimal.js';
import { ALERTS, isOn } from './alerts/index.js';
import { duration } from './jobs.js';
import type { Model } from './model.js';
import { recordingTests } from './recording.js';
import { selector, Suite, TEST_ACCOUNT, type TestGroup } from './suite.js';
import { header, toYaml } from './yaml.js';

/** With alerts_config.enabled = false, a breach of every threshold stays silent. */
function disabled(s: Suite): TestGroup[] {
  const c = s.model.config.alerts_config.thresholds;
  return [
    {
      name: 'alerts_config.enabled = false: threshold breaches do not fire',
      interval: s.t(1),
      input_series: [
        {
          series: selector('trader_order_latency_max_seconds', { account: TEST_ACCOUNT, stage: 'fill' }),
          values: shift(c.max_order_latency_ms * 10, -3),
        },
        {
          series: selector('trader_realized_pnl_today', { account: TEST_ACCOUNT, currency: 'USD' }),
          values: add(c.min_daily_realized_pnl, -1000),
        },
        s.upSeries('1'),
      ],
      alert_rule_test: (['OrderLatencyHigh', 'DailyRealizedPnlBelowLimit', 'ComponentDown', 'MarketDataStale'] as const).map(
        (alertname) => ({
          eval_time: s.t(0),
          alertname,
          exp_alerts: [],
        }),
      ),
    },
  ];
}

/** path (relative to the output folder) → promtool test file text. */
export function testFiles(model: Model): Map<string, string> {
  const s = new Suite(model, model.config.prometheus.evaluation_interval_seconds);
  const suites: Array<[string, TestGroup[]]> = [['recording-rules', recordingTests(s)]];
  for (const alert of ALERTS) {
    const groups = isOn(model.config, alert) ? alert.tests(s) : [];
    if (groups.length > 0) suites.push([alert.name, groups]);
  }
  if (!model.config.alerts_config.enabled) suites.push(['thresholds-disabled', disabled(s)]);
  const out = new Map<string, string>();
  for (const [name, groups] of suites) {
    const doc = { rule_files: ['../rules.yml'], evaluation_interval: duration(s.E), tests: groups };
    out.set(
      `tests/${name}.yml`,
      header(model.sourceName, model.sha256, `promtool test rules suite: ${name}. Run: promtool test rules tests/*.yml`) + toYaml(doc),
    );
  }
  return out;
}
