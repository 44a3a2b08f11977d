/**
 * The Monitoring view (/ and /monitoring?account=ID): readouts from the exporter's snapshot,
 * charts from Prometheus (through the server's named queries), the open positions and the
 * system status. Two requests per refresh: live values and history.
 */
import { drawdown, highWaterMark } from '../../../grafana/panel/src/equity/math.js';
import {
  RANGES,
  RANGE_TITLES,
  type AccountLive,
  type HistoryResponse,
  type LiveResponse,
  type Position,
  type Range,
} from '../../src/shared/monitor.js';
import { Chart, type SeriesSpec } from '../charts.js';
import { $, api, h } from '../dom.js';
import { ago, money, ms, number, percent, signClass, when } from '../format.js';
import { every, query, setQuery, showProblems } from '../state.js';

type SortKey = keyof Pick<Position, 'symbol' | 'quantity' | 'avgCost' | 'marketPrice' | 'marketValue' | 'unrealizedPnl'>;
const COLUMNS: Array<{ key: SortKey; title: string }> = [
  { key: 'symbol', title: 'Symbol' },
  { key: 'quantity', title: 'Quantity' },
  { key: 'avgCost', title: 'Entry price' },
  { key: 'marketPrice', title: 'Current price' },
  { key: 'marketValue', title: 'Market value' },
  { key: 'unrealizedPnl', title: 'Unrealized P&L' },
];

let range: Range = RANGES.includes(query.get('range') as Range) ? (query.get('range') as Range) : 'today';
let refreshSeconds = 5;
let sort: { key: SortKey; ascending: boolean } = { key: 'symbol', ascending: true };
let last: LiveResponse | undefined;
let currency: string | null = null;

const moneyAxis = (v: number) => money(v, currency);
const charts = {
  equity: new Chart(
    'Equity curve',
    [
      { label: 'Equity', colour: '--chart-equity' },
      { label: 'High-water mark', colour: '--chart-hwm', dash: [6, 4], width: 1.5 },
    ],
    moneyAxis,
  ),
  drawdown: new Chart('Drawdown (underwater)', [], (v) => `${v.toFixed(1)} %`, 140),
  dailyPnl: new Chart('Daily P&L', [{ label: 'Daily P&L', colour: '--chart-pnl' }], moneyAxis),
  latency: new Chart('Order latency', [], (v) => `${Math.round(v)} ms`),
  errors: new Chart('API errors by component', [], (v) => number(v, 0)),
};

function readout(metric: string, label: string, value: string, sub?: string, cls = ''): HTMLElement {
  return h(
    'div',
    { class: `readout ${cls}`.trim(), 'data-metric': metric },
    h('span', { class: 'label' }, label),
    h('span', { class: 'value' }, value),
    sub ? h('span', { class: 'sub' }, sub) : null,
  );
}

function renderReadouts(live: AccountLive, t: LiveResponse['thresholds']): HTMLElement[] {
  const c = live.currency;
  const latencyOver = (live.latency.maxMs ?? 0) > t.maxOrderLatencyMs;
  const errorsOver = (live.apiErrorsLastHour ?? 0) > t.maxApiErrorsPerHour;
  const ddLimit = t.maxDrawdownPercentToday / 100;
  const ddOver = (live.drawdownToday ?? 0) > ddLimit;
  const realizedOver = live.realizedPnlToday < t.minDailyRealizedPnl;
  return [
    readout('equity', 'Equity', money(live.equity, c)),
    readout('daily-pnl', 'Daily P&L', money(live.dailyPnl, c, true), undefined, signClass(live.dailyPnl)),
    readout(
      'realized-pnl',
      'Realized P&L today',
      money(live.realizedPnlToday, c, true),
      `limit ${money(t.minDailyRealizedPnl, c, true)}`,
      `${signClass(live.realizedPnlToday)}${realizedOver ? ' over' : ''}`,
    ),
    readout('unrealized-pnl', 'Unrealized P&L', money(live.unrealizedPnl, c, true), undefined, signClass(live.unrealizedPnl)),
    readout('buying-power', 'Buying power', money(live.buyingPower, c)),
    readout('open-positions', 'Open positions', number(live.openPositions)),
    readout(
      'trades',
      'Trades today',
      number(live.trades.executed),
      `${live.trades.wins} won, ${live.trades.losses} lost · win rate ${live.trades.executed ? percent(live.trades.winRate, 0) : '—'}`,
    ),
    readout('avg-win-loss', 'Average win / loss', `${money(live.trades.avgWin, c, true)} / ${money(live.trades.avgLoss, c, true)}`),
    readout(
      'latency',
      'Order latency (avg / max)',
      `${ms(live.latency.avgMs)} / ${ms(live.latency.maxMs)}`,
      `limit ${ms(t.maxOrderLatencyMs)}`,
      latencyOver ? 'over' : '',
    ),
    readout(
      'api-errors',
      'API errors, last hour',
      live.apiErrorsLastHour === null ? '—' : number(live.apiErrorsLastHour),
      `limit ${t.maxApiErrorsPerHour}`,
      errorsOver ? 'over' : '',
    ),
    readout(
      'drawdown',
      'Drawdown today',
      live.drawdownToday === null ? '—' : percent(live.drawdownToday),
      `limit ${t.maxDrawdownPercentToday} %`,
      ddOver ? 'over' : '',
    ),
  ];
}

function renderPositions(positions: Position[], c: string | null): HTMLElement {
  if (positions.length === 0) return h('p', { class: 'empty' }, 'No open positions.');
  const sorted = [...positions].sort((x, y) => {
    const a = x[sort.key];
    const b = y[sort.key];
    const order = typeof a === 'string' ? a.localeCompare(b as string) : (a as number) - (b as number);
    return sort.ascending ? order : -order;
  });
  const head = h(
    'tr',
    {},
    ...COLUMNS.map((col) => {
      const active = sort.key === col.key;
      const button = h('button', { type: 'button', class: 'sort' }, col.title, active ? (sort.ascending ? ' ▲' : ' ▼') : '');
      button.addEventListener('click', () => {
        sort = { key: col.key, ascending: active ? !sort.ascending : true };
        if (last?.live) $('positions').replaceChildren(renderPositions(last.live.positions, currency));
        $('positions').querySelector<HTMLButtonElement>(`th[data-key="${col.key}"] button`)?.focus();
      });
      return h(
        'th',
        { scope: 'col', 'data-key': col.key, 'aria-sort': active ? (sort.ascending ? 'ascending' : 'descending') : undefined },
        button,
      );
    }),
  );
  const rows = sorted.map((p) =>
    h(
      'tr',
      { 'data-symbol': p.symbol },
      h('th', { scope: 'row', 'data-label': 'Symbol' }, p.symbol),
      h('td', { 'data-label': 'Quantity' }, number(p.quantity, Number.isInteger(p.quantity) ? 0 : 2)),
      h('td', { 'data-label': 'Entry price' }, money(p.avgCost, p.currency ?? c)),
      h('td', { 'data-label': 'Current price' }, money(p.marketPrice, p.currency ?? c)),
      h('td', { 'data-label': 'Market value' }, money(p.marketValue, p.currency ?? c)),
      h('td', { 'data-label': 'Unrealized P&L', class: signClass(p.unrealizedPnl) }, money(p.unrealizedPnl, p.currency ?? c, true)),
    ),
  );
  return h('table', { class: 'positions' }, h('thead', {}, head), h('tbody', {}, ...rows));
}

function renderStatus(r: LiveResponse): HTMLElement {
  const s = r.status;
  const item = (name: string, ok: boolean | null, detail: string) =>
    h(
      'li',
      { 'data-status': name, class: ok === null ? 'unknown' : ok ? 'ok-text' : 'bad-text' },
      h('span', { class: 'dot', 'aria-hidden': 'true' }),
      h('strong', {}, `${name}: `),
      detail,
    );
  const up = (ok: boolean) => (ok ? 'up' : 'down');
  const yes = (v: boolean | null, t: string, f: string) => (v === null ? 'unknown' : v ? t : f);
  return h(
    'ul',
    { class: 'status-list' },
    item('Gateway', s.gatewayConnected, yes(s.gatewayConnected, 'connected and logged in', 'not connected')),
    item('Gateway upstream', s.gatewayUpstream, yes(s.gatewayUpstream, 'connected to IB', 'lost (IB 1100)')),
    item('Last data sync', s.lastDataSync !== null, s.lastDataSync ? `${ago(s.lastDataSync)} (${when(s.lastDataSync)})` : 'never'),
    ...s.components.map((c) =>
      item(`Heartbeat ${c.name}`, !c.stale, c.lastHeartbeat ? `${ago(c.lastHeartbeat)}${c.stale ? ' (late)' : ''}` : 'never seen'),
    ),
    item('Exporter', s.services.exporter, up(s.services.exporter)),
    item('Prometheus', s.services.prometheus, up(s.services.prometheus)),
    item('Alertmanager', s.services.alertmanager, up(s.services.alertmanager)),
    item('Alert bridge', s.services.bridge, up(s.services.bridge)),
  );
}

const CONSEQUENCES = {
  exporter: 'Live values and positions cannot be read; the charts still show history.',
  prometheus: 'The charts, drawdown, errors and gateway status cannot be read; the live values still update.',
  alertmanager: 'Alerts cannot be routed or silenced.',
  bridge: 'Notifications are not delivered.',
};

function drawHistory(hist: HistoryResponse, thresholds: LiveResponse['thresholds']): void {
  const hwm = highWaterMark(hist.equity);
  charts.equity.update(hist.times, [hist.equity, hwm]);
  const limit = -thresholds.maxDrawdownPercentToday;
  const dd = Array.from(drawdown(hist.equity, hwm).ratio, (v) => v * 100);
  charts.drawdown.update(
    hist.times,
    [dd, hist.times.map(() => limit)],
    [
      { label: 'Drawdown from the high-water mark', colour: '--chart-drawdown', fill: true },
      { label: `Limit ${limit} %`, colour: '--chart-limit', dash: [4, 4], width: 1.5 },
    ],
  );
  charts.dailyPnl.update(hist.times, [hist.dailyPnl]);
  const toMs = (c: Array<number | null>) => c.map((v) => (v === null ? null : v * 1000));
  charts.latency.update(
    hist.times,
    [toMs(hist.latency.avg), toMs(hist.latency.p95), toMs(hist.latency.max), hist.times.map(() => thresholds.maxOrderLatencyMs)],
    [
      { label: 'Average', colour: '--chart-1' },
      { label: 'p95', colour: '--chart-2' },
      { label: 'Max', colour: '--chart-3' },
      { label: `Limit ${thresholds.maxOrderLatencyMs} ms`, colour: '--chart-limit', dash: [4, 4], width: 1.5 },
    ],
  );
  const components = Object.keys(hist.errors).sort();
  charts.errors.update(
    hist.times,
    components.map((c) => hist.errors[c]),
    components.map((c, i): SeriesSpec => ({ label: c, colour: `--chart-${(i % 5) + 1}` })),
  );
}

function layout(root: HTMLElement): void {
  const accountSelect = h('select', { id: 'account' });
  accountSelect.addEventListener('change', () => {
    setQuery('account', accountSelect.value);
    refreshNow();
  });
  const ranges = h(
    'div',
    { class: 'ranges', role: 'group', 'aria-label': 'Time range' },
    ...RANGES.map((r) => {
      const b = h('button', { type: 'button', 'data-range': r, 'aria-pressed': String(r === range) }, RANGE_TITLES[r]);
      b.addEventListener('click', () => {
        range = r;
        setQuery('range', r === 'today' ? undefined : r);
        for (const other of ranges.querySelectorAll('button')) other.setAttribute('aria-pressed', String(other === b));
        refreshNow();
      });
      return b;
    }),
  );
  root.append(
    h('h1', {}, 'Monitoring'),
    h(
      'div',
      { class: 'controls' },
      h('label', { id: 'account-field', for: 'account', hidden: true }, 'Account ', accountSelect),
      ranges,
      h('span', { id: 'updated', class: 'help', 'aria-live': 'off' }),
    ),
    h('div', { id: 'monitoring-problems', class: 'problems', role: 'alert', hidden: true }),
    h('div', { id: 'readouts', class: 'readouts', 'aria-live': 'off' }, h('p', {}, 'Loading…')),
    h('div', { class: 'charts' }, ...Object.values(charts).map((c) => c.element)),
    h(
      'div',
      { class: 'two' },
      h(
        'section',
        { 'aria-labelledby': 'positions-title' },
        h('h2', { id: 'positions-title' }, 'Open positions'),
        h('div', { id: 'positions' }),
      ),
      h('section', { 'aria-labelledby': 'system-title' }, h('h2', { id: 'system-title' }, 'System status'), h('div', { id: 'system' })),
    ),
  );
}

let refreshNow: () => void = () => {};

async function refresh(): Promise<void> {
  const account = query.get('account') ?? undefined;
  const qs = account ? `?account=${encodeURIComponent(account)}` : '';
  const liveCall = api<LiveResponse>('GET', `/api/monitoring/live${qs}`);
  // History needs an account: the one in the address, else the one the last answer showed.
  const histAccount = account ?? last?.account ?? undefined;
  const histCall = histAccount
    ? api<HistoryResponse>('GET', `/api/monitoring/history?account=${encodeURIComponent(histAccount)}&range=${range}`)
    : undefined;
  const live = await liveCall;
  if (live.status !== 200) {
    showProblems($('monitoring-problems'), { exporter: (live.body as unknown as { error: string }).error }, CONSEQUENCES);
    return;
  }
  const r = live.body;
  last = r;
  refreshSeconds = r.refreshSeconds;
  currency = r.live?.currency ?? null;
  const select = $<HTMLSelectElement>('account');
  const ids = r.accounts.map((a) => a.id);
  if (select.options.length !== ids.length || ids.some((id, i) => select.options[i].value !== id))
    select.replaceChildren(...ids.map((id) => h('option', { value: id }, id)));
  if (r.account) select.value = r.account;
  $('account-field').hidden = ids.length < 2;
  const problems = $('monitoring-problems');
  showProblems(problems, r.problems, CONSEQUENCES);
  if (r.unknownAccount !== undefined)
    problems.prepend(
      h(
        'p',
        { 'data-problem': 'unknown-account' },
        h('strong', {}, 'Unknown account: '),
        `the exporter knows no account "${r.unknownAccount}"${ids.length ? ` (it knows ${ids.join(', ')})` : ''}.`,
      ),
    );
  problems.hidden = problems.childElementCount === 0;
  const readouts = $('readouts');
  if (r.live) readouts.replaceChildren(...renderReadouts(r.live, r.thresholds));
  else
    readouts.replaceChildren(
      h('p', { class: 'empty' }, r.unknownAccount !== undefined ? 'Choose an account above.' : 'No account data yet.'),
    );
  $('positions').replaceChildren(r.live ? renderPositions(r.live.positions, currency) : h('p', { class: 'empty' }, '—'));
  $('system').replaceChildren(renderStatus(r));
  $('updated').textContent = `Updated ${new Date(r.timestamp).toLocaleTimeString()} · every ${r.refreshSeconds} s`;
  document.title = `${r.account ?? 'Monitoring'} · Monitoring · TraderAdmin`;
  if (r.unknownAccount !== undefined) return;
  const hist =
    histCall && histAccount === r.account
      ? await histCall
      : r.account
        ? await api<HistoryResponse>('GET', `/api/monitoring/history?account=${encodeURIComponent(r.account)}&range=${range}`)
        : undefined;
  if (hist?.status === 200) {
    drawHistory(hist.body, r.thresholds);
    if (hist.body.problems.prometheus && !r.problems.prometheus)
      showProblems(problems, { ...r.problems, ...hist.body.problems }, CONSEQUENCES);
  }
}

export function startMonitoring(): void {
  const root = $('view-monitoring');
  layout(root);
  refreshNow = every(
    () => refreshSeconds,
    () =>
      refresh().catch((error: Error) => {
        showProblems($('monitoring-problems'), { exporter: `the console server did not answer (${error.message})` }, CONSEQUENCES);
      }),
  );
}
