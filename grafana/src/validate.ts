/**
 * Checks a dashboard the way Grafana would reject or break it, without a Grafana server:
 * the JSON schema generated from @grafana/schema, data source uids against provisioning,
 * panel types against core panels and our plugin, and every PromQL expression's syntax.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Ajv, type ValidateFunction } from 'ajv';
import { parse as parseYaml } from 'yaml';
import { EQUITY_PANEL_ID } from './datasources.js';
import { promqlSyntaxErrors, substituteVariables, type VariableValues } from './promql.js';

const here = (rel: string) => fileURLToPath(new URL(rel, import.meta.url));

/**
 * grafana/schema/dashboard.schema.json: generated once from @grafana/schema 12.4.10 by
 * `npm run generate:dashboard-schema -w grafana` and committed, so tests need no generator.
 */
export const DASHBOARD_SCHEMA_FILE = here('../schema/dashboard.schema.json');

/** grafana/provisioning/, mounted at /etc/grafana/provisioning. */
export const PROVISIONING_DIR = here('../provisioning/');

/**
 * Panel types built into Grafana 11/12 (public/app/plugins/panel/*), excluding the removed
 * Angular panels (graph, singlestat, table-old).
 */
export const CORE_PANEL_TYPES: ReadonlySet<string> = new Set([
  'alertlist',
  'annolist',
  'barchart',
  'bargauge',
  'candlestick',
  'canvas',
  'dashlist',
  'datagrid',
  'flamegraph',
  'gauge',
  'geomap',
  'heatmap',
  'histogram',
  'logs',
  'news',
  'nodeGraph',
  'piechart',
  'row',
  'stat',
  'state-timeline',
  'status-history',
  'table',
  'text',
  'timeseries',
  'traces',
  'trend',
  'welcome',
  'xychart',
]);

/** Panel types a dashboard may use: core panels plus our equity curve. */
export const ALLOWED_PANEL_TYPES: ReadonlySet<string> = new Set([...CORE_PANEL_TYPES, EQUITY_PANEL_ID]);

/** Data source uids Grafana resolves itself (annotations and dashboard-source panels). */
const BUILTIN_UIDS = new Set(['-- Grafana --', 'grafana', '-- Dashboard --', '-- Mixed --']);

let schemaValidator: ValidateFunction | undefined;

/** The compiled dashboard schema (compiled once). */
export function dashboardSchemaValidator(): ValidateFunction {
  if (!schemaValidator) {
    const schema = JSON.parse(readFileSync(DASHBOARD_SCHEMA_FILE, 'utf8')) as object;
    // strict: false: the generator emits draft-07 annotations Ajv's strict mode rejects.
    schemaValidator = new Ajv({ allErrors: true, strict: false }).compile(schema);
  }
  return schemaValidator;
}

/** Data source uids in the provisioning files (grafana/provisioning/datasources/*.yml). */
export function provisionedDatasources(dir: string = PROVISIONING_DIR): Array<{ name: string; type: string; uid: string; url: string }> {
  const file = `${dir.replace(/\/$/, '')}/datasources/datasources.yml`;
  const doc = parseYaml(readFileSync(file, 'utf8')) as { datasources?: Array<Record<string, unknown>> };
  return (doc.datasources ?? []).map((d) => ({ name: String(d.name), type: String(d.type), uid: String(d.uid), url: String(d.url) }));
}

/** A PromQL expression found in a dashboard, and where. */
export interface FoundQuery {
  where: string;
  expr: string;
  datasourceUid?: string;
}

type Json = Record<string, unknown>;

/** Every panel, rows' nested panels included. */
export function allPanels(dashboard: Json): Json[] {
  const out: Json[] = [];
  const walk = (panels: unknown) => {
    for (const p of (panels as Json[] | undefined) ?? []) {
      out.push(p);
      walk(p.panels);
    }
  };
  walk(dashboard.panels);
  return out;
}

/**
 * Every PromQL expression of a dashboard: panel targets, annotation queries, and the metric
 * selector inside query variables (`label_values(<selector>, label)` is Grafana's, not PromQL).
 */
export function dashboardQueries(dashboard: Json): FoundQuery[] {
  const found: FoundQuery[] = [];
  for (const panel of allPanels(dashboard)) {
    const panelDs = (panel.datasource as Json | undefined)?.uid as string | undefined;
    for (const t of (panel.targets as Json[] | undefined) ?? []) {
      if (typeof t.expr === 'string') {
        const ds = ((t.datasource as Json | undefined)?.uid as string | undefined) ?? panelDs;
        found.push({ where: `panel "${String(panel.title)}" target ${String(t.refId)}`, expr: t.expr, datasourceUid: ds });
      }
    }
  }
  const annotations = ((dashboard.annotations as Json | undefined)?.list as Json[] | undefined) ?? [];
  for (const a of annotations) {
    if (typeof a.expr === 'string')
      found.push({
        where: `annotation "${String(a.name)}"`,
        expr: a.expr,
        datasourceUid: (a.datasource as Json | undefined)?.uid as string,
      });
  }
  const variables = ((dashboard.templating as Json | undefined)?.list as Json[] | undefined) ?? [];
  for (const v of variables) {
    if (v.type !== 'query') continue;
    const q = typeof v.query === 'string' ? v.query : String((v.query as Json | undefined)?.query ?? '');
    const m = /^\s*(?:label_values|query_result)\((.*)\)\s*$/s.exec(q);
    const inner = m ? (/^label_values/.test(q.trim()) ? m[1].replace(/,\s*\w+\s*$/, '') : m[1]) : q;
    found.push({ where: `variable "${String(v.name)}"`, expr: inner, datasourceUid: (v.datasource as Json | undefined)?.uid as string });
  }
  return found;
}

/** What {@link validateDashboard} checks against. */
export interface ValidateOptions {
  /** Data source uids that exist. @default the provisioned ones */
  datasourceUids?: readonly string[];
  /** @default {@link ALLOWED_PANEL_TYPES} */
  panelTypes?: ReadonlySet<string>;
  /** Values for variables when parsing PromQL. */
  variables?: VariableValues;
}

/** Every problem found in a dashboard, as readable lines; empty when it is fine. */
export function validateDashboard(dashboard: unknown, options: ValidateOptions = {}): string[] {
  const problems: string[] = [];
  const validate = dashboardSchemaValidator();
  if (!validate(dashboard)) {
    for (const e of validate.errors ?? [])
      problems.push(`schema: ${e.instancePath || '/'} ${e.message ?? ''}${e.params ? ` ${JSON.stringify(e.params)}` : ''}`);
  }
  if (typeof dashboard !== 'object' || dashboard === null) return problems;
  const d = dashboard as Json;
  const uids = new Set(options.datasourceUids ?? provisionedDatasources().map((ds) => ds.uid));
  const types = options.panelTypes ?? ALLOWED_PANEL_TYPES;

  const checkDs = (where: string, ds: unknown) => {
    if (ds === undefined || ds === null) return;
    const uid = (ds as Json).uid;
    if (typeof uid !== 'string') problems.push(`${where}: data source without a uid (${JSON.stringify(ds)})`);
    else if (!uids.has(uid) && !BUILTIN_UIDS.has(uid)) problems.push(`${where}: data source uid "${uid}" is not provisioned`);
  };

  const ids = new Set<number>();
  const titles = new Set<string>();
  for (const p of allPanels(d)) {
    const where = `panel "${String(p.title)}"`;
    // Titles name panels in tests, links and the feature steps: keep them unique.
    if (titles.has(String(p.title))) problems.push(`${where}: duplicate title`);
    titles.add(String(p.title));
    if (typeof p.type !== 'string' || !types.has(p.type))
      problems.push(`${where}: panel type "${String(p.type)}" is neither a core panel nor ours`);
    if (typeof p.id !== 'number') problems.push(`${where}: no id`);
    else if (ids.has(p.id)) problems.push(`${where}: duplicate id ${p.id}`);
    else ids.add(p.id);
    checkDs(where, p.datasource);
    const refIds = new Set<string>();
    for (const t of (p.targets as Json[] | undefined) ?? []) {
      if (typeof t.refId !== 'string' || t.refId === '') problems.push(`${where}: target without refId`);
      else if (refIds.has(t.refId)) problems.push(`${where}: duplicate refId ${t.refId}`);
      else refIds.add(t.refId);
      checkDs(`${where} target ${String(t.refId)}`, t.datasource);
    }
  }
  for (const a of ((d.annotations as Json | undefined)?.list as Json[] | undefined) ?? [])
    checkDs(`annotation "${String(a.name)}"`, a.datasource);
  for (const v of ((d.templating as Json | undefined)?.list as Json[] | undefined) ?? [])
    checkDs(`variable "${String(v.name)}"`, v.datasource);

  const variableNames = (((d.templating as Json | undefined)?.list as Json[] | undefined) ?? []).map((v) => String(v.name));
  const vars = Object.fromEntries(variableNames.map((n) => [n, options.variables?.vars?.[n] ?? 'placeholder']));
  for (const q of dashboardQueries(d)) {
    const expr = substituteVariables(q.expr, { ...options.variables, vars });
    if (/unknown_variable_/.test(expr)) problems.push(`${q.where}: uses an undefined variable: ${q.expr}`);
    for (const e of promqlSyntaxErrors(expr)) problems.push(`${q.where}: PromQL syntax error at ${e.offset} near "${e.near}" in: ${expr}`);
  }
  return problems;
}

/** Grafana's URL slug of a dashboard title ("Trading overview" → "trading-overview"). */
export function slugify(title: string): string {
  return title
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
}
