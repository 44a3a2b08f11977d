/**
 * Validation as you type: the draft is checked by the server a moment after each edit, its
 * problems are placed next to their fields (or listed above the form), and the dirty note says
 * what is left to do before applying.
 */
import { SECTION, type PageProblem, type ValidateResponse } from '../../../src/shared/api.js';
import { problemAnchor, sameValue } from '../../../src/shared/form.js';
import { $, api, h } from '../../dom.js';
import { renderTests } from './channelTests.js';
import { page, slots } from './page.js';

let validateTimer: ReturnType<typeof setTimeout> | undefined;
let validateSeq = 0;
let lastValid = true;
let lastProblems: PageProblem[] | undefined;

/** After any edit of the draft: the dirty note now, a validation once typing pauses. */
export function onEdit() {
  updateDirty();
  clearTimeout(validateTimer);
  validateTimer = setTimeout(() => void validate(), 250);
}

export function showProblems(problems: PageProblem[]) {
  lastProblems = problems;
  for (const { problem, inputs } of slots.values()) {
    problem.textContent = '';
    problem.className = 'problem';
    for (const input of inputs) input.removeAttribute('aria-invalid');
  }
  const general: PageProblem[] = [];
  for (const p of problems) {
    const anchor = p.path.startsWith(`${SECTION}.`) ? problemAnchor(p.path, (k) => slots.has(k)) : undefined;
    if (!anchor) {
      general.push(p);
      continue;
    }
    const slot = slots.get(anchor)!;
    const text = `${p.severity === 'warning' ? 'Warning: ' : ''}${anchor === p.path ? '' : `${p.path.slice(anchor.length).replace(/^\./, '')}: `}${p.message}${p.hint ? ` (${p.hint})` : ''}`;
    slot.problem.textContent = slot.problem.textContent ? `${slot.problem.textContent} ${text}` : text;
    if (p.severity === 'error') for (const input of slot.inputs) input.setAttribute('aria-invalid', 'true');
    else if (!slot.problem.classList.contains('error')) slot.problem.classList.add('warning');
    if (p.severity === 'error') {
      slot.problem.classList.remove('warning');
      slot.problem.classList.add('error');
    }
  }
  const section = $('general-problems');
  section.hidden = general.length === 0;
  section
    .querySelector('ul')!
    .replaceChildren(
      ...general.map((p) =>
        h(
          'li',
          { class: `problem ${p.severity}` },
          `${p.line ? `line ${p.line}, ` : ''}${p.path || 'file'}: ${p.message}${p.hint ? ` (${p.hint})` : ''}`,
        ),
      ),
    );
}

/** Shows the last problems again, after fields were redrawn (a list's rows). */
export function reshowProblems() {
  if (lastProblems) showProblems(lastProblems);
}

export function focusFirstProblem() {
  const invalid = document.querySelector<HTMLElement>('[aria-invalid="true"]');
  invalid?.focus();
}

export async function validate(): Promise<ValidateResponse | undefined> {
  const seq = ++validateSeq;
  try {
    const { body } = await api<ValidateResponse>('POST', '/api/validate', { draft: page.draft });
    if (seq !== validateSeq) return undefined; // a newer keystroke's answer is on its way
    lastValid = body.valid;
    showProblems(body.problems);
    $<HTMLButtonElement>('apply').setAttribute('aria-describedby', 'dirty');
    updateDirty();
    return body;
  } catch {
    return undefined;
  }
}

export function updateDirty() {
  const dirty = !sameValue(page.draft, page.base);
  const errors = lastProblems?.filter((p) => p.severity === 'error').length ?? 0;
  $('dirty').textContent =
    errors > 0 && !lastValid
      ? `${errors} problem${errors === 1 ? '' : 's'} to fix before applying.`
      : dirty
        ? 'Changes not applied yet.'
        : '';
  $<HTMLButtonElement>('revert').disabled = !dirty;
  renderTests();
}
