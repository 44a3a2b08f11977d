import React from 'react';
import { render, screen } from '@testing-library/react';
import {
  createDataFrame,
  createTheme,
  dateTime,
  EventBusSrv,
  FieldColorModeId,
  FieldType,
  getDefaultTimeRange,
  LoadingState,
  PanelProps,
} from '@grafana/data';
import { ThemeContext } from '@grafana/ui';
import { EquityCurvePanel } from './EquityCurvePanel';
import { equityColours } from './plotConfig';
import { DEFAULT_OPTIONS, EquityCurveOptions } from '../types';

const T0 = Date.UTC(2026, 10, 20, 14, 30);
const STEP = 5000;
// 100k → 104k peak → 101.4k trough (−2.5 %) → 103k.
const EQUITY = [100_000, 102_000, 104_000, 103_000, 101_400, 102_500, 103_000];
const times = EQUITY.map((_, i) => T0 + i * STEP);

function equityFrame() {
  return createDataFrame({
    refId: 'equity',
    fields: [
      { name: 'Time', type: FieldType.time, values: times },
      {
        name: 'Value',
        type: FieldType.number,
        values: EQUITY,
        labels: { account: 'DU123', currency: 'USD' },
        config: { unit: 'currencyUSD', decimals: 2, color: { mode: FieldColorModeId.Fixed, fixedColor: 'blue' } },
      },
    ],
  });
}

function fillsFrame(side: string, values: number[]) {
  return createDataFrame({
    refId: 'executions',
    fields: [
      { name: 'Time', type: FieldType.time, values: times },
      { name: 'Value', type: FieldType.number, values, labels: { side } },
    ],
  });
}

function props(
  series = [equityFrame(), fillsFrame('buy', [0, 1, 1, 1, 1, 3, 3]), fillsFrame('sell', [0, 0, 0, 1, 1, 1, 1])],
  options: Partial<EquityCurveOptions> = {}
): PanelProps<EquityCurveOptions> {
  const timeRange = { ...getDefaultTimeRange(), from: dateTime(T0), to: dateTime(T0 + 6 * STEP) };
  return {
    id: 7,
    data: { series, state: LoadingState.Done, timeRange },
    timeRange,
    timeZone: 'utc',
    options: { ...DEFAULT_OPTIONS, ...options },
    fieldConfig: { defaults: {}, overrides: [] },
    width: 800,
    height: 400,
    transparent: false,
    title: 'Equity curve',
    renderCounter: 1,
    eventBus: new EventBusSrv(),
    replaceVariables: (s: string) => s,
    onOptionsChange: jest.fn(),
    onFieldConfigChange: jest.fn(),
    onChangeTimeRange: jest.fn(),
  };
}

describe.each(['dark', 'light'] as const)('EquityCurvePanel in the %s theme', (mode) => {
  const theme = createTheme({ colors: { mode } });
  const renderPanel = (p: PanelProps<EquityCurveOptions>) =>
    render(
      <ThemeContext.Provider value={theme}>
        <EquityCurvePanel {...p} />
      </ThemeContext.Provider>
    );

  it('shows equity, high-water mark, drawdown, max drawdown, limit and fills with Grafana units', () => {
    renderPanel(props());
    expect(screen.getByTestId('summary-Equity')).toHaveTextContent('Equity$103.00K');
    expect(screen.getByTestId('summary-High-water')).toHaveTextContent('High-water$104.00K');
    expect(screen.getByTestId('summary-Drawdown')).toHaveTextContent('Drawdown-0.96% (-$1.00K)');
    expect(screen.getByTestId('summary-Max drawdown')).toHaveTextContent('Max drawdown-2.50%');
    expect(screen.getByTestId('summary-Limit')).toHaveTextContent('Limit-5.00%');
    // buy: +1 then +2; sell: +1
    expect(screen.getByTestId('summary-Fills')).toHaveTextContent('Fills4');
  });

  it('draws both charts with uPlot', () => {
    const { container } = renderPanel(props());
    expect(container.querySelectorAll('.uplot')).toHaveLength(2);
    expect(container.querySelectorAll('canvas').length).toBeGreaterThanOrEqual(2);
  });

  it(`takes every colour from the ${mode} theme`, () => {
    renderPanel(props());
    const colours = equityColours(theme, equityFrame().fields[1]);
    expect(colours.equity).toBe(theme.visualization.getColorByName('blue'));
    expect(colours.drawdown).toBe(theme.colors.error.main);
    // jsdom normalises colours to rgb(); compare with the theme colour normalised the same way.
    const swatch = (label: string) => screen.getByTestId(`swatch-${label}`).style.background;
    const normalise = (c: string) => {
      const el = document.createElement('span');
      el.style.background = c;
      return el.style.background;
    };
    expect(swatch('Equity')).toBe(normalise(colours.equity));
    expect(swatch('Drawdown')).toBe(normalise(theme.colors.error.main));
    expect(swatch('Limit')).toBe(normalise(theme.colors.warning.main));
    expect(swatch('High-water')).toBe(normalise(theme.colors.text.secondary));
  });

  it('takes the limit from a series when the limit query returns one', () => {
    const limit = createDataFrame({
      refId: 'limit',
      fields: [
        { name: 'Time', type: FieldType.time, values: [T0] },
        { name: 'Value', type: FieldType.number, values: [0.03] },
      ],
    });
    renderPanel(props([equityFrame(), limit]));
    expect(screen.getByTestId('summary-Limit')).toHaveTextContent('Limit-3.00%');
    expect(screen.getByTestId('summary-Fills')).toHaveTextContent('Fills0');
  });

  it('draws no limit when the option is 0 and there is no limit series', () => {
    renderPanel(props([equityFrame()], { drawdownLimitPercent: 0 }));
    expect(screen.queryByTestId('summary-Limit')).toBeNull();
  });

  it("shows Grafana's no-data view without equity data", () => {
    renderPanel(props([]));
    expect(screen.queryByTestId('equity-curve-panel')).toBeNull();
    // @grafana/runtime's PanelDataErrorView (Grafana replaces its renderer with the real view).
    expect(screen.getByText(/Unable to render data/)).toBeInTheDocument();
  });

  it('shows the no-data view when the query returned only empty frames', () => {
    const empty = createDataFrame({
      refId: 'equity',
      fields: [
        { name: 'Time', type: FieldType.time, values: [] },
        { name: 'Value', type: FieldType.number, values: [] },
      ],
    });
    renderPanel(props([empty]));
    expect(screen.getByText(/Unable to render data/)).toBeInTheDocument();
  });
});
