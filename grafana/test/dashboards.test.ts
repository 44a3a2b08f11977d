import { readFileSync, readdirSync, mkdtempSync, writeFileSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DASHBOARDS_DIR, renderDashboards, writeDashboards } from '../src/generate.js';
import { dashboardOptions } from '../src/dashboards/common.js';
import { ALERTMANAGER, DASHBOARD_UIDS, EQUITY_PANEL_ID, PROMETHEUS, PROVISIONED_UIDS } from '../src/datasources.js';
import { allPanels, dashboardQueries, provisionedDatasources, slugify, validateDashboard } from '../src/validate.js';
import { EQUITY_PANEL_TITLE } from '../src/dashboards/index.js';
import { DASHBOARDS } from '@traderadmin/config';
// The plugin's option defaults (a dependency-free file of the separate panel project).
import { DEFAULT_OPTIONS } from '../panel/src/types.js';

type Json = Record<string, unknown>;
const committed = (file: string) => JSON.parse(readFileSync(path.join(DASHBOARDS_DIR, file), 'utf8')) as Json;
const rendered = renderDashboards();
const files = [...rendered.keys()];
const clone = <T>(v: T): T => JSON.parse(JSON.stringify(v)) as T;

describe('generated dashboards', () => {
  it('the committed JSON is what the code generates (run `npm run generate:dashboards` after a change)', () => {
    const onDisk = readdirSync(DASHBOARDS_DIR)
      .filter((f) => f.endsWith('.json'))
      .sort();
    expect(onDisk).toEqual([...files].sort());
    for (const [file, text] of rendered) expect(readFileSync(path.join(DASHBOARDS_DIR, file), 'utf8'), file).toBe(text);
  });

  it('generation is deterministic', () => {
    expect(renderDashboards()).toEqual(rendered);
  });

  it('writeDashboards writes every file and sets aside stale ones', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'dash-'));
    try {
      writeFileSync(path.join(dir, 'old.json'), '{}');
      const result = writeDashboards(dir);
      expect(result.written.map((f) => path.basename(f)).sort()).toEqual([...files].sort());
      expect(result.removed.map((f) => path.basename(f))).toEqual(['old.json']);
      expect(existsSync(path.join(dir, '.old.json.removed'))).toBe(true);
      expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it.each(files)('%s passes the @grafana/schema JSON schema, data source, panel type and PromQL checks', (file) => {
    expect(validateDashboard(committed(file))).toEqual([]);
  });

  it('have the uids and URL slugs alert annotations link to', () => {
    const byUid = new Map(files.map((f) => [committed(f).uid as string, committed(f)]));
    expect([...byUid.keys()].sort()).toEqual([DASHBOARD_UIDS.delivery, DASHBOARD_UIDS.overview].sort());
    // rules-gen dashboardUrl and the bridge's links: /d/<uid>/<slug> of @traderadmin/config's DASHBOARDS
    for (const d of Object.values(DASHBOARDS)) expect(slugify(byUid.get(d.uid)!.title as string)).toBe(d.slug);
    expect(DASHBOARDS.overview.uid).toBe('trader-overview');
  });

  it('hard-code no colours: only named palette colours and field colour schemes', () => {
    for (const file of files) {
      const text = readFileSync(path.join(DASHBOARDS_DIR, file), 'utf8');
      expect(text, file).not.toMatch(/#[0-9a-fA-F]{3,8}\b|rgba?\(|hsla?\(/);
      const colours = [...text.matchAll(/"(?:color|iconColor|fixedColor)": "([^"]+)"/g)].map((m) => m[1]);
      for (const c of colours)
        expect(['green', 'red', 'orange', 'yellow', 'blue', 'purple', 'text', 'transparent'], `${file}: ${c}`).toContain(c);
    }
  });
});

describe('Trading overview', () => {
  const d = committed('trading-overview.json');
  const panels = allPanels(d);
  const titles = panels.map((p) => p.title);

  it('has the panels the issue asks for', () => {
    expect(titles).toEqual(
      expect.arrayContaining([
        'Equity',
        'Daily P&L',
        'Realized P&L today',
        'Unrealized P&L',
        'Buying power',
        'Open positions',
        'Trades today',
        'Average order latency',
        'API errors (last hour)',
        EQUITY_PANEL_TITLE,
        'Daily P&L trend',
        'Order latency',
        'Errors by component',
        'Positions',
        'Gateway',
        'Component heartbeats',
        'Last data sync',
      ]),
    );
    expect(panels.filter((p) => p.type === EQUITY_PANEL_ID)).toHaveLength(1);
    const table = panels.find((p) => p.type === 'table' && p.title === 'Positions')!;
    expect(table.options).toMatchObject({ sortBy: [{ displayName: 'Unrealized P&L' }] });
    const organize = (table.transformations as Json[]).find((t) => t.id === 'organize')!;
    expect(Object.values((organize.options as Json).renameByName as Json)).toEqual(
      expect.arrayContaining(['Symbol', 'Quantity', 'Entry', 'Current price', 'Unrealized P&L']),
    );
  });

  it("configures the equity panel with exactly the plugin's options, and queries under the refIds it reads", () => {
    const panel = panels.find((p) => p.type === EQUITY_PANEL_ID)!;
    const options = panel.options as Record<string, unknown>;
    expect(Object.keys(options).sort()).toEqual(Object.keys(DEFAULT_OPTIONS).sort());
    for (const [key, value] of Object.entries(options))
      expect(typeof value, key).toBe(typeof DEFAULT_OPTIONS[key as keyof typeof DEFAULT_OPTIONS]);
    const refIds = (panel.targets as Json[]).map((t) => t.refId);
    expect(refIds).toEqual([options.equityRefId, options.executionsRefId]);
    expect(panel.fieldConfig).toMatchObject({ defaults: { unit: 'currencyUSD', decimals: 2 } });
  });

  it('selects one account with label_values(trader_equity, account), and every account query uses it', () => {
    const variables = (d.templating as Json).list as Json[];
    expect(variables.map((v) => v.name)).toEqual(['account']);
    expect(variables[0].definition).toBe('label_values(trader_equity, account)');
    for (const q of dashboardQueries(d)) {
      if (/trader_(equity|daily_pnl|realized|unrealized|buying|open_positions|position_|executions|order_latency|trades)/.test(q.expr)) {
        if (q.where.startsWith('variable')) continue;
        expect(q.expr, q.where).toMatch(/account="\$account"/);
      }
    }
  });

  it('annotates firing alerts (ALERTS) and broker reconnects', () => {
    const list = (d.annotations as Json).list as Json[];
    expect(list.map((a) => a.expr).filter(Boolean)).toEqual([
      'ALERTS{alertstate="firing", alertname!="Watchdog"}',
      'changes(trader_broker_reconnects_total[1m]) > 0',
    ]);
  });

  it('shares the crosshair between panels', () => {
    expect(d.graphTooltip).toBe(1);
  });
});

describe('Alerts and delivery', () => {
  const d = committed('alerts-and-delivery.json');
  const exprs = dashboardQueries(d)
    .map((q) => q.expr)
    .join('\n');

  it('covers firing alerts, silences and every bridge metric', () => {
    for (const metric of [
      'ALERTS',
      'alertmanager_silences',
      'alert_bridge_notifications_sent_total',
      'alert_bridge_notifications_failed_total',
      'alert_bridge_queue_depth',
      'alert_bridge_oldest_queued_age_seconds',
      'alert_bridge_dead_letters',
      'alert_bridge_delivery_latency_seconds_bucket',
    ]) {
      expect(exprs).toContain(metric);
    }
    expect(JSON.stringify(d)).toContain('/alerting/silences?alertmanager=alertmanager');
  });
});

describe('the validator rejects', () => {
  const good = committed('trading-overview.json');
  const cases: Array<[string, (d: Json) => void, RegExp]> = [
    ['a broken gridPos', (d) => ((allPanels(d)[0].gridPos as Json).w = 'wide'), /schema: \/panels\/0\/gridPos\/w must be number/],
    ['a time range without its end', (d) => (d.time = { from: 'now-6h' }), /schema: \/time must have required property 'to'/],
    [
      'an unprovisioned data source uid',
      (d) => (allPanels(d)[0].datasource = { type: 'prometheus', uid: 'P1809F7CD0C75ACF3' }),
      /data source uid "P1809F7CD0C75ACF3" is not provisioned/,
    ],
    [
      'an unknown panel type',
      (d) => (allPanels(d)[0].type = 'grafana-worldmap-panel'),
      /panel type "grafana-worldmap-panel" is neither a core panel nor ours/,
    ],
    [
      'a PromQL syntax error',
      (d) => (((allPanels(d)[0].targets as Json[])[0].expr as string) = 'sum by (le (rate(x[5m]))'),
      /PromQL syntax error at \d+/,
    ],
    [
      'an undefined variable',
      (d) => (((allPanels(d)[0].targets as Json[])[0].expr as string) = 'trader_equity{account="$acount"}'),
      /uses an undefined variable/,
    ],
    ['duplicate panel ids', (d) => (allPanels(d)[1].id = allPanels(d)[0].id), /duplicate id/],
    ['duplicate panel titles', (d) => (allPanels(d)[1].title = allPanels(d)[0].title), /duplicate title/],
  ];
  it.each(cases)('%s', (_name, breakIt, message) => {
    const d = clone(good);
    breakIt(d);
    expect(validateDashboard(d).join('\n')).toMatch(message);
  });
});

describe('provisioning', () => {
  const root = path.resolve(DASHBOARDS_DIR, '..');

  it('provisions Prometheus and Alertmanager with fixed uids at the compose service URLs', () => {
    const ds = provisionedDatasources();
    expect(ds).toEqual([
      { name: 'Prometheus', type: 'prometheus', uid: PROMETHEUS.uid, url: 'http://127.0.0.1:9090' },
      { name: 'Alertmanager', type: 'alertmanager', uid: ALERTMANAGER.uid, url: 'http://127.0.0.1:9093' },
    ]);
    expect(ds.map((d) => d.uid)).toEqual([...PROVISIONED_UIDS]);
  });

  // The folder is where compose mounts `generate --dashboards` output (cli/test/docker-compose.test.ts ties the two).
  it('loads the generated dashboards folder read-only', () => {
    const text = readFileSync(path.join(root, 'provisioning/dashboards/dashboards.yml'), 'utf8');
    expect(text).toMatch(/path: \/var\/lib\/grafana\/app-data\/generated\/dashboards$/m);
    expect(text).toMatch(/allowUiUpdates: false/);
  });

  it('allows exactly our unsigned plugin, and no anonymous access', () => {
    const ini = readFileSync(path.join(root, 'grafana.ini'), 'utf8');
    expect(ini).toMatch(new RegExp(`^allow_loading_unsigned_plugins = ${EQUITY_PANEL_ID}$`, 'm'));
    expect(ini).toMatch(/\[auth\.anonymous\]\n(#.*\n)*enabled = false/);
    expect(ini).not.toMatch(/admin_password\s*=/);
  });

  it.each(['trading-overview.json', 'alerts-and-delivery.json'])('%s links to the alerts configuration page', (file) => {
    const d = JSON.parse(readFileSync(path.join(root, 'dashboards', file), 'utf8')) as { links: Array<{ title: string; url: string }> };
    expect(d.links).toContainEqual(expect.objectContaining({ title: 'Alerts configuration', url: 'http://127.0.0.1:9096/' }));
  });

  it('matches the plugin id in grafana/panel/src/plugin.json', () => {
    const plugin = JSON.parse(readFileSync(path.join(root, 'panel/src/plugin.json'), 'utf8')) as Json;
    expect(plugin.id).toBe(EQUITY_PANEL_ID);
    expect(plugin.type).toBe('panel');
  });
});

describe('dashboards from config.toml', () => {
  const overviewOf = (text: string) => allPanels(JSON.parse(text) as never) as unknown as Json[];
  const byTitle = (panels: Json[], title: string) => panels.find((p) => p.title === title)!;
  const steps = (p: Json) =>
    (
      p.fieldConfig as { defaults: { thresholds: { steps: Array<{ value: number | null; color: string }> } } }
    ).defaults.thresholds.steps.map((s) => [s.value, s.color]);
  const text = renderDashboards(
    dashboardOptions({
      alerts_config: { thresholds: { max_portfolio_drawdown_percentage_today: 3, max_order_latency_ms: 250, max_api_errors_per_hour: 4 } },
    }),
  ).get('trading-overview.json')!;
  const panels = overviewOf(text);

  it('draws the drawdown limit and the latency threshold of the config, and colours by its limits', () => {
    expect((byTitle(panels, EQUITY_PANEL_TITLE).options as Json).drawdownLimitPercent).toBe(3);
    expect(steps(byTitle(panels, 'Drawdown today'))).toEqual([
      [null, 'green'],
      [0.015, 'orange'],
      [0.03, 'red'],
    ]);
    expect(steps(byTitle(panels, 'Order latency'))).toEqual([
      [null, 'transparent'],
      [0.25, 'red'],
    ]);
    expect((byTitle(panels, 'Order latency').fieldConfig as { defaults: { custom: Json } }).defaults.custom.thresholdsStyle).toEqual({
      mode: 'dashed',
    });
    expect(steps(byTitle(panels, 'API errors (last hour)')).at(-1)).toEqual([4, 'red']);
  });

  it("shows money in each account's currency: every money series' name ends with its currency", () => {
    const equity = byTitle(panels, EQUITY_PANEL_TITLE).fieldConfig as {
      overrides: Array<{ matcher: { options: string }; properties: Json[] }>;
    };
    const eur = equity.overrides.find((o) => new RegExp(o.matcher.options).test('Equity EUR'))!;
    expect(eur.properties).toEqual([{ id: 'unit', value: 'currencyEUR' }]);
    expect(equity.overrides.filter((o) => new RegExp(o.matcher.options).test('Equity USD'))).toHaveLength(1);
    for (const title of ['Equity', 'Daily P&L', 'Average win / loss', 'Daily P&L trend']) {
      const p = byTitle(panels, title);
      expect(p, title).toBeDefined();
      const legends = (p.targets as Json[]).map((t) => String(t.legendFormat));
      for (const legend of legends) expect(legend, title).toMatch(/\{\{currency\}\}$/);
    }
  });
});
