/**
 * The form's controls, one per kind of key: a checkbox, a text box or a choice, a secret
 * reference, a list of rows. Each edits the draft in place and registers its problem slot.
 */
import { KEEP_SECRET, type DraftValue, type FieldInfo } from '../../../src/shared/api.js';
import { fieldId, getIn, itemLabel, labelOf, rangeText, readNumber, setIn } from '../../../src/shared/form.js';
import { h, type Child } from '../../dom.js';
import { page, slots } from './page.js';
import { onEdit, reshowProblems } from './validation.js';

function hintId(path: string) {
  return `${fieldId(path)}-hint`;
}
function problemId(path: string) {
  return `${fieldId(path)}-problem`;
}

function register(path: string, problem: HTMLElement, ...inputs: HTMLElement[]) {
  slots.set(path, { problem, inputs });
}

function describedBy(path: string, extra = '') {
  return `${hintId(path)} ${problemId(path)}${extra ? ` ${extra}` : ''}`;
}

const KIND_WORDS: Partial<Record<FieldInfo['kind'], string>> = {
  integer: 'A whole number.',
  number: 'A number.',
  list: 'A list: one entry per row.',
};

function fieldHint(path: string, field: FieldInfo): HTMLElement {
  const parts = [field.help];
  const kind = KIND_WORDS[field.kind];
  if (kind) parts.push(kind);
  const range = rangeText(field);
  if (range) parts.push(`Must be ${range}.`);
  if (field.default !== undefined && field.kind !== 'boolean' && !(Array.isArray(field.default) && field.default.length === 0))
    parts.push(
      `Default: ${Array.isArray(field.default) ? field.default.join(', ') : String(field.default)}${field.unit ? ` ${field.unit}` : ''}.`,
    );
  if (field.optional) parts.push('Optional.');
  return h('p', { class: 'hint', id: hintId(path) }, parts.join(' '));
}

function problemSlot(path: string): HTMLElement {
  return h('p', { class: 'problem', id: problemId(path) });
}

/** The key as written in config.toml, for people who know the file; not read out as part of the label. */
function keyTag(path: string[]) {
  return h('span', { class: 'key', 'aria-hidden': 'true' }, path.slice(1).join('.'));
}

/** A field's box: `body` (label and control), then the hint and the problem slot, registered for `inputs`. */
function fieldBox(key: string, field: FieldInfo, inputs: HTMLElement[], body: Child[], attrs: Record<string, string> = {}): HTMLElement {
  const problem = problemSlot(key);
  register(key, problem, ...inputs);
  return h('div', { class: 'field', ...attrs }, ...body, fieldHint(key, field), problem);
}

export function renderBoolean(path: string[], field: FieldInfo, onChange?: (v: boolean) => void): HTMLElement {
  const key = path.join('.');
  const id = fieldId(key);
  const input = h('input', { type: 'checkbox', id, 'aria-describedby': describedBy(key) });
  input.checked = getIn(page.draft, path.slice(1)) === true;
  input.addEventListener('change', () => {
    setIn(page.draft, path.slice(1), input.checked);
    onChange?.(input.checked);
    onEdit();
  });
  return fieldBox(key, field, [input], [h('label', { class: 'check', for: id }, input, labelOf(path.slice(1)), keyTag(path))]);
}

export function renderScalar(path: string[], field: FieldInfo): HTMLElement {
  const key = path.join('.');
  const id = fieldId(key);
  const value = getIn(page.draft, path.slice(1));
  let input: HTMLInputElement | HTMLSelectElement;
  if (field.choices) {
    const select = h('select', { id, 'aria-describedby': describedBy(key) }, ...field.choices.map((c) => h('option', { value: c }, c)));
    select.value = typeof value === 'string' ? value : String(field.default ?? '');
    select.addEventListener('change', () => {
      setIn(page.draft, path.slice(1), select.value);
      onEdit();
    });
    input = select;
  } else {
    const numeric = field.kind === 'integer' || field.kind === 'number';
    const text = h('input', {
      type: 'text',
      id,
      'aria-describedby': describedBy(key),
      inputmode: numeric
        ? field.min !== undefined && field.min >= 0
          ? field.kind === 'integer'
            ? 'numeric'
            : 'decimal'
          : undefined
        : undefined,
      autocomplete: 'off',
      spellcheck: 'false',
      placeholder: field.optional ? 'not set' : undefined,
    });
    text.value = value === null || value === undefined ? '' : String(value);
    text.addEventListener('input', () => {
      const t = text.value;
      const v: DraftValue = numeric ? (t.trim() === '' && field.optional ? null : readNumber(t)) : t === '' && field.optional ? null : t;
      setIn(page.draft, path.slice(1), v);
      onEdit();
    });
    input = text;
  }
  const control = field.unit
    ? h('div', { class: 'with-unit' }, input, h('span', { class: 'unit', 'aria-hidden': 'true' }, field.unit))
    : input;
  return fieldBox(
    key,
    field,
    [input],
    [h('label', { for: id }, labelOf(path.slice(1), field), field.unit ? ` (${field.unit})` : '', keyTag(path)), control],
  );
}

function secretStatus(value: unknown, original: unknown): string {
  if (value === KEEP_SECRET) return 'Set (in the file).';
  if (typeof value === 'string' && value.startsWith('env:')) return `Set: read from the environment variable ${value.slice(4)}.`;
  if (typeof value === 'string' && value.startsWith('file:')) return `Set: read from the file ${value.slice(5)}.`;
  if (value === null && original !== null && original !== undefined) return 'Not set (removed when you apply).';
  if (value === null) return 'Not set.';
  return 'Set to a new reference.';
}

export function renderSecret(path: string[], field: FieldInfo): HTMLElement {
  const key = path.join('.');
  const id = fieldId(key);
  const original = getIn(page.base, path.slice(1));
  const status = h('span', { class: 'secret-status', id: `${id}-status` });
  const input = h('input', {
    type: 'text',
    id,
    autocomplete: 'off',
    spellcheck: 'false',
    placeholder: 'env:NAME or file:PATH',
    'aria-describedby': describedBy(key, `${id}-status`),
  });
  const remove = h('button', { type: 'button', class: 'quiet' }, 'Remove');
  remove.setAttribute('aria-label', `Remove ${labelOf(path.slice(1)).toLowerCase()}`);
  const refresh = () => {
    const v = getIn(page.draft, path.slice(1));
    status.textContent = secretStatus(v, original);
    remove.hidden = v === null;
  };
  const current = getIn(page.draft, path.slice(1));
  input.value = typeof current === 'string' && current !== KEEP_SECRET ? current : '';
  input.addEventListener('input', () => {
    const t = input.value.trim();
    // An empty box means "as it was" for a secret kept in the file, "not set" otherwise.
    setIn(page.draft, path.slice(1), t === '' ? (original === KEEP_SECRET ? KEEP_SECRET : null) : t);
    refresh();
    onEdit();
  });
  remove.addEventListener('click', () => {
    input.value = '';
    setIn(page.draft, path.slice(1), null);
    refresh();
    onEdit();
    input.focus();
  });
  refresh();
  return fieldBox(
    key,
    { ...field, help: `${field.help} The value itself is never shown here.` },
    [input],
    [h('label', { for: id }, labelOf(path.slice(1)), keyTag(path)), status, h('div', { class: 'with-unit' }, input, remove)],
  );
}

export function renderList(path: string[], field: FieldInfo): HTMLElement {
  const key = path.join('.');
  const id = fieldId(key);
  const list = h('ul', { class: 'rows', id, 'aria-describedby': describedBy(key) });
  const label = h('span', { class: 'label', id: `${id}-label` }, labelOf(path.slice(1)), keyTag(path));
  list.setAttribute('aria-labelledby', `${id}-label`);
  const items = (): string[] => {
    const v = getIn(page.draft, path.slice(1));
    return Array.isArray(v) ? v.map((x) => String(x)) : [];
  };
  const draw = (focusIndex?: number) => {
    for (const k of [...slots.keys()]) if (k.startsWith(`${key}[`)) slots.delete(k);
    list.replaceChildren();
    items().forEach((value, index) => {
      const rowPath = `${key}[${index}]`;
      const rowId = fieldId(rowPath);
      const input = h('input', {
        type: 'text',
        id: rowId,
        autocomplete: 'off',
        spellcheck: 'false',
        'aria-describedby': problemId(rowPath),
      });
      input.value = value;
      input.setAttribute('aria-label', itemLabel(path, index));
      input.addEventListener('input', () => {
        const next = items();
        next[index] = input.value;
        setIn(page.draft, path.slice(1), next);
        onEdit();
      });
      const remove = h('button', { type: 'button', class: 'quiet' }, 'Remove');
      remove.setAttribute('aria-label', `Remove ${itemLabel(path, index).toLowerCase()}`);
      remove.addEventListener('click', () => {
        const next = items();
        next.splice(index, 1);
        setIn(page.draft, path.slice(1), next);
        draw(Math.min(index, next.length - 1));
        if (next.length === 0) add.focus();
        onEdit();
      });
      const rowProblem = problemSlot(rowPath);
      register(rowPath, rowProblem, input);
      list.append(h('li', {}, input, remove, rowProblem));
      if (index === focusIndex) queueMicrotask(() => input.focus());
    });
    reshowProblems();
  };
  const noun = itemLabel(path, 0).replace(/ 1$/, '');
  const add = h('button', { type: 'button' }, `Add ${noun.toLowerCase().replace(/^(\w+) /, '')}`);
  add.setAttribute('aria-label', `Add ${noun.toLowerCase()}`);
  add.addEventListener('click', () => {
    const next = [...items(), ''];
    setIn(page.draft, path.slice(1), next);
    draw(next.length - 1);
    onEdit();
  });
  // The list's own slot first, so that the rows' first drawing can place problems on it.
  const box = fieldBox(key, field, [list], [label, list, add], { role: 'group', 'aria-labelledby': `${id}-label` });
  draw();
  return box;
}
