import { main } from '@traderadmin/cli';
import { existsSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ConfigEditor } from '../src/editor.js';
import { ConfigHistory, sha256 } from '../src/history.js';
import { KEEP_SECRET, type ApplyResponse, type ConflictResponse, type Draft, type ValidateResponse } from '../src/shared/api.js';
import { patchToml, type TomlEdit } from '../src/tomlPatch.js';
import { RecordingDeployer, configFolder, email, th } from './helpers.js';

const ROOT = path.resolve(__dirname, '../..');
const folders: string[] = [];
afterEach(() => {
  for (const dir of folders.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function setup(edits: TomlEdit[] = [], env: NodeJS.ProcessEnv = {}) {
  const f = configFolder(edits);
  folders.push(f.dir);
  const deployer = new RecordingDeployer();
  const history = new ConfigHistory({ dir: f.historyDir, keep: 50, clock: () => new Date('2026-11-21T12:00:00.000Z') });
  const editor = new ConfigEditor({ configFile: f.file, history, deployer, env });
  return { ...f, deployer, history, editor, text: () => readFileSync(f.file, 'utf8') };
}

/** The loaded draft with one change. */
function edited(editor: ConfigEditor, change: (d: Draft) => void): Draft {
  const draft = structuredClone(editor.state('t').draft);
  change(draft);
  return draft;
}
const thresholds = (d: Draft) => d.thresholds as Draft;
const emailOf = (d: Draft) => (d.notifications as Draft).email as Draft;

/** Runs `traderadmin validate --format json` on a file, as a user would. */
async function cliValidate(file: string): Promise<{ valid: boolean; problems: Array<{ path: string; message: string }> }> {
  let out = '';
  await main(['node', 'traderadmin', 'validate', '--config', file, '--format', 'json'], {
    color: false,
    out: (l = '') => (out += `${l}\n`),
    err: () => {},
  });
  return JSON.parse(out) as { valid: boolean; problems: Array<{ path: string; message: string }> };
}

describe('validating a draft', () => {
  it('gives the same problems, with the same messages, as traderadmin validate on the file it would write', async () => {
    const s = setup();
    const draft = edited(s.editor, (d) => {
      thresholds(d).max_order_latency_ms = 'abc';
      thresholds(d).max_data_staleness_seconds = 0;
      emailOf(d).enabled = true;
      emailOf(d).recipients = ['trader@example.com', 'not-an-address'];
    });
    const page = s.editor.validate(draft);
    const file = path.join(s.dir, 'same.toml');
    writeFileSync(
      file,
      patchToml(s.text(), [
        { path: th('max_order_latency_ms'), value: 'abc' },
        { path: th('max_data_staleness_seconds'), value: 0 },
        { path: email('enabled'), value: true },
        { path: email('recipients'), value: ['trader@example.com', 'not-an-address'] },
      ]),
    );
    const cli = await cliValidate(file);
    expect(page.valid).toBe(false);
    expect(cli.valid).toBe(false);
    expect(page.problems.map((p) => `${p.path}: ${p.message}`)).toEqual(cli.problems.map((p) => `${p.path}: ${p.message}`));
    expect(page.problems.map((p) => `${p.path}: ${p.message}`)).toEqual([
      'alerts_config.thresholds.max_order_latency_ms: expected an integer, got a string "abc"',
      'alerts_config.thresholds.max_data_staleness_seconds: 0 is out of range: must be between 1 and 86400 s',
      'alerts_config.notifications.email.recipients[1]: "not-an-address" is not an email address',
    ]);
  });

  it('is valid for the loaded draft unchanged', () => {
    const s = setup();
    expect(s.editor.validate(s.editor.state('t').draft)).toEqual({ valid: true, problems: [] });
  });

  it('refuses keys the section does not have', () => {
    const s = setup();
    const result = s.editor.validate({ thresholds: { max_latency: 5 } });
    expect(result.problems).toEqual([
      { path: 'alerts_config.thresholds.max_latency', severity: 'error', message: 'is not a key the page can edit' },
    ]);
  });
});

describe('applying', () => {
  it('writes only the changed value, deploys, and records the history with who and when', async () => {
    const s = setup();
    const before = s.text();
    const draft = edited(s.editor, (d) => (thresholds(d).max_order_latency_ms = 200));
    const answer = await s.editor.apply({ draft }, `"${sha256(before)}"`, 'alice');
    expect(answer.status).toBe(200);
    const body = answer.body as ApplyResponse;
    expect(body.ok).toBe(true);
    expect(body.changes).toEqual([{ path: 'alerts_config.thresholds.max_order_latency_ms', before: '1000', after: '200' }]);
    expect(s.text()).toBe(before.replace('max_order_latency_ms = 1000', 'max_order_latency_ms = 200'));
    expect(body.sha256).toBe(sha256(s.text()));
    // The deployer saw the new file.
    expect(s.deployer.seen).toEqual([s.text()]);
    // The backup is the previous version, kept with the history (it can hold secrets), not beside config.toml.
    expect(existsSync(`${s.file}.bak`)).toBe(false);
    const backup = path.join(s.historyDir, 'config.toml.bak');
    expect(readFileSync(backup, 'utf8')).toBe(before);
    expect(statSync(backup).mode & 0o777).toBe(0o600);
    expect(statSync(s.historyDir).mode & 0o777).toBe(0o700);
    // …and git ignores one beside config.toml anyway, written by an older version.
    expect(readFileSync(path.join(ROOT, '.gitignore'), 'utf8')).toMatch(/^config\/\*\.bak$/m);
    const items = s.history.list();
    expect(items.map((i) => [i.action, i.user, i.at])).toEqual([
      ['apply', 'alice', '2026-11-21T12:00:00.000Z'],
      ['initial', 'outside the page', '2026-11-21T12:00:00.000Z'],
    ]);
    expect(items[0].summary).toBe('thresholds.max_order_latency_ms 1000 → 200');
    expect(s.history.read(items[1].id)?.text).toBe(before);
  });

  it('refuses an invalid draft with 400 and its problems, and touches nothing', async () => {
    const s = setup();
    const before = s.text();
    const draft = edited(s.editor, (d) => (thresholds(d).max_order_latency_ms = -3));
    const answer = await s.editor.apply({ draft }, sha256(before), 'bob');
    expect(answer.status).toBe(400);
    expect((answer.body as ValidateResponse).problems).toEqual([
      expect.objectContaining({
        path: 'alerts_config.thresholds.max_order_latency_ms',
        message: '-3 is out of range: must be between 1 and 600000 ms',
      }),
    ]);
    expect(s.text()).toBe(before);
    expect(s.deployer.seen).toEqual([]);
    expect(s.history.list()).toEqual([]);
    expect(existsSync(`${s.file}.bak`)).toBe(false);
    expect(existsSync(path.join(s.historyDir, 'config.toml.bak'))).toBe(false);
  });

  it('puts the previous file back and redeploys it when a reload fails', async () => {
    const s = setup();
    const before = s.text();
    s.deployer.failOn.add(1);
    const draft = edited(s.editor, (d) => (thresholds(d).max_api_errors_per_hour = 3));
    const answer = await s.editor.apply({ draft }, sha256(before), 'carol');
    expect(answer.status).toBe(502);
    const body = answer.body as ApplyResponse;
    expect(body).toMatchObject({ ok: false, rolledBack: true, error: 'Prometheus rejected the reload: HTTP 500 boom' });
    expect(body.rollbackError).toBeUndefined();
    expect(s.text()).toBe(before);
    // First deploy saw the new file, the rollback deploy the old one.
    expect(s.deployer.seen).toHaveLength(2);
    expect(s.deployer.seen[0]).toContain('max_api_errors_per_hour = 3');
    expect(s.deployer.seen[1]).toBe(before);
    expect(s.history.list().map((i) => i.action)).toEqual(['initial']);
  });

  it('says so when putting the previous configuration back fails too', async () => {
    const s = setup();
    const before = s.text();
    s.deployer.failOn.add(1).add(2);
    const answer = await s.editor.apply(
      { draft: edited(s.editor, (d) => (thresholds(d).max_api_errors_per_hour = 4)) },
      sha256(before),
      'x',
    );
    expect(answer.status).toBe(502);
    expect((answer.body as ApplyResponse).rollbackError).toBe('Prometheus rejected the reload: HTTP 500 boom');
    expect(s.text()).toBe(before);
  });
});

describe('two applies from the same starting point (optimistic concurrency)', () => {
  it('needs If-Match', async () => {
    const s = setup();
    const answer = await s.editor.apply({ draft: s.editor.state('t').draft }, undefined, 'x');
    expect(answer.status).toBe(428);
  });

  it('applies the first and answers 409 to the second, which changes nothing', async () => {
    const s = setup();
    const sha = sha256(s.text());
    const a = edited(s.editor, (d) => (thresholds(d).max_order_latency_ms = 300));
    const b = edited(s.editor, (d) => (thresholds(d).max_api_errors_per_hour = 99));
    const [first, second] = await Promise.all([s.editor.apply({ draft: a }, sha, 'tab-1'), s.editor.apply({ draft: b }, sha, 'tab-2')]);
    expect(first.status).toBe(200);
    expect(second.status).toBe(409);
    const conflict = second.body as ConflictResponse;
    expect(conflict.sha256).toBe(sha256(s.text()));
    // What the other tab changed, relative to the version this tab loaded.
    expect(conflict.changes).toEqual([{ path: 'alerts_config.thresholds.max_order_latency_ms', before: '1000', after: '300' }]);
    expect(s.text()).toContain('max_order_latency_ms = 300');
    expect(s.text()).toContain('max_api_errors_per_hour = 10');
    expect(s.deployer.seen).toHaveLength(1);
  });

  it('answers 409 when the file was edited by hand since the page loaded it', async () => {
    const s = setup();
    const sha = sha256(s.text());
    writeFileSync(s.file, `${s.text()}\n# edited by hand\n`);
    const answer = await s.editor.apply({ draft: edited(s.editor, (d) => (thresholds(d).max_order_latency_ms = 5)) }, sha, 'x');
    expect(answer.status).toBe(409);
    expect(s.text()).not.toContain('max_order_latency_ms = 5');
  });
});

describe('going back to an earlier version', () => {
  it('restores it through the same path, its diff first', async () => {
    const s = setup();
    const original = s.text();
    await s.editor.apply({ draft: edited(s.editor, (d) => (thresholds(d).max_order_latency_ms = 200)) }, sha256(original), 'alice');
    const initial = s.history.list().find((i) => i.action === 'initial')!;
    expect(s.editor.diff({ text: s.history.read(initial.id)!.text }).changes).toEqual([
      { path: 'alerts_config.thresholds.max_order_latency_ms', before: '200', after: '1000' },
    ]);
    const answer = await s.editor.apply({ restore: initial.id }, sha256(s.text()), 'bob');
    expect(answer.status).toBe(200);
    expect(s.text()).toBe(original);
    expect(s.history.list()[0]).toMatchObject({ action: 'restore', user: 'bob', sha256: sha256(original) });
    expect(s.deployer.seen.at(-1)).toBe(original);
  });

  it('answers 404 for a version that is not there', async () => {
    const s = setup();
    const answer = await s.editor.apply({ restore: '00000009-20260101T000000000Z-deadbeef' }, sha256(s.text()), 'x');
    expect(answer.status).toBe(404);
  });
});

describe('secrets', () => {
  const LITERAL = 'hunter2-very-secret-password';

  it('never sends a secret written in clear, and keeps it when the draft says so', async () => {
    const s = setup([
      { path: email('enabled'), value: true },
      { path: email('smtp_password'), value: LITERAL },
    ]);
    const state = s.editor.state('t');
    expect(emailOf(state.draft).smtp_password).toBe(KEEP_SECRET);
    const draft = edited(s.editor, (d) => (thresholds(d).max_order_latency_ms = 250));
    const answers = [
      state,
      s.editor.validate(draft),
      s.editor.diff({ draft }),
      (await s.editor.apply({ draft }, sha256(s.text()), 'x')).body,
    ];
    for (const answer of answers) expect(JSON.stringify(answer)).not.toContain(LITERAL);
    expect(s.text()).toContain(`smtp_password = "${LITERAL}"`);
    expect(s.text()).toContain('max_order_latency_ms = 250');
  });

  it('refuses a secret typed in clear in the page, without echoing it', () => {
    const s = setup();
    const result = s.editor.validate(edited(s.editor, (d) => (emailOf(d).smtp_password = LITERAL)));
    expect(result.valid).toBe(false);
    expect(result.problems[0]).toMatchObject({ path: 'alerts_config.notifications.email.smtp_password' });
    expect(result.problems[0].message).toMatch(/write a reference/);
    expect(JSON.stringify(result)).not.toContain(LITERAL);
  });

  it('writes a new reference, and removes the key when set to null', async () => {
    const s = setup([], { SMTP_PW: 'x' });
    await s.editor.apply({ draft: edited(s.editor, (d) => (emailOf(d).smtp_password = 'env:SMTP_PW')) }, sha256(s.text()), 'x');
    expect(s.text()).toContain('smtp_password = "env:SMTP_PW"');
    await s.editor.apply({ draft: edited(s.editor, (d) => (emailOf(d).smtp_password = null)) }, sha256(s.text()), 'x');
    expect(s.text()).not.toContain('smtp_password =');
    // The comment above it stays.
    expect(s.text()).toContain('# SMTP password (optional): "env:NAME" or "file:PATH".');
  });

  it('shows a changed clear secret in a diff only as "set (in the file), changed"', () => {
    const s = setup([{ path: email('smtp_password'), value: LITERAL }]);
    const other = patchToml(s.text(), [{ path: email('smtp_password'), value: 'another-clear-one' }]);
    const diff = s.editor.diff({ text: other });
    expect(diff.changes).toEqual([
      { path: 'alerts_config.notifications.email.smtp_password', before: 'set (in the file)', after: 'set (in the file), changed' },
    ]);
    expect(JSON.stringify(diff)).not.toContain('another-clear-one');
  });
});
