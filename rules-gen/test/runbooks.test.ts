/**
 * docs/runbooks.md is generated from the alert modules (rules-gen/src/alerts/): the committed
 * file must be what they produce, so a new alert cannot ship without its runbook section.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ALERTS, RUNBOOKS_FILE, runbooksMarkdown } from '../src/index.js';
import { ROOT } from './helpers.js';

describe('docs/runbooks.md', () => {
  it('is what the alert modules generate', () => {
    const committed = readFileSync(path.join(ROOT, RUNBOOKS_FILE), 'utf8');
    expect(committed === runbooksMarkdown(), `${RUNBOOKS_FILE} is out of date; run \`npm run generate:runbooks\``).toBe(true);
  });

  it.each(ALERTS.map((a) => [a.name, a] as const))('%s has a runbook that says what it means and how to silence it', (_name, alert) => {
    const text = alert.runbook.join('\n');
    expect(text).toMatch(/^\*\*Means:\*\*/);
    expect(text).toMatch(/\*\*Silence:\*\*/);
  });
});
