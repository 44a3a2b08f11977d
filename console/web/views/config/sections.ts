/**
 * The form's layout, generated from the schema: each table of [alerts_config] as a fieldset of
 * its keys, the notification channels each with its enable switch and test area.
 */
import { SECTION, type FieldInfo } from '../../../src/shared/api.js';
import { channelTitle, fieldId, getIn, humanize } from '../../../src/shared/form.js';
import { $, h } from '../../dom.js';
import { renderTests } from './channelTests.js';
import { renderBoolean, renderList, renderScalar, renderSecret } from './fields.js';
import { page, slots } from './page.js';
import { updateDirty } from './validation.js';

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
  reveal(getIn(page.draft, [...path.slice(1), 'enabled']) === true);
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

/** Draws the whole form from the schema and the draft (on load and on discard). */
export function renderForm() {
  slots.clear();
  const form = $<HTMLFormElement>('form');
  form.replaceChildren(renderTable([SECTION], page.state.schema));
  form.setAttribute('aria-busy', 'false');
  renderTests();
  updateDirty();
}
