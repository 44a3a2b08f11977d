/**
 * The secret re-entry form: when an apply or restore changes where a channel sends, the server
 * answers 422 with the stored secrets' keys, and the page asks for each reference again before
 * resending.
 */
import { h } from '../../dom.js';
import { say } from './page.js';

/** A 422 from apply or restore: the channels whose destination changes, with the secret keys to enter again. */
export interface ReconfirmResponse {
  error: string;
  reconfirm: Array<{ channel: string; keys: string[] }>;
}

/** Resends the same apply or restore with the re-entered secret references. */
export type Resend = (reconfirm: Record<string, string>) => Promise<void>;

/** Asks for each stored secret again, in the message area, and resends when all are given. */
export function askReconfirm(r: ReconfirmResponse, what: string, resend: Resend) {
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
