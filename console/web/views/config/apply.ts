/**
 * Apply: the draft is diffed, reviewed and sent with the file's hash; the server's answer
 * (applied, refused, a secret to enter again, a conflict, a failed reload that was rolled back)
 * is shown. Restoring a version from the history ends in the same answers.
 * apply → load → history → apply is an import cycle of functions only (an apply reloads the
 * page, which lists the history, whose restore answers like an apply): nothing runs at import.
 */
import type { ApplyResponse, ConflictResponse, DiffResponse, ValidateResponse } from '../../../src/shared/api.js';
import { $, api, h } from '../../dom.js';
import { load } from './load.js';
import { page, say } from './page.js';
import { askReconfirm, type ReconfirmResponse, type Resend } from './reconfirm.js';
import { changesTable, review, stepsList } from './review.js';
import { focusFirstProblem, showProblems } from './validation.js';

export async function handleApplyAnswer(status: number, body: unknown, what: string, resend?: Resend) {
  if (status === 422 && resend && Array.isArray((body as Partial<ReconfirmResponse>).reconfirm)) {
    askReconfirm(body as ReconfirmResponse, what, resend);
    return;
  }
  if (status === 200) {
    const r = body as ApplyResponse;
    await load(false);
    say([h('p', { class: 'ok-text' }, `✓ ${what} applied and in effect.`), stepsList(r.steps)], 'ok');
    return;
  }
  if (status === 400) {
    const r = body as ValidateResponse;
    showProblems(r.problems);
    say(h('p', { class: 'bad-text' }, `${what} was refused: fix the problems shown next to the fields. Nothing was changed.`), 'bad');
    focusFirstProblem();
    return;
  }
  if (status === 409) {
    showConflict(body as ConflictResponse);
    return;
  }
  if (status === 502) {
    const r = body as ApplyResponse;
    say(
      [
        h(
          'p',
          { class: 'bad-text' },
          r.rollbackError
            ? `✗ ${what} failed: ${r.error}. config.toml and the generated files were put back, but the previous configuration could not be reloaded everywhere either: ${r.rollbackError}. Fix that part, then apply again.`
            : `✗ ${what} failed: ${r.error}. Everything was put back as it was, and the previous configuration is running.`,
        ),
        stepsList(r.steps),
        h('p', {}, 'Rollback:'),
        stepsList(r.rollbackSteps ?? []),
      ],
      'bad',
    );
    return;
  }
  say(h('p', { class: 'bad-text' }, `${what} failed: ${(body as { error?: string }).error ?? `HTTP ${status}`}`), 'bad');
}

export async function applyDraft() {
  const { body: diff } = await api<DiffResponse>('POST', '/api/diff', { draft: page.draft });
  if (!diff.valid) {
    showProblems(diff.problems);
    say(h('p', { class: 'bad-text' }, 'Fix the problems shown next to the fields first. Nothing was changed.'), 'bad');
    focusFirstProblem();
    return;
  }
  if (diff.changes.length === 0) {
    say('Nothing to apply: the file already says this.', 'info');
    return;
  }
  if (!(await review('Review the changes', diff, 'Apply'))) return;
  say('Applying: writing config.toml, regenerating the rules, reloading Prometheus, Alertmanager and the bridge…');
  const apply = $<HTMLButtonElement>('apply');
  apply.disabled = true;
  try {
    await sendApply();
  } finally {
    apply.disabled = false;
  }
}

async function sendApply(reconfirm?: Record<string, string>) {
  const { draft } = page;
  const request = reconfirm ? { draft, reconfirm_secrets: reconfirm } : { draft };
  const { status, body } = await api<unknown>('POST', '/api/apply', request, { 'if-match': `"${page.state.sha256}"` });
  await handleApplyAnswer(status, body, 'The configuration', sendApply);
}

function showConflict(conflict: ConflictResponse) {
  page.conflict = conflict;
  const dialog = $<HTMLDialogElement>('conflict');
  $('conflict-body').replaceChildren(
    h('p', {}, 'Someone saved config.toml (another tab, or an edit of the file) after this page loaded it. Nothing was overwritten.'),
    conflict.changes.length
      ? h('div', {}, h('p', {}, 'Their changes:'), changesTable(conflict.changes))
      : h('p', {}, 'Reload to see their version.'),
    h(
      'p',
      {},
      '"Reload and keep my edits" loads their version and puts your edits on top; where you both changed a key, yours is kept and marked.',
    ),
  );
  dialog.showModal();
  $('conflict-merge').focus();
}
