/**
 * The panel styles the "Trading overview" rows share: stat tiles (last value, sparkline), named
 * values and health tiles, and time series with a table legend. Each row module adds its queries.
 */
import * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';
import { PanelBuilder as StatPanel } from '@grafana/grafana-foundation-sdk/stat';
import { PanelBuilder as TimeseriesPanel } from '@grafana/grafana-foundation-sdk/timeseries';
import {
  BigValueColorMode,
  BigValueGraphMode,
  BigValueTextMode,
  LegendPlacement,
  ReduceDataOptionsBuilder,
} from '@grafana/grafana-foundation-sdk/common';
import { colour, legendTable, statTile, timeseries } from '../common.js';

/** Label matcher of the selected account, used by every account-scoped query. */
export const ACC = 'account="$account"';

/** A stat tile of the last value with a sparkline, coloured by value. */
export function stat(title: string, unit: string, description: string): StatPanel {
  return statTile(title, unit, description)
    .reduceOptions(new ReduceDataOptionsBuilder().calcs(['lastNotNull']).values(false).fields(''))
    .graphMode(BigValueGraphMode.Area)
    .colorMode(BigValueColorMode.Value)
    .textMode(BigValueTextMode.Auto);
}

/** Names each value of a stat beside it (several series in one tile), coloured by its thresholds. */
export function namedValues(p: StatPanel): StatPanel {
  return p
    .textMode(BigValueTextMode.ValueAndName)
    .graphMode(BigValueGraphMode.None)
    .colorScheme(colour(dashboard.FieldColorModeId.Thresholds));
}

/** Health tiles: named values on a background of their threshold colour. */
export function healthTiles(p: StatPanel): StatPanel {
  return namedValues(p.colorMode(BigValueColorMode.Background));
}

/**
 * A time series with a table legend (last and max of each series); `body` adds the queries and
 * field options, before the colours (the order the JSON has them).
 */
export function trend(title: string, description: string, body: (p: TimeseriesPanel) => TimeseriesPanel): TimeseriesPanel {
  return body(timeseries(title, description, legendTable(LegendPlacement.Bottom, ['lastNotNull', 'max']))).colorScheme(
    colour(dashboard.FieldColorModeId.PaletteClassic),
  );
}
