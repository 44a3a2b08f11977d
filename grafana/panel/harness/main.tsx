/**
 * Browser harness: loads the built dist/module.js through an AMD `define` the way Grafana's
 * plugin loader does, feeds the equity panel from the provisioned "Trading overview"
 * dashboard's own targets over a live Prometheus (proxied at /prom), and re-queries every
 * `refresh` seconds like the dashboard. Query parameters: theme, account, range (s), refresh (s).
 */
import * as React from 'react';
import * as jsxRuntime from 'react/jsx-runtime';
import * as ReactDOM from 'react-dom';
import { createRoot } from 'react-dom/client';
import * as emotion from '@emotion/css';
import * as grafanaData from '@grafana/data';
import * as grafanaRuntime from '@grafana/runtime';
import * as grafanaUi from '@grafana/ui';
import {
  createDataFrame,
  createTheme,
  dateTime,
  EventBusSrv,
  FieldType,
  LoadingState,
  PanelData,
  PanelPlugin,
  standardEditorsRegistry,
  standardFieldConfigEditorRegistry,
} from '@grafana/data';
import { DashboardCursorSync } from '@grafana/schema';
import { PanelChrome, PanelContextProvider, ThemeContext } from '@grafana/ui';

declare global {
  interface Window {
    define: ((deps: string[], factory: (...a: unknown[]) => unknown) => void) & { amd?: boolean };
    __harness: HarnessState;
  }
}

/** What the test reads back from the page. */
interface HarnessState {
  ready: boolean;
  error?: string;
  renders: number;
  lastSampleTime?: number;
  points: number;
  refIds: string[];
  colours: { equity: string; drawdown: string; background: string };
  /** Time of the last DataHoverEvent the panel published on the dashboard event bus (shared crosshair). */
  hoverTime?: number;
  /** Set by a test to hold refreshes: each one rebuilds the charts, which drops a hover in progress. */
  hold?: boolean;
}

const params = new URLSearchParams(location.search);
const mode = params.get('theme') === 'light' ? 'light' : 'dark';
const account = params.get('account') ?? '';
const rangeSeconds = Number(params.get('range') ?? '600');
const refreshSeconds = Number(params.get('refresh') ?? '5');
const theme = createTheme({ colors: { mode } });
window.__harness = {
  ready: false,
  renders: 0,
  points: 0,
  refIds: [],
  colours: {
    equity: theme.visualization.getColorByName('blue'),
    drawdown: theme.colors.error.main,
    background: theme.colors.background.primary,
  },
};
document.body.style.background = theme.colors.background.canvas;
document.body.style.margin = '0';
document.body.style.fontFamily = theme.typography.fontFamily;

/** The modules Grafana provides to plugins (webpack externals of the scaffold). */
const provided: Record<string, unknown> = {
  react: React,
  'react/jsx-runtime': jsxRuntime,
  'react-dom': ReactDOM,
  '@emotion/css': emotion,
  '@grafana/data': grafanaData,
  '@grafana/ui': grafanaUi,
  '@grafana/runtime': grafanaRuntime,
};

function loadPlugin(url: string): Promise<PanelPlugin> {
  return new Promise((resolve, reject) => {
    window.define = Object.assign(
      (deps: string[], factory: (...a: unknown[]) => unknown) => {
        const missing = deps.filter((d) => d !== 'module' && !(d in provided));
        if (missing.length)
          return reject(new Error(`plugin requires modules Grafana does not provide: ${missing.join(', ')}`));
        const exported = factory(...deps.map((d) => (d === 'module' ? { uri: url } : provided[d]))) as {
          plugin?: PanelPlugin;
        };
        exported.plugin ? resolve(exported.plugin) : reject(new Error('module.js exports no plugin'));
      },
      { amd: true }
    );
    const script = document.createElement('script');
    script.src = url;
    script.onerror = () => reject(new Error(`cannot load ${url}`));
    document.head.appendChild(script);
  });
}

interface Target {
  refId: string;
  expr: string;
}

async function query(targets: Target[], fieldDefaults: Record<string, unknown>, from: number, to: number) {
  // Grafana's step: the range over max data points (the panel width), at least the scrape interval.
  const step = Math.max(1, Math.ceil((to - from) / 1000 / 1000));
  const frames = [];
  for (const t of targets) {
    const expr = t.expr.replace(/\$account\b/g, account);
    const body = new URLSearchParams({
      query: expr,
      start: String(from / 1000),
      end: String(to / 1000),
      step: String(step),
    });
    const res = await fetch('/prom/api/v1/query_range', { method: 'POST', body });
    const json = await res.json();
    if (json.status !== 'success') throw new Error(`${t.refId}: ${json.error}`);
    for (const r of json.data.result as Array<{ metric: Record<string, string>; values: Array<[number, string]> }>) {
      frames.push(
        createDataFrame({
          refId: t.refId,
          fields: [
            { name: 'Time', type: FieldType.time, values: r.values.map(([ts]) => ts * 1000) },
            {
              name: 'Value',
              type: FieldType.number,
              values: r.values.map(([, v]) => Number(v)),
              labels: r.metric,
              config: { ...fieldDefaults },
            },
          ],
        })
      );
    }
  }
  return frames;
}

/** Grafana registers its option editors at startup; the harness registers inert ones with the same ids. */
function registerEditors() {
  const inert = () => null;
  standardEditorsRegistry.setInit(() =>
    ['text', 'number', 'boolean', 'slider', 'radio', 'select', 'color', 'unit'].map((id) => ({
      id,
      name: id,
      editor: inert,
    }))
  );
  standardFieldConfigEditorRegistry.setInit(() =>
    ['unit', 'decimals', 'color', 'min', 'max', 'thresholds', 'mappings', 'links', 'noValue', 'displayName'].map(
      (id) => ({
        id,
        path: id,
        name: id,
        editor: inert,
        override: inert,
        process: (v: unknown) => v,
        shouldApply: () => true,
      })
    )
  );
}

async function main() {
  registerEditors();
  const plugin = await loadPlugin('/dist/module.js');
  const dashboard = await (await fetch('/dashboard.json')).json();
  const panel = dashboard.panels.find((p: { type: string }) => p.type === 'traderadmin-equitycurve-panel');
  if (!panel) throw new Error('the dashboard has no equity curve panel');
  const options = { ...(plugin as unknown as { defaults?: object }).defaults, ...panel.options };
  const fieldDefaults = { ...plugin.fieldConfigDefaults.defaults, ...panel.fieldConfig.defaults };
  const eventBus = new EventBusSrv();
  // Other panels of a dashboard follow the crosshair through these events.
  eventBus.subscribe(grafanaData.DataHoverEvent, (e) => {
    const time = e.payload?.point?.time;
    if (typeof time === 'number') window.__harness.hoverTime = time;
  });
  const root = createRoot(document.getElementById('root')!);
  const Panel = plugin.panel!;
  const width = 1100;
  const height = 460;

  const refresh = async () => {
    const to = Date.now();
    const from = to - rangeSeconds * 1000;
    const series = await query(panel.targets, fieldDefaults, from, to);
    if (window.__harness.hold) return;
    const timeRange = { from: dateTime(from), to: dateTime(to), raw: { from: `now-${rangeSeconds}s`, to: 'now' } };
    const data: PanelData = { series, state: LoadingState.Done, timeRange };
    root.render(
      <ThemeContext.Provider value={theme}>
        <PanelContextProvider value={{ eventsScope: 'global', eventBus, sync: () => DashboardCursorSync.Crosshair }}>
          <div style={{ padding: 16 }}>
            <PanelChrome title={panel.title} description={panel.description} width={width} height={height}>
              {(w, h) => (
                <Panel
                  id={panel.id}
                  data={data}
                  timeRange={timeRange}
                  timeZone="utc"
                  options={options}
                  fieldConfig={panel.fieldConfig}
                  width={w}
                  height={h}
                  transparent={false}
                  title={panel.title}
                  renderCounter={window.__harness.renders}
                  eventBus={eventBus}
                  replaceVariables={(s: string) => s.replace(/\$account\b/g, account)}
                  onOptionsChange={() => {}}
                  onFieldConfigChange={() => {}}
                  onChangeTimeRange={() => {}}
                />
              )}
            </PanelChrome>
          </div>
        </PanelContextProvider>
      </ThemeContext.Provider>
    );
    const equity = series.find((f) => f.refId === 'equity');
    const times = (equity?.fields[0].values ?? []) as number[];
    Object.assign(window.__harness, {
      ready: true,
      renders: window.__harness.renders + 1,
      lastSampleTime: times[times.length - 1],
      points: times.length,
      refIds: [...new Set(series.map((f) => f.refId ?? ''))],
    });
  };
  await refresh();
  setInterval(() => refresh().catch((e) => (window.__harness.error = String(e))), refreshSeconds * 1000);
}

main().catch((e) => {
  window.__harness.error = String(e?.stack ?? e);
});
