/**
 * explain's "muted while firing" comes from the inhibit rules alertmanager.yml is written
 * from: checked here against the generated file itself, read back as Alertmanager reads it.
 */
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { buildModel, explain, generate } from '../src/index.js';
import { EXAMPLE, loaded, withKeys } from './helpers.js';

interface YamlInhibit {
  source_matchers: string[];
  target_matchers: string[];
  equal?: string[];
}

/** Matcher strings as Alertmanager parses them: name="v" or name=~"regex" (anchored). */
function matches(matchers: string[], labels: Record<string, string>): boolean {
  return matchers.every((m) => {
    const [, name, op, value] = /^(\w+)(=~|=)"(.*)"$/.exec(m)!;
    const v = labels[name] ?? '';
    return op === '=' ? v === value : new RegExp(`^(?:${value})$`).test(v);
  });
}

/** For each alert, the alerts that can mute it according to the generated alertmanager.yml. */
function mutersFromYaml(text: string): Map<string, Set<string>> {
  const l = loaded(text);
  const model = buildModel(l);
  const am = parse(generate(l).get('alertmanager.yml')!.content) as { inhibit_rules: YamlInhibit[] };
  const labels = model.alerts.map((r) => ({ ...r.labels, alertname: r.alert, severity: r.severity }));
  const out = new Map<string, Set<string>>();
  for (const target of labels) {
    const set = out.get(target.alertname) ?? new Set<string>();
    out.set(target.alertname, set);
    for (const rule of am.inhibit_rules) {
      if (!matches(rule.target_matchers, target)) continue;
      for (const source of labels) {
        if (source.alertname === 'Watchdog' || !matches(rule.source_matchers, source)) continue;
        const same = (rule.equal ?? []).every(
          (k) =>
            (source as Record<string, string>)[k] === undefined ||
            (target as Record<string, string>)[k] === undefined ||
            (source as Record<string, string>)[k] === (target as Record<string, string>)[k],
        );
        if (same) set.add(source.alertname);
      }
    }
  }
  return out;
}

describe('explain: inhibition', () => {
  for (const [name, text] of [
    ['the example', EXAMPLE],
    ['alerts_config.enabled = false', withKeys({ 'alerts_config.enabled': 'false' })],
  ] as const) {
    it(`names exactly the alerts the generated inhibit_rules let mute each alert (${name})`, () => {
      const expected = mutersFromYaml(text);
      for (const e of explain(loaded(text)).filter((x) => x.generated)) {
        expect([...new Set(e.inhibitors.flatMap((i) => i.by))].sort(), e.alert).toEqual([...(expected.get(e.alert) ?? [])].sort());
      }
    });
  }

  it('says nothing mutes the warning-only OrderLatencyHigh, and names the account-scoped muting of P&L alerts', () => {
    const [latency] = explain(loaded(EXAMPLE), 'OrderLatencyHigh');
    expect(latency.severity).toBe('warning');
    expect(latency.inhibitedBy).toEqual([]);
    const [pnl] = explain(loaded(EXAMPLE), 'DailyRealizedPnlBelowLimit');
    expect(pnl.inhibitedBy).toEqual(['BrokerDisconnected of the same account']);
    const [stale] = explain(loaded(EXAMPLE), 'MarketDataStale');
    expect(stale.inhibitedBy).toEqual(['BrokerDisconnected', 'ExporterDown']);
  });
});
