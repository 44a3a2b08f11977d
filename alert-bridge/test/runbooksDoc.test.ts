/**
 * docs/runbooks.md follows the alerts: one section per alert the rules generator can emit, at the
 * anchor its runbook_url points to, and no section for an alert that does not exist.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { checkConfigText } from '@traderadmin/config';
import { ALERT_NAMES, generate } from '@traderadmin/rules-gen';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { anchorOf } from '../src/http/runbooks.js';

const REPO = path.resolve(import.meta.dirname, '../..');
const RUNBOOKS = readFileSync(path.join(REPO, 'docs/runbooks.md'), 'utf8');
const sections = [...RUNBOOKS.matchAll(/^## (.+)$/gm)].map((m) => anchorOf(m[1].trim()));

/** The rules generated from config.example.toml (every always-on alert and the thresholds it sets). */
function generatedAlerts(): { alert: string; annotations: { runbook_url: string } }[] {
  const file = path.join(REPO, 'config/config.example.toml');
  const { config } = checkConfigText(readFileSync(file, 'utf8'), file, { env: {} });
  if (!config) throw new Error('config.example.toml is invalid');
  const rules = generate({ config, sha256: '0', file }).get('rules.yml')!.content;
  const groups = (parse(rules) as { groups: { rules: { alert?: string; annotations?: { runbook_url: string } }[] }[] }).groups;
  return groups.flatMap((g) => g.rules.filter((r) => r.alert)) as { alert: string; annotations: { runbook_url: string } }[];
}

describe('docs/runbooks.md', () => {
  it('has exactly one section per alert name of the rules model', () => {
    expect([...sections].sort()).toEqual(ALERT_NAMES.map((a) => anchorOf(a)).sort());
  });

  it("has the section each generated rule's runbook_url points to", () => {
    const alerts = generatedAlerts();
    expect(alerts.length).toBeGreaterThan(0);
    for (const { alert, annotations } of alerts) {
      const anchor = annotations.runbook_url.split('#').pop()!;
      expect(anchor, alert).toBe(anchorOf(alert));
      expect(sections, alert).toContain(anchor);
    }
  });
});
