import { FieldColorModeId, FieldConfigProperty, PanelPlugin } from '@grafana/data';
import { EquityCurvePanel } from './components/EquityCurvePanel';
import { DEFAULT_OPTIONS, EquityCurveOptions } from './types';

/**
 * The equity curve panel. Unit, decimals and the curve's colour are Grafana's standard field
 * options; the panel options say which queries hold equity, fills and the limit.
 */
export const plugin = new PanelPlugin<EquityCurveOptions>(EquityCurvePanel)
  .useFieldConfig({
    standardOptions: {
      [FieldConfigProperty.Unit]: { defaultValue: 'currencyUSD' },
      [FieldConfigProperty.Decimals]: { defaultValue: 2 },
      [FieldConfigProperty.Color]: {
        defaultValue: { mode: FieldColorModeId.Fixed, fixedColor: 'blue' },
        settings: { byValueSupport: false, bySeriesSupport: false, preferThresholdsMode: false },
      },
    },
    disableStandardOptions: [
      FieldConfigProperty.Thresholds,
      FieldConfigProperty.Mappings,
      FieldConfigProperty.Min,
      FieldConfigProperty.Max,
    ],
  })
  .setPanelOptions((builder) =>
    builder
      .addNumberInput({
        path: 'drawdownLimitPercent',
        name: 'Drawdown limit (%)',
        description:
          'Drawn as a line under the curve; 0 hides it. A query with the limit refId (a ratio, e.g. 0.05) replaces it.',
        defaultValue: DEFAULT_OPTIONS.drawdownLimitPercent,
        settings: { min: 0, max: 100, step: 0.5 },
      })
      .addBooleanSwitch({
        path: 'showHighWater',
        name: 'Show high-water mark',
        defaultValue: DEFAULT_OPTIONS.showHighWater,
      })
      .addBooleanSwitch({ path: 'showMarkers', name: 'Show fill markers', defaultValue: DEFAULT_OPTIONS.showMarkers })
      .addSliderInput({
        path: 'drawdownHeightPercent',
        name: 'Underwater height (%)',
        defaultValue: DEFAULT_OPTIONS.drawdownHeightPercent,
        settings: { min: 10, max: 80, step: 5 },
      })
      .addTextInput({
        path: 'equityRefId',
        name: 'Equity query refId',
        category: ['Queries'],
        defaultValue: DEFAULT_OPTIONS.equityRefId,
      })
      .addTextInput({
        path: 'executionsRefId',
        name: 'Fills query refId',
        description: 'A fills counter (trader_executions_total), optionally by side.',
        category: ['Queries'],
        defaultValue: DEFAULT_OPTIONS.executionsRefId,
      })
      .addTextInput({
        path: 'limitRefId',
        name: 'Limit query refId',
        category: ['Queries'],
        defaultValue: DEFAULT_OPTIONS.limitRefId,
      })
  );
