/**
 * The console in the browser: picks the view from the address (contract.md, "The console"),
 * marks it in the navigation and starts it. Views are plain DOM modules in views/; links
 * between them are ordinary links, so every view has an address a notification can carry.
 */
import { $ } from './dom.js';
import { startAlerts } from './views/alerts.js';
import { startConfig } from './views/config.js';
import { startMonitoring } from './views/monitoring.js';

interface View {
  id: 'monitoring' | 'alerts' | 'config';
  title: string;
  start(): void;
}

const VIEWS: View[] = [
  { id: 'monitoring', title: 'Monitoring', start: startMonitoring },
  { id: 'alerts', title: 'Alerts', start: startAlerts },
  { id: 'config', title: 'Alerts configuration', start: startConfig },
];

/** The view an address shows: /config, /alerts and /alerts/silence, else Monitoring. */
export function viewOf(pathname: string): View['id'] {
  if (pathname === '/config') return 'config';
  if (pathname === '/alerts' || pathname.startsWith('/alerts/')) return 'alerts';
  return 'monitoring';
}

function start() {
  const id = viewOf(location.pathname);
  const view = VIEWS.find((v) => v.id === id) ?? VIEWS[0];
  for (const link of document.querySelectorAll<HTMLAnchorElement>('nav.views a')) {
    if (link.dataset.view === view.id) link.setAttribute('aria-current', 'page');
    else link.removeAttribute('aria-current');
  }
  $(`view-${view.id}`).hidden = false;
  document.title = `${view.title} · TraderAdmin`;
  view.start();
}

start();
