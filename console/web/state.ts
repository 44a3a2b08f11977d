/**
 * What the Monitoring and Alerts views share: the address's query (account, alert), the
 * refresh loop, and the "which part is down" banner. Kept here so a view holds only its DOM.
 */
import { h } from './dom.js';
import type { Problems } from '../src/shared/monitor.js';

export const query = new URLSearchParams(location.search);

/** Replaces one query parameter in the address bar without a reload (so the view stays bookmarkable). */
export function setQuery(name: string, value: string | undefined): void {
  if (value === undefined || value === '') query.delete(name);
  else query.set(name, value);
  const search = query.toString();
  history.replaceState(null, '', `${location.pathname}${search ? `?${search}` : ''}`);
}

/**
 * Runs `tick` now and every `seconds` after the previous run finished (never two at once);
 * paused while the tab is hidden, run at once when it shows again. Returns a "run now".
 */
export function every(seconds: () => number, tick: () => Promise<void>): () => void {
  let timer: ReturnType<typeof setTimeout> | undefined;
  let running = false;
  const run = async () => {
    clearTimeout(timer);
    if (running) return;
    running = true;
    try {
      await tick();
    } finally {
      running = false;
      if (!document.hidden) timer = setTimeout(() => void run(), seconds() * 1000);
    }
  };
  document.addEventListener('visibilitychange', () => {
    if (!document.hidden) void run();
    else clearTimeout(timer);
  });
  void run();
  return () => void run();
}

const PART_TITLES: Record<keyof Problems, string> = {
  exporter: 'Exporter',
  prometheus: 'Prometheus',
  alertmanager: 'Alertmanager',
  bridge: 'Alert bridge',
};

/** Fills `box` with one line per part that is down, saying what still works; hides it when none is. */
export function showProblems(box: HTMLElement, problems: Problems, consequences: Partial<Record<keyof Problems, string>>): void {
  const entries = (Object.keys(problems) as Array<keyof Problems>).filter((k) => problems[k] && consequences[k] !== undefined);
  box.hidden = entries.length === 0;
  box.replaceChildren(
    ...entries.map((k) => h('p', { 'data-part': k }, h('strong', {}, `${PART_TITLES[k]} down: `), `${problems[k]}. ${consequences[k]}`)),
  );
}
