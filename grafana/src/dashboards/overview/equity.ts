/**
 * "Trading overview" row 3, left: the equity curve, drawn by our panel plugin (grafana/panel)
 * from the two queries it looks for by refId, with config.toml's drawdown limit.
 */
import * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';
import { EQUITY_PANEL_ID, PROMETHEUS } from '../../datasources.js';
import { currencyOverrides, grid, prom, type DashboardOptions, type Placement } from '../common.js';
import { ACC } from './panels.js';

/** refIds the equity panel looks for (grafana/panel/src/types.ts defaults). */
export const EQUITY_PANEL_REFS = Object.freeze({ equity: 'equity', executions: 'executions' });

/** Title of the equity curve panel (panelQuery finds it by this title). */
export const EQUITY_PANEL_TITLE = 'Equity curve';

export function equityPanel({ moneyUnit, drawdownLimitPercent }: Required<DashboardOptions>): Placement {
  return [
    grid(0, 8, 16, 12),
    new dashboard.PanelBuilder()
      .type(EQUITY_PANEL_ID)
      .title(EQUITY_PANEL_TITLE)
      .description(
        'Equity with its high-water mark over the time range, the drawdown from it as an underwater area, fills as markers and the drawdown limit as a line.',
      )
      .datasource(PROMETHEUS)
      .withTarget(prom(EQUITY_PANEL_REFS.equity, `trader_equity{${ACC}}`, { legend: 'Equity {{currency}}' }))
      .withTarget(prom(EQUITY_PANEL_REFS.executions, `sum by (side) (trader_executions_total{${ACC}})`, { legend: '{{side}}' }))
      .options({
        equityRefId: EQUITY_PANEL_REFS.equity,
        executionsRefId: EQUITY_PANEL_REFS.executions,
        limitRefId: 'limit',
        showHighWater: true,
        showMarkers: true,
        drawdownLimitPercent,
        drawdownHeightPercent: 30,
      })
      .fieldConfig({ defaults: { unit: moneyUnit, decimals: 2 }, overrides: currencyOverrides() }),
  ];
}
