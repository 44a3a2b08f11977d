/**
 * Renders the dashboards to the JSON committed under grafana/dashboards/ and writes them
 * atomically. The text is deterministic (same code, same bytes) so a test can detect drift.
 */
import { mkdirSync, readdirSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildDashboards, type DashboardOptions } from './dashboards/index.js';

/** grafana/dashboards/, where provisioning mounts the dashboards from. */
export const DASHBOARDS_DIR = fileURLToPath(new URL('../dashboards/', import.meta.url));

/** file name → JSON text (two-space indent, trailing newline), in a fixed order. */
export function renderDashboards(options: DashboardOptions = {}): ReadonlyMap<string, string> {
  const out = new Map<string, string>();
  for (const [file, model] of buildDashboards(options)) out.set(file, `${JSON.stringify(model, null, 2)}\n`);
  return out;
}

/** Result of {@link writeDashboards}. */
export interface WriteDashboardsResult {
  written: string[];
  /** Stale *.json files in the folder that no dashboard produces (removed). */
  removed: string[];
}

/**
 * Writes every dashboard into `dir` (temporary file, then rename: Grafana polls the folder
 * and must never read half a file) and removes *.json files no dashboard produces.
 */
export function writeDashboards(dir: string = DASHBOARDS_DIR, options: DashboardOptions = {}): WriteDashboardsResult {
  mkdirSync(dir, { recursive: true });
  const rendered = renderDashboards(options);
  const written: string[] = [];
  for (const [file, text] of rendered) {
    const target = path.join(dir, file);
    const tmp = path.join(dir, `.${file}.${process.pid}.tmp`);
    writeFileSync(tmp, text);
    renameSync(tmp, target);
    written.push(target);
  }
  const removed: string[] = [];
  for (const file of readdirSync(dir)) {
    if (file.endsWith('.json') && !rendered.has(file)) {
      const stale = path.join(dir, file);
      // Renamed into a dot file rather than deleted outright: an accidental run is recoverable.
      renameSync(stale, path.join(dir, `.${file}.removed`));
      removed.push(stale);
    }
  }
  return { written, removed };
}
