/**
 * Freshness of data and components (contract: trader_last_data_sync_timestamp_seconds,
 * trader_component_last_heartbeat_timestamp_seconds) and trader_exporter_build_info.
 */
import { Gauge, type Registry } from 'prom-client';

export const LAST_DATA_SYNC = 'trader_last_data_sync_timestamp_seconds';
export const COMPONENT_HEARTBEAT = 'trader_component_last_heartbeat_timestamp_seconds';
export const BUILD_INFO = 'trader_exporter_build_info';

export interface ComponentMetrics {
  dataSync(source: string, epochMs: number): void;
  heartbeat(component: string, epochMs: number): void;
  lastSync(source?: string): number | undefined;
  /** Sources and components seen so far (the events API bounds how many there can be). */
  readonly sources: ReadonlySet<string>;
  readonly components: ReadonlySet<string>;
  /** Drops an expired name's series (an unnamed component or source that went quiet). */
  forget(kind: 'component' | 'source', name: string): void;
}

export function registerComponentMetrics(registry: Registry, version: string): ComponentMetrics {
  const sync = new Gauge({
    name: LAST_DATA_SYNC,
    help: 'Time of the last successful data sync (source = ibkr for gateway data, or the reporting service).',
    labelNames: ['source'],
    registers: [registry],
  });
  const heartbeat = new Gauge({
    name: COMPONENT_HEARTBEAT,
    help: 'Time of the last heartbeat from an external component; absent until its first heartbeat.',
    labelNames: ['component'],
    registers: [registry],
  });
  new Gauge({ name: BUILD_INFO, help: 'Exporter version; always 1.', labelNames: ['version'], registers: [registry] }).set({ version }, 1);
  const syncs = new Map<string, number>();
  const beats = new Map<string, number>();
  const sources = new Set<string>();
  const components = new Set<string>();
  return {
    sources,
    components,
    dataSync(source, ms) {
      sources.add(source);
      // Never move backwards: a late event with an old timestamp must not age the series.
      if ((syncs.get(source) ?? -Infinity) >= ms) return;
      syncs.set(source, ms);
      sync.set({ source }, ms / 1000);
    },
    heartbeat(component, ms) {
      components.add(component);
      if ((beats.get(component) ?? -Infinity) >= ms) return;
      beats.set(component, ms);
      heartbeat.set({ component }, ms / 1000);
    },
    forget(kind, name) {
      if (kind === 'source') {
        sources.delete(name);
        syncs.delete(name);
        sync.remove({ source: name });
      } else {
        components.delete(name);
        beats.delete(name);
        heartbeat.remove({ component: name });
      }
    },
    lastSync(source) {
      if (source !== undefined) return syncs.get(source);
      let best: number | undefined;
      for (const v of syncs.values()) if (best === undefined || v > best) best = v;
      return best;
    },
  };
}
