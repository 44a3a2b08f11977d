/** The history of applied configurations: the table of versions, and restoring one after a review. */
import type { DiffResponse, HistoryItem } from '../../../src/shared/api.js';
import { $, api, h } from '../../dom.js';
import { handleApplyAnswer } from './apply.js';
import { page, say } from './page.js';
import { review } from './review.js';

export async function loadHistory() {
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
          const current = item.sha256 === page.state.sha256;
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
      'if-match': `"${page.state.sha256}"`,
    });
    await handleApplyAnswer(status, body, 'The earlier version', send);
  };
  await send();
}
