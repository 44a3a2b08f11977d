/**
 * docs/runbooks.md, generated from the alert modules: this introduction, then each alert's
 * `runbook` under "## <AlertName>" (the anchor its runbook_url points to), in module order.
 * Regenerate: npm run generate:runbooks; rules-gen/test/runbooks.test.ts fails when it drifts.
 */
import { ALERTS } from './alerts/index.js';

/** Where the generated file is committed, relative to the repository root (the bridge serves it at /runbooks). */
export const RUNBOOKS_FILE = 'docs/runbooks.md';

const INTRO: readonly string[] = [
  '# Runbooks',
  '',
  "One section per alert of the generated rules (`traderadmin generate`). Each alert's",
  '`runbook_url` annotation points here: `<alerts_config.runbook_base_url>#<alert name lower-case>`',
  '(the alert bridge serves this page at `/runbooks`). Thresholds come from `config.toml`',
  '`[alerts_config.thresholds]`; `traderadmin explain --alert NAME` shows when each channel is',
  'notified. This file is generated from the alert modules (rules-gen/src/alerts/) by',
  '`npm run generate:runbooks`: edit the module, not this file.',
  '',
  'How to silence, for every alert: `traderadmin` talks to Alertmanager through the bridge',
  '(`GET/POST /api/v1/silences`, `DELETE /api/v1/silences/{id}`), or use amtool directly:',
  '',
  '```sh',
  'amtool --alertmanager.url=http://127.0.0.1:9093 silence add alertname=OrderLatencyHigh account=DU1234567 \\',
  '  --duration=1h --comment="investigating slow fills"',
  'amtool --alertmanager.url=http://127.0.0.1:9093 silence query',
  'amtool --alertmanager.url=http://127.0.0.1:9093 silence expire <id>',
  '```',
  '',
  'Always silence with the narrowest matchers (alert name **and** account), for a fixed duration,',
  'with a comment. Never silence `Watchdog`: the bridge would report monitoring as down.',
];

/** The text of docs/runbooks.md. */
export function runbooksMarkdown(): string {
  const sections = ALERTS.map((a) => `## ${a.name}\n\n${a.runbook.join('\n')}\n`);
  return `${INTRO.join('\n')}\n\n${sections.join('\n')}`;
}
