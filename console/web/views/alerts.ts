/**
 * The Alerts view (/alerts): what fires now, what resolved recently, the active silences, and
 * the silence form. /alerts/silence?alertname=&account= (a notification's silence link) opens
 * with the form filled in for that alert and account: one click on "Silence" makes it.
 */
import type { AlertsResponse, FiringAlert, Silence } from '../../src/shared/monitor.js';
import { $, api, h } from '../dom.js';
import { ago, when } from '../format.js';
import { every, query, showProblems } from '../state.js';

const DURATIONS: Array<[number, string]> = [
  [30, '30 minutes'],
  [60, '1 hour'],
  [120, '2 hours'],
  [240, '4 hours'],
  [720, '12 hours'],
  [1440, '1 day'],
  [10_080, '1 week'],
];

const CONSEQUENCES = {
  alertmanager: 'Firing alerts and silences cannot be read or changed; resolved alerts still show from Prometheus.',
  prometheus: 'Resolved alerts cannot be read; firing alerts and silences still can.',
};

let refreshSeconds = 5;
let refreshNow: () => void = () => {};

const matchersText = (s: Silence) =>
  s.matchers.map((m) => `${m.name}${m.isEqual ? '' : '!'}${m.isRegex ? '=~' : '='}"${m.value}"`).join(', ');

function firingTable(alerts: FiringAlert[], fill: (a: FiringAlert) => void): HTMLElement {
  if (alerts.length === 0) return h('p', { class: 'empty' }, 'Nothing is firing.');
  return h(
    'ul',
    { class: 'alert-list' },
    ...alerts.map((a) => {
      const silence = h('button', { type: 'button' }, 'Silence…');
      silence.addEventListener('click', () => fill(a));
      return h(
        'li',
        { class: `alert severity-${a.severity}`, 'data-alert': a.alertname, 'data-account': a.account },
        h(
          'div',
          { class: 'alert-head' },
          h('span', { class: `badge ${a.severity}` }, a.severity),
          h('strong', {}, a.alertname),
          a.account ? h('span', {}, ` · ${a.account}`) : null,
          a.suppressed ? h('span', { class: 'badge muted' }, 'silenced') : null,
        ),
        h('p', {}, a.summary),
        a.description ? h('p', { class: 'help' }, a.description) : null,
        h(
          'p',
          { class: 'help' },
          `Since ${when(a.startsAt)} (${ago(a.startsAt)})`,
          a.runbookUrl ? ' · ' : '',
          a.runbookUrl ? h('a', { href: a.runbookUrl, target: '_blank', rel: 'noopener' }, 'Runbook') : null,
        ),
        a.suppressed ? null : silence,
      );
    }),
  );
}

function silencesTable(silences: Silence[]): HTMLElement {
  if (silences.length === 0) return h('p', { class: 'empty' }, 'No active silences.');
  return h(
    'ul',
    { class: 'alert-list' },
    ...silences.map((s) => {
      const expire = h('button', { type: 'button', class: 'quiet' }, 'Expire');
      expire.setAttribute('aria-label', `Expire the silence of ${matchersText(s)}`);
      expire.addEventListener('click', () => {
        expire.disabled = true;
        void api<{ error?: string }>('POST', `/api/silences/${encodeURIComponent(s.id)}/expire`).then((r) => {
          say(
            r.status === 200 ? `Silence of ${matchersText(s)} expired.` : `Could not expire it: ${r.body.error}`,
            r.status === 200 ? 'ok' : 'bad',
          );
          refreshNow();
        });
      });
      return h(
        'li',
        { class: 'silence', 'data-silence': s.id },
        h('div', { class: 'alert-head' }, h('span', { class: 'badge muted' }, s.state), h('code', {}, matchersText(s))),
        h('p', { class: 'help' }, `Until ${when(s.endsAt)} · by ${s.createdBy}${s.comment ? ` · “${s.comment}”` : ''}`),
        expire,
      );
    }),
  );
}

function say(message: string, kind: 'ok' | 'bad' | 'info' = 'info'): void {
  const status = $('alerts-status');
  status.className = `status ${kind}`;
  status.textContent = message;
}

function form(): HTMLElement {
  const alertname = h('select', { id: 'silence-alertname', name: 'alertname', required: true });
  const account = h('input', {
    type: 'text',
    id: 'silence-account',
    name: 'account',
    autocomplete: 'off',
    spellcheck: 'false',
    list: 'silence-accounts',
  });
  const duration = h(
    'select',
    { id: 'silence-duration', name: 'duration' },
    ...DURATIONS.map(([m, t]) => h('option', { value: String(m) }, t)),
  );
  duration.value = '120';
  const comment = h('input', { type: 'text', id: 'silence-comment', name: 'comment', autocomplete: 'off', required: true });
  const submit = h('button', { type: 'submit', class: 'primary', id: 'silence-submit' }, 'Silence');
  const f = h(
    'form',
    { id: 'silence-form', class: 'silence-form', novalidate: true },
    h('div', { class: 'field' }, h('label', { for: 'silence-alertname' }, 'Alert'), alertname),
    h(
      'div',
      { class: 'field' },
      h('label', { for: 'silence-account' }, 'Account (empty: every account)'),
      account,
      h('datalist', { id: 'silence-accounts' }),
    ),
    h('div', { class: 'field' }, h('label', { for: 'silence-duration' }, 'For'), duration),
    h('div', { class: 'field' }, h('label', { for: 'silence-comment' }, 'Comment'), comment),
    h('div', { class: 'actions' }, submit),
  );
  f.addEventListener('submit', (event) => {
    event.preventDefault();
    submit.disabled = true;
    void api<{ id?: string; error?: string }>('POST', '/api/silences', {
      alertname: alertname.value,
      account: account.value,
      durationMinutes: Number(duration.value),
      comment: comment.value,
    })
      .then((r) => {
        if (r.status === 201) {
          say(
            `Silenced ${alertname.value}${account.value ? ` on ${account.value}` : ''} for ${duration.selectedOptions[0]?.textContent ?? ''}.`,
            'ok',
          );
          refreshNow();
        } else say(`Not silenced: ${r.body.error ?? `HTTP ${r.status}`}`, 'bad');
      })
      .finally(() => {
        submit.disabled = false;
      });
  });
  return f;
}

/** Fills the form for an alert (and account) and brings it into view with the button focused. */
function prefill(alertname: string, account: string | undefined, comment: string): void {
  const select = $<HTMLSelectElement>('silence-alertname');
  if (![...select.options].some((o) => o.value === alertname)) select.append(h('option', { value: alertname }, alertname));
  select.value = alertname;
  $<HTMLInputElement>('silence-account').value = account ?? '';
  $<HTMLInputElement>('silence-comment').value = comment;
  $('silence-form').scrollIntoView({ block: 'center' });
  $('silence-submit').focus();
}

async function refresh(): Promise<void> {
  const r = await api<AlertsResponse>('GET', '/api/alerts');
  if (r.status !== 200) return say(`The console server answered ${r.status}`, 'bad');
  const a = r.body;
  refreshSeconds = a.refreshSeconds;
  showProblems($('alerts-problems'), a.problems, CONSEQUENCES);
  const select = $<HTMLSelectElement>('silence-alertname');
  if (select.options.length === 0 || (select.options.length < a.alertnames.length && !select.matches(':focus'))) {
    const keep = select.value;
    select.replaceChildren(...a.alertnames.map((n) => h('option', { value: n }, n)));
    if (keep) select.value = keep;
  }
  $('silence-accounts').replaceChildren(...a.accounts.map((id) => h('option', { value: id })));
  $('firing').replaceChildren(firingTable(a.firing, (alert) => prefill(alert.alertname, alert.account, 'Silenced from the console')));
  $('silences').replaceChildren(silencesTable(a.silences));
  $('resolved').replaceChildren(
    a.resolved.length === 0
      ? h('p', { class: 'empty' }, 'Nothing resolved in the last 6 hours.')
      : h(
          'ul',
          { class: 'alert-list' },
          ...a.resolved.map((x) =>
            h(
              'li',
              { class: 'resolved', 'data-alert': x.alertname },
              h('span', { class: `badge ${x.severity}` }, x.severity),
              h('strong', {}, ` ${x.alertname}`),
              x.account ? ` · ${x.account}` : '',
              h('span', { class: 'help' }, ` · ${when(x.startsAt)} → ${when(x.endsAt)}`),
            ),
          ),
        ),
  );
  $('alerts-updated').textContent = `Updated ${new Date().toLocaleTimeString()} · every ${refreshSeconds} s`;
}

export function startAlerts(): void {
  const root = $('view-alerts');
  root.append(
    h('h1', {}, 'Alerts'),
    h('p', { id: 'alerts-updated', class: 'help' }),
    h('div', { id: 'alerts-problems', class: 'problems', role: 'alert', hidden: true }),
    h('div', { id: 'alerts-status', class: 'status', role: 'status', 'aria-live': 'polite' }),
    h('section', { 'aria-labelledby': 'silence-title', class: 'panel' }, h('h2', { id: 'silence-title' }, 'Silence an alert'), form()),
    h(
      'section',
      { 'aria-labelledby': 'firing-title' },
      h('h2', { id: 'firing-title' }, 'Firing now'),
      h('div', { id: 'firing' }, h('p', {}, 'Loading…')),
    ),
    h(
      'section',
      { 'aria-labelledby': 'silences-title' },
      h('h2', { id: 'silences-title' }, 'Active silences'),
      h('div', { id: 'silences' }),
    ),
    h(
      'section',
      { 'aria-labelledby': 'resolved-title' },
      h('h2', { id: 'resolved-title' }, 'Resolved recently'),
      h('div', { id: 'resolved' }),
    ),
  );
  const fromLink = location.pathname === '/alerts/silence' ? query.get('alertname') : null;
  refreshNow = every(
    () => refreshSeconds,
    async () => {
      const first = $<HTMLSelectElement>('silence-alertname').options.length === 0;
      await refresh().catch((error: Error) => say(`The console server did not answer (${error.message})`, 'bad'));
      if (first && fromLink) prefill(fromLink, query.get('account') ?? undefined, 'Silenced from a notification link');
    },
  );
}
