/**
 * What the user confirms before anything is written: the review dialog (changed keys, the
 * generated rules and routing), and the tables of changes and of apply steps it and the status
 * line show.
 */
import type { DiffResponse, KeyChange, StepReport } from '../../../src/shared/api.js';
import { $, h, type Child } from '../../dom.js';

export function changesTable(changes: KeyChange[]): HTMLElement {
  if (changes.length === 0) return h('p', {}, 'No setting changes.');
  return h(
    'table',
    { class: 'stack' },
    h('caption', { class: 'hint' }, 'Settings in config.toml'),
    h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Key'), h('th', { scope: 'col' }, 'Now'), h('th', { scope: 'col' }, 'After'))),
    h(
      'tbody',
      {},
      ...changes.map((c) =>
        h(
          'tr',
          {},
          h('td', { 'data-label': 'Key' }, h('code', {}, c.path)),
          h('td', { 'data-label': 'Now' }, c.before ?? '(not set)'),
          h('td', { 'data-label': 'After' }, c.after ?? '(not set)'),
        ),
      ),
    ),
  );
}

function reviewBody(diff: DiffResponse): Child[] {
  const errors = diff.problems.filter((p) => p.severity === 'error');
  return [
    errors.length
      ? h(
          'div',
          { role: 'alert' },
          h('p', { class: 'problem' }, 'This cannot be applied:'),
          h('ul', {}, ...errors.map((p) => h('li', { class: 'problem' }, `${p.path}: ${p.message}`))),
        )
      : null,
    changesTable(diff.changes),
    diff.generated.length
      ? h(
          'div',
          {},
          h('h3', {}, 'Rules and notification routing'),
          h('ul', { class: 'steps' }, ...diff.generated.map((line) => h('li', {}, line))),
        )
      : h('p', { class: 'hint' }, 'The generated rules and Alertmanager routing do not change.'),
  ];
}

export function stepsList(steps: StepReport[]): HTMLElement {
  return h(
    'ul',
    { class: 'steps' },
    ...steps.map((s) =>
      h('li', { class: s.ok ? 'ok-text' : 'bad-text' }, `${s.ok ? '✓' : '✗'} ${s.name}${s.detail ? `: ${s.detail}` : ''}`),
    ),
  );
}

/** Opens the review dialog; resolves true when the user confirms. */
export function review(title: string, diff: DiffResponse, confirmLabel: string): Promise<boolean> {
  const dialog = $<HTMLDialogElement>('review');
  $('review-title').textContent = title;
  $('review-body').replaceChildren(...reviewBody(diff).filter((c): c is Node => Boolean(c)));
  const confirm = $<HTMLButtonElement>('review-confirm');
  confirm.textContent = confirmLabel;
  confirm.disabled = !diff.valid || (diff.changes.length === 0 && diff.generated.length === 0);
  return new Promise((resolve) => {
    const done = (ok: boolean) => {
      confirm.removeEventListener('click', onConfirm);
      dialog.removeEventListener('close', onClose);
      if (dialog.open) dialog.close();
      resolve(ok);
    };
    const onConfirm = () => done(true);
    const onClose = () => done(false);
    confirm.addEventListener('click', onConfirm);
    dialog.addEventListener('close', onClose);
    dialog.showModal();
    (confirm.disabled ? dialog.querySelector<HTMLButtonElement>('button[value=cancel]') : confirm)?.focus();
  });
}
