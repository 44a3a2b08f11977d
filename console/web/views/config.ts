/**
 * The Configuration view (/config), the alerts configuration page: the form generated from the schema (every key
 * of [alerts_config]), validation as you type, test buttons, apply with a reviewed diff,
 * conflict handling, and the history. Plain DOM; bundled by esbuild when the server starts.
 */
import {
  KEEP_SECRET,
  SECTION,
  type ApplyResponse,
  type ConflictResponse,
  type DiffResponse,
  type Draft,
  type DraftValue,
  type FieldInfo,
  type HistoryItem,
  type KeyChange,
  type PageProblem,
  type StateResponse,
  type StepReport,
  type TestAlertResponse,
  type ValidateResponse,
} from '../../src/shared/api.js';
import {
  channelTitle,
  fieldId,
  getIn,
  humanize,
  itemLabel,
  labelOf,
  merge3,
  problemAnchor,
  rangeText,
  readNumber,
  sameValue,
  setIn,
} from '../../src/shared/form.js';
import { $, api, h, type Child } from '../dom.js';

// ---- state ---------------------------------------------------------------------------------

let state: StateResponse;
/** The draft as loaded (what the file holds): dirty detection and merges compare against it. */
let base: Draft = {};
/** The draft being edited. */
let draft: Draft = {};
/** Problem slots by key path (`alerts_config.x.y`, list rows `...[i]`). */
const slots = new Map<string, { problem: HTMLElement; inputs: HTMLElement[] }>();
let validateTimer: ReturnType<typeof setTimeout> | undefined;
let validateSeq = 0;
let lastValid = true;

const clone = <T>(v: T): T => JSON.parse(JSON.stringify(v)) as T;

function say(message: Child | Child[], kind: 'ok' | 'bad' | 'info' = 'info'): void {
  const status = $('status');
  status.className = `status ${kind}`;
  status.replaceChildren(...(Array.isArray(message) ? message : [message]).filter((c): c is Node | string => Boolean(c)));
}

// ---- the form ------------------------------------------------------------------------------

function hintId(path: string) {
  return `${fieldId(path)}-hint`;
}
function problemId(path: string) {
  return `${fieldId(path)}-problem`;
}

function register(path: string, problem: HTMLElement, ...inputs: HTMLElement[]) {
  slots.set(path, { problem, inputs });
}

function onEdit() {
  updateDirty();
  clearTimeout(validateTimer);
  validateTimer = setTimeout(() => void validate(), 250);
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

function renderBoolean(path: string[], field: FieldInfo, onChange?: (v: boolean) => void): HTMLElement {
  const key = path.join('.');
  const id = fieldId(key);
  const input = h('input', { type: 'checkbox', id, 'aria-describedby': describedBy(key) });
  input.checked = getIn(draft, path.slice(1)) === true;
  input.addEventListener('change', () => {
    setIn(draft, path.slice(1), input.checked);
    onChange?.(input.checked);
    onEdit();
  });
  const problem = problemSlot(key);
  register(key, problem, input);
  return h(
    'div',
    { class: 'field' },
    h('label', { class: 'check', for: id }, input, labelOf(path.slice(1)), keyTag(path)),
    fieldHint(key, field),
    problem,
  );
}

function renderScalar(path: string[], field: FieldInfo): HTMLElement {
  const key = path.join('.');
  const id = fieldId(key);
  const value = getIn(draft, path.slice(1));
  const problem = problemSlot(key);
  let input: HTMLInputElement | HTMLSelectElement;
  if (field.choices) {
    const select = h('select', { id, 'aria-describedby': describedBy(key) }, ...field.choices.map((c) => h('option', { value: c }, c)));
    select.value = typeof value === 'string' ? value : String(field.default ?? '');
    select.addEventListener('change', () => {
      setIn(draft, path.slice(1), select.value);
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
      setIn(draft, path.slice(1), v);
      onEdit();
    });
    input = text;
  }
  register(key, problem, input);
  const control = field.unit
    ? h('div', { class: 'with-unit' }, input, h('span', { class: 'unit', 'aria-hidden': 'true' }, field.unit))
    : input;
  return h(
    'div',
    { class: 'field' },
    h('label', { for: id }, labelOf(path.slice(1), field), field.unit ? ` (${field.unit})` : '', keyTag(path)),
    control,
    fieldHint(key, field),
    problem,
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

function renderSecret(path: string[], field: FieldInfo): HTMLElement {
  const key = path.join('.');
  const id = fieldId(key);
  const original = getIn(base, path.slice(1));
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
    const v = getIn(draft, path.slice(1));
    status.textContent = secretStatus(v, original);
    remove.hidden = v === null;
  };
  const current = getIn(draft, path.slice(1));
  input.value = typeof current === 'string' && current !== KEEP_SECRET ? current : '';
  input.addEventListener('input', () => {
    const t = input.value.trim();
    // An empty box means "as it was" for a secret kept in the file, "not set" otherwise.
    setIn(draft, path.slice(1), t === '' ? (original === KEEP_SECRET ? KEEP_SECRET : null) : t);
    refresh();
    onEdit();
  });
  remove.addEventListener('click', () => {
    input.value = '';
    setIn(draft, path.slice(1), null);
    refresh();
    onEdit();
    input.focus();
  });
  refresh();
  const problem = problemSlot(key);
  register(key, problem, input);
  return h(
    'div',
    { class: 'field' },
    h('label', { for: id }, labelOf(path.slice(1)), keyTag(path)),
    status,
    h('div', { class: 'with-unit' }, input, remove),
    fieldHint(key, { ...field, help: `${field.help} The value itself is never shown here.` }),
    problem,
  );
}

function renderList(path: string[], field: FieldInfo): HTMLElement {
  const key = path.join('.');
  const id = fieldId(key);
  const list = h('ul', { class: 'rows', id, 'aria-describedby': describedBy(key) });
  const problem = problemSlot(key);
  const label = h('span', { class: 'label', id: `${id}-label` }, labelOf(path.slice(1)), keyTag(path));
  list.setAttribute('aria-labelledby', `${id}-label`);
  const items = (): string[] => {
    const v = getIn(draft, path.slice(1));
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
        setIn(draft, path.slice(1), next);
        onEdit();
      });
      const remove = h('button', { type: 'button', class: 'quiet' }, 'Remove');
      remove.setAttribute('aria-label', `Remove ${itemLabel(path, index).toLowerCase()}`);
      remove.addEventListener('click', () => {
        const next = items();
        next.splice(index, 1);
        setIn(draft, path.slice(1), next);
        draw(Math.min(index, next.length - 1));
        if (next.length === 0) add.focus();
        onEdit();
      });
      const rowProblem = problemSlot(rowPath);
      register(rowPath, rowProblem, input);
      list.append(h('li', {}, input, remove, rowProblem));
      if (index === focusIndex) queueMicrotask(() => input.focus());
    });
    if (lastProblems) showProblems(lastProblems);
  };
  const noun = itemLabel(path, 0).replace(/ 1$/, '');
  const add = h('button', { type: 'button' }, `Add ${noun.toLowerCase().replace(/^(\w+) /, '')}`);
  add.setAttribute('aria-label', `Add ${noun.toLowerCase()}`);
  add.addEventListener('click', () => {
    const next = [...items(), ''];
    setIn(draft, path.slice(1), next);
    draw(next.length - 1);
    onEdit();
  });
  register(key, problem, list);
  draw();
  return h('div', { class: 'field', role: 'group', 'aria-labelledby': `${id}-label` }, label, list, add, fieldHint(key, field), problem);
}

function renderField(path: string[], field: FieldInfo): HTMLElement {
  switch (field.kind) {
    case 'boolean':
      return renderBoolean(path, field);
    case 'secret':
      return renderSecret(path, field);
    case 'list':
      return renderList(path, field);
    case 'table':
      return renderTable(path, field);
    case 'integer':
    case 'number':
    case 'string':
      return renderScalar(path, field);
    case 'table_list':
      return h('p', {}, `${path.join('.')} is edited in the file.`);
  }
}

function renderChannel(path: string[], field: FieldInfo): HTMLElement {
  const channel = path[path.length - 1];
  const title = channelTitle(channel, humanize(channel));
  const fields = field.fields ?? {};
  const rest = h('div', { id: `${fieldId(path.join('.'))}-details` });
  const reveal = (on: boolean) => {
    rest.hidden = !on;
  };
  const enabled = fields.enabled ? renderBoolean([...path, 'enabled'], fields.enabled, reveal) : null;
  for (const [key, child] of Object.entries(fields)) if (key !== 'enabled') rest.append(renderField([...path, key], child));
  reveal(getIn(draft, [...path.slice(1), 'enabled']) === true);
  const testArea = h('div', { class: 'channel-test', id: `test-${channel}` });
  return h(
    'fieldset',
    { id: fieldId(path.join('.')) },
    h('legend', {}, `${title} notifications`),
    h('p', { class: 'hint' }, field.help),
    enabled,
    rest,
    testArea,
  );
}

function renderTable(path: string[], field: FieldInfo): HTMLElement {
  const fields = field.fields ?? {};
  if (path[path.length - 1] === 'notifications') {
    return h(
      'fieldset',
      { id: fieldId(path.join('.')) },
      h('legend', {}, 'Notification channels'),
      h('p', { class: 'hint' }, 'Enabling a channel shows its settings.'),
      ...Object.entries(fields).map(([key, child]) => renderChannel([...path, key], child)),
    );
  }
  const title = path.length === 1 ? 'General' : humanize(path[path.length - 1]);
  const scalars = Object.entries(fields).filter(([, f]) => f.kind !== 'table');
  const tables = Object.entries(fields).filter(([, f]) => f.kind === 'table');
  const own = h(
    'fieldset',
    { id: fieldId(path.join('.')) },
    h('legend', {}, title),
    h('p', { class: 'hint' }, field.help),
    ...scalars.map(([key, child]) => renderField([...path, key], child)),
  );
  if (path.length > 1) return own;
  // The top of the section: its own keys, then each sub-table as a sibling fieldset.
  const wrapper = h('div', {}, own, ...tables.map(([key, child]) => renderField([...path, key], child)));
  return wrapper;
}

function renderForm() {
  slots.clear();
  const form = $<HTMLFormElement>('form');
  form.replaceChildren(renderTable([SECTION], state.schema));
  form.setAttribute('aria-busy', 'false');
  renderTests();
  updateDirty();
}

// ---- problems ------------------------------------------------------------------------------

let lastProblems: PageProblem[] | undefined;

function showProblems(problems: PageProblem[]) {
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

async function validate(): Promise<ValidateResponse | undefined> {
  const seq = ++validateSeq;
  try {
    const { body } = await api<ValidateResponse>('POST', '/api/validate', { draft });
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

function updateDirty() {
  const dirty = !sameValue(draft, base);
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

// ---- test buttons --------------------------------------------------------------------------

function renderTests() {
  if (!state) return;
  const enabledApplied = state.channels.filter((c) => getIn(base, ['notifications', c, 'enabled']) === true);
  for (const channel of state.channels) {
    const area = document.getElementById(`test-${channel}`);
    if (!area) continue;
    const applied = enabledApplied.includes(channel);
    const nowOn = getIn(draft, ['notifications', channel, 'enabled']) === true;
    const title = channelTitle(channel);
    let button = area.querySelector<HTMLButtonElement>('button.test');
    if (!button) {
      button = h('button', { type: 'button', class: 'test', id: `test-${channel}-button` }, `Test ${title} Alert`);
      button.addEventListener('click', () => void runTest(channel, area));
      area.prepend(button, h('p', { class: 'hint', id: `test-${channel}-note` }));
    }
    area.hidden = !applied && !nowOn;
    button.disabled = !applied;
    const note = area.querySelector<HTMLElement>(`#test-${channel}-note`)!;
    const changed = !sameValue(getIn(draft, ['notifications', channel]), getIn(base, ['notifications', channel]));
    note.textContent = !applied
      ? `Apply the configuration first: the bridge tests the applied ${title} settings.`
      : changed
        ? 'Tests use the applied settings, not your unapplied changes.'
        : '';
  }
  const buttons = $('test-buttons');
  if (!buttons.querySelector('button')) {
    const all = h('button', { type: 'button', id: 'test-all' }, 'Test All Channels');
    all.addEventListener('click', () => void runTest('all', $('test-results')));
    buttons.append(all);
  }
  const all = $<HTMLButtonElement>('test-all');
  all.disabled = enabledApplied.length === 0;
  all.title = enabledApplied.length === 0 ? 'No channel is enabled in the applied configuration' : '';
}

async function runTest(channel: string, area: HTMLElement) {
  const out = area.querySelector('.results-box') ?? area.appendChild(h('div', { class: 'results-box', 'aria-live': 'polite' }));
  out.replaceChildren(h('p', {}, `Sending a test ${channel === 'all' ? 'to every enabled channel' : `${channelTitle(channel)} alert`}…`));
  const { body } = await api<TestAlertResponse>('POST', '/api/test-alert', { channel });
  const items = body.results.map((r) =>
    h(
      'li',
      { class: r.ok ? 'ok-text' : 'bad-text' },
      `${r.ok ? '✓ delivered' : '✗ failed'}: ${channelTitle(r.channel)} → ${r.recipient}`,
      r.detail ? ` (${r.detail})` : '',
      r.error ? ` — ${r.error}` : '',
    ),
  );
  out.replaceChildren(
    h(
      'p',
      { class: body.ok ? 'ok-text' : 'bad-text' },
      body.ok ? 'Test alert delivered.' : `Test alert failed${body.error ? `: ${body.error}` : '.'}`,
    ),
    ...(items.length ? [h('ul', { class: 'results' }, ...items)] : []),
  );
}

// ---- review, apply, conflicts --------------------------------------------------------------

function changesTable(changes: KeyChange[]): HTMLElement {
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

function stepsList(steps: StepReport[]): HTMLElement {
  return h(
    'ul',
    { class: 'steps' },
    ...steps.map((s) =>
      h('li', { class: s.ok ? 'ok-text' : 'bad-text' }, `${s.ok ? '✓' : '✗'} ${s.name}${s.detail ? `: ${s.detail}` : ''}`),
    ),
  );
}

/** Opens the review dialog; resolves true when the user confirms. */
function review(title: string, diff: DiffResponse, confirmLabel: string): Promise<boolean> {
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

/** A 422 from apply or restore: the channels whose destination changes, with the secret keys to enter again. */
interface ReconfirmResponse {
  error: string;
  reconfirm: Array<{ channel: string; keys: string[] }>;
}

/** Resends the same apply or restore with the re-entered secret references. */
type Resend = (reconfirm: Record<string, string>) => Promise<void>;

/** Asks for each stored secret again, in the message area, and resends when all are given. */
function askReconfirm(r: ReconfirmResponse, what: string, resend: Resend) {
  const keys = r.reconfirm.flatMap((m) => m.keys);
  const inputs = keys.map((key) =>
    h('input', {
      type: 'text',
      id: `reconfirm-${key}`,
      name: key,
      autocomplete: 'off',
      spellcheck: 'false',
      placeholder: 'env:NAME or file:PATH',
      required: true,
    }),
  );
  const button = h('button', { type: 'submit', class: 'primary' }, 'Apply with these references');
  const form = h(
    'form',
    { class: 'reconfirm', 'aria-label': 'Enter the secret references again' },
    ...keys.map((key, i) => h('p', {}, h('label', { for: `reconfirm-${key}` }, key), ' ', inputs[i])),
    button,
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const given = Object.fromEntries(keys.map((key, i) => [key, inputs[i].value.trim()]));
    button.disabled = true;
    void resend(given);
  });
  say(
    [
      h(
        'p',
        { class: 'bad-text' },
        `${what} changes where ${r.reconfirm.map((m) => m.channel).join(', ')} sends: enter the secret reference of each key below again (as config.toml has it, e.g. env:NAME), so that a stored secret is never sent somewhere new unseen. Nothing was changed yet.`,
      ),
      form,
    ],
    'bad',
  );
  inputs[0]?.focus();
}

async function handleApplyAnswer(status: number, body: unknown, what: string, resend?: Resend) {
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

function focusFirstProblem() {
  const invalid = document.querySelector<HTMLElement>('[aria-invalid="true"]');
  invalid?.focus();
}

async function applyDraft() {
  const { body: diff } = await api<DiffResponse>('POST', '/api/diff', { draft });
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
  const request = reconfirm ? { draft, reconfirm_secrets: reconfirm } : { draft };
  const { status, body } = await api<unknown>('POST', '/api/apply', request, { 'if-match': `"${state.sha256}"` });
  await handleApplyAnswer(status, body, 'The configuration', sendApply);
}

let pendingConflict: ConflictResponse | undefined;

function showConflict(conflict: ConflictResponse) {
  pendingConflict = conflict;
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

// ---- history -------------------------------------------------------------------------------

async function loadHistory() {
  const { body } = await api<{ items: HistoryItem[] }>('GET', '/api/history');
  const list = $('history-list');
  if (body.items.length === 0) {
    list.replaceChildren(h('p', {}, 'Nothing applied from this page yet.'));
    return;
  }
  const when = (iso: string) => new Date(iso).toLocaleString();
  list.replaceChildren(
    h(
      'table',
      { class: 'stack' },
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          h('th', { scope: 'col' }, 'When'),
          h('th', { scope: 'col' }, 'Who'),
          h('th', { scope: 'col' }, 'What'),
          h('th', { scope: 'col' }, h('span', { class: 'skip' }, 'Action')),
        ),
      ),
      h(
        'tbody',
        {},
        ...body.items.map((item, index) => {
          const current = item.sha256 === state.sha256;
          const button = h('button', { type: 'button', disabled: current }, current ? 'Current' : 'Review and restore');
          button.setAttribute(
            'aria-label',
            current ? `Version of ${when(item.at)} is the current one` : `Review and restore the version of ${when(item.at)}`,
          );
          button.addEventListener('click', () => void restore(item));
          return h(
            'tr',
            { 'data-index': String(index) },
            h('td', { 'data-label': 'When' }, h('time', { datetime: item.at }, when(item.at))),
            h('td', { 'data-label': 'Who' }, item.user),
            h('td', { 'data-label': 'What' }, item.action === 'initial' ? `${item.summary}` : item.summary || item.action),
            h('td', {}, button),
          );
        }),
      ),
    ),
  );
}

async function restore(item: HistoryItem) {
  const { body: diff } = await api<DiffResponse>('POST', `/api/history/${encodeURIComponent(item.id)}/diff`);
  if (!(await review(`Restore the version of ${new Date(item.at).toLocaleString()}`, diff, 'Restore this version'))) return;
  say('Restoring…');
  const send = async (reconfirm?: Record<string, string>) => {
    const request = reconfirm ? { reconfirm_secrets: reconfirm } : undefined;
    const { status, body } = await api<unknown>('POST', `/api/history/${encodeURIComponent(item.id)}/restore`, request, {
      'if-match': `"${state.sha256}"`,
    });
    await handleApplyAnswer(status, body, 'The earlier version', send);
  };
  await send();
}

// ---- loading -------------------------------------------------------------------------------

async function load(keepEdits: boolean) {
  const { body } = await api<StateResponse>('GET', '/api/state');
  const mine = draft;
  const previousBase = base;
  state = body;
  base = clone(body.draft);
  let conflicts: string[] = [];
  if (keepEdits) {
    const merged = merge3(previousBase, mine, body.draft);
    draft = merged.draft;
    conflicts = merged.conflicts;
  } else {
    draft = clone(body.draft);
  }
  $('user').textContent = body.user;
  $('logout').hidden = !body.auth;
  renderForm();
  showProblems(body.problems);
  void loadHistory();
  if (keepEdits) {
    await validate();
    say(
      conflicts.length
        ? [
            h('p', {}, 'Reloaded, with your edits on top. You and the other change both set these keys; yours are kept, check them:'),
            h('ul', {}, ...conflicts.map((c) => h('li', {}, h('code', {}, `${SECTION}.${c}`)))),
          ]
        : 'Reloaded, with your edits on top of the other change. Review and apply again.',
      'info',
    );
  }
}

/** Starts the view; called by main.ts when /config is open. */
export function startConfig(): void {
  $('apply').addEventListener('click', () => void applyDraft());
  $('revert').addEventListener('click', () => {
    draft = clone(base);
    renderForm();
    void validate();
    say('Your changes were discarded.');
  });
  $('conflict-merge').addEventListener('click', () => {
    $<HTMLDialogElement>('conflict').close();
    pendingConflict = undefined;
    void load(true);
  });
  $('conflict-discard').addEventListener('click', () => {
    $<HTMLDialogElement>('conflict').close();
    pendingConflict = undefined;
    void load(false).then(() => say('Reloaded; your edits were discarded.'));
  });
  window.addEventListener('beforeunload', (event) => {
    if (!sameValue(draft, base)) event.preventDefault();
  });
  void load(false).catch((error: Error) => say(`The page could not load: ${error.message}`, 'bad'));
  // Exposed for tests and for anyone debugging in the console: the pending conflict, if any.
  (window as unknown as { alertsPage: { conflict: () => ConflictResponse | undefined } }).alertsPage = { conflict: () => pendingConflict };
}
