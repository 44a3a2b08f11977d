/**
 * Loading the page's state from the server: on start, after an apply, and after a conflict,
 * where the user's edits can be kept on top of the other change (a three-way merge).
 */
import { SECTION, type StateResponse } from '../../../src/shared/api.js';
import { merge3 } from '../../../src/shared/form.js';
import { $, api, h } from '../../dom.js';
import { loadHistory } from './history.js';
import { clone, page, say } from './page.js';
import { renderForm } from './sections.js';
import { showProblems, validate } from './validation.js';

export async function load(keepEdits: boolean) {
  const { body } = await api<StateResponse>('GET', '/api/state');
  const mine = page.draft;
  const previousBase = page.base;
  page.state = body;
  page.base = clone(body.draft);
  let conflicts: string[] = [];
  if (keepEdits) {
    const merged = merge3(previousBase, mine, body.draft);
    page.draft = merged.draft;
    conflicts = merged.conflicts;
  } else {
    page.draft = clone(body.draft);
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
