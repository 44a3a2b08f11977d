/**
 * Loads the built dist/module.js the way Grafana does: an AMD module whose dependencies
 * (React, @grafana/data, @grafana/ui, @grafana/runtime, @emotion/css) are provided by the
 * host. Run after `npm run build` (jest.dist.config.js).
 */
import fs from 'fs';
import path from 'path';
import React from 'react';
import { render, screen } from '@testing-library/react';
import {
  createDataFrame,
  createTheme,
  dateTime,
  EventBusSrv,
  FieldType,
  getDefaultTimeRange,
  LoadingState,
  PanelOptionsEditorBuilder,
  PanelPlugin,
  standardEditorsRegistry,
  standardFieldConfigEditorRegistry,
} from '@grafana/data';
import { ThemeContext } from '@grafana/ui';
// The options to render with (data only: the panel under test is the bundle's).
import { DEFAULT_OPTIONS } from '../src/types';

const DIST = path.resolve(__dirname, '../dist');

function loadAmd(file: string): Record<string, unknown> {
  const code = fs.readFileSync(file, 'utf8');
  let exported: Record<string, unknown> | undefined;
  const define = (deps: string[], factory: (...args: unknown[]) => Record<string, unknown>) => {
    // Grafana's SystemJS resolves these to its own instances; here they resolve to ours.
    const resolved = deps.map((d) =>
      d === 'module' ? { uri: `public/plugins/traderadmin-equitycurve-panel/module.js` } : require(d)
    );
    exported = factory(...resolved);
  };
  (define as unknown as { amd: boolean }).amd = true;
  new Function('define', code)(define);
  if (!exported) throw new Error(`${file} did not call define()`);
  return exported;
}

describe('dist/ as Grafana loads it', () => {
  const manifest = JSON.parse(fs.readFileSync(path.join(DIST, 'plugin.json'), 'utf8'));
  const mod = loadAmd(path.join(DIST, 'module.js'));
  const plugin = mod.plugin as PanelPlugin;

  it('has a plugin.json Grafana accepts', () => {
    expect(manifest).toMatchObject({
      type: 'panel',
      id: 'traderadmin-equitycurve-panel',
      dependencies: { grafanaDependency: expect.stringMatching(/^>=\d+\.\d+\.\d+$/) },
    });
    expect(manifest.id).toMatch(/^[0-9a-z]+-([0-9a-z]+-)?panel$/);
    expect(manifest.info.version).toMatch(/^\d+\.\d+\.\d+/);
    expect(manifest.info.updated).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    for (const logo of Object.values(manifest.info.logos) as string[])
      expect(fs.existsSync(path.join(DIST, logo))).toBe(true);
  });

  it('only requires modules Grafana provides', () => {
    const header = fs.readFileSync(path.join(DIST, 'module.js'), 'utf8').match(/define\((\[[^\]]*\])/);
    expect(JSON.parse(header![1]).sort()).toEqual([
      '@emotion/css',
      '@grafana/data',
      '@grafana/runtime',
      '@grafana/ui',
      'module',
      'react',
    ]);
  });

  it('exports a PanelPlugin with our options and their defaults', () => {
    expect(plugin).toBeInstanceOf(PanelPlugin);
    // Grafana registers its option editors at startup; register stand-ins for the ones we use.
    standardEditorsRegistry.setInit(() =>
      ['text', 'number', 'boolean', 'slider', 'radio', 'select'].map((id) => ({ id, name: id, editor: () => null }))
    );
    const builder = new PanelOptionsEditorBuilder();
    plugin.getPanelOptionsSupplier()(builder, { data: [] });
    const items = Object.fromEntries(builder.getItems().map((i) => [i.path, i.defaultValue]));
    expect(items).toEqual({
      drawdownLimitPercent: 5,
      showHighWater: true,
      showMarkers: true,
      drawdownHeightPercent: 30,
      equityRefId: 'equity',
      executionsRefId: 'executions',
      limitRefId: 'limit',
    });
    // Likewise the standard field options (Grafana core's getAllStandardFieldConfigs).
    const standard = [
      'unit',
      'decimals',
      'color',
      'min',
      'max',
      'thresholds',
      'mappings',
      'links',
      'noValue',
      'displayName',
    ];
    standardFieldConfigEditorRegistry.setInit(() =>
      standard.map((id) => ({
        id,
        path: id,
        name: id,
        editor: () => null,
        override: () => null,
        process: (v: unknown) => v,
        shouldApply: () => true,
      }))
    );
    expect(
      plugin.fieldConfigRegistry
        .list()
        .map((o) => o.id)
        .sort()
    ).toEqual(['color', 'decimals', 'displayName', 'links', 'noValue', 'unit']);
    expect(plugin.fieldConfigDefaults.defaults).toMatchObject({
      unit: 'currencyUSD',
      decimals: 2,
      color: { mode: 'fixed', fixedColor: 'blue' },
    });
  });

  it('renders its panel component from the bundle', () => {
    const Panel = plugin.panel as React.ComponentType<any>;
    const t0 = Date.UTC(2026, 10, 20);
    const series = [
      createDataFrame({
        refId: 'equity',
        fields: [
          { name: 'Time', type: FieldType.time, values: [t0, t0 + 5000, t0 + 10000] },
          {
            name: 'Value',
            type: FieldType.number,
            values: [50_000, 49_000, 49_500],
            config: { unit: 'currencyUSD', decimals: 2 },
          },
        ],
      }),
    ];
    const timeRange = { ...getDefaultTimeRange(), from: dateTime(t0), to: dateTime(t0 + 10000) };
    render(
      <ThemeContext.Provider value={createTheme()}>
        <Panel
          id={1}
          data={{ series, state: LoadingState.Done, timeRange }}
          timeRange={timeRange}
          timeZone="utc"
          options={DEFAULT_OPTIONS}
          fieldConfig={{ defaults: {}, overrides: [] }}
          width={600}
          height={300}
          eventBus={new EventBusSrv()}
          replaceVariables={(s: string) => s}
          onOptionsChange={() => {}}
          onFieldConfigChange={() => {}}
          onChangeTimeRange={() => {}}
          renderCounter={0}
          title="Equity"
          transparent={false}
        />
      </ThemeContext.Provider>
    );
    expect(screen.getByTestId('summary-Max drawdown')).toHaveTextContent('-2.00%');
  });
});
