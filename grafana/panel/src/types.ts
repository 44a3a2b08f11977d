/**
 * Options of the equity curve panel (panel JSON `options`). Units, decimals and the equity
 * colour come from Grafana's standard field options instead (`fieldConfig.defaults`).
 */
export interface EquityCurveOptions {
  /** refId of the equity query (e.g. `trader_equity{account="$account"}`). @default 'equity' */
  equityRefId: string;
  /** refId of the fills counter query (`sum by (side) (trader_executions_total{...})`). @default 'executions' */
  executionsRefId: string;
  /**
   * refId of an optional drawdown limit series, as a ratio 0..1 (e.g. 0.05); when present it
   * replaces {@link drawdownLimitPercent}. @default 'limit'
   */
  limitRefId: string;
  /** Drawdown limit in percent drawn under the curve; 0 draws none. @default 5 */
  drawdownLimitPercent: number;
  /** Draw the high-water mark. @default true */
  showHighWater: boolean;
  /** Draw a marker where fills happened. @default true */
  showMarkers: boolean;
  /** Height of the underwater (drawdown) chart, percent of the panel. @default 30 */
  drawdownHeightPercent: number;
}

/** The defaults of {@link EquityCurveOptions}, shared by module.ts and tests. */
export const DEFAULT_OPTIONS: EquityCurveOptions = {
  equityRefId: 'equity',
  executionsRefId: 'executions',
  limitRefId: 'limit',
  drawdownLimitPercent: 5,
  showHighWater: true,
  showMarkers: true,
  drawdownHeightPercent: 30,
};
