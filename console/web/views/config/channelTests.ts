/**
 * The test buttons: one per channel (in its fieldset) and "Test All Channels", enabled for what
 * the applied configuration has on, and the per-recipient results of a test alert.
 */
import type { TestAlertResponse } from '../../../src/shared/api.js';
import { channelTitle, getIn, sameValue } from '../../../src/shared/form.js';
import { $, api, h } from '../../dom.js';
import { page } from './page.js';

export function renderTests() {
  const { state, base, draft } = page;
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
