/**
 * `diff`: what a generation would change, in human terms (thresholds, `for`, alerts,
 * receivers, routes, timers) plus a unified diff, against the files on disk or against
 * what a running Prometheus (/api/v1/rules) and Alertmanager (/api/v2/status) have loaded.
 * Secret files are compared but never shown.
 */
import { MONTHS } from './alertmanager.js';
import type { GeneratedFiles } from './generate.js';
import { unifiedDiff } from './unified.js';
import { yaml } from './yaml.js';

export interface FileDiff {
  path: string;
  status: 'added' | 'removed' | 'changed' | 'unchanged';
  /** Unified diff; omitted for secrets. */
  unified?: string;
}

export interface DiffResult {
  changed: boolean;
  /** Human summary, one change a line. */
  changes: string[];
  files: FileDiff[];
}

interface RuleFacts {
  kind: 'alert' | 'record';
  name: string;
  expr: string;
  for: string;
  severity?: string;
  threshold?: string;
}

type Doc = Record<string, unknown> | undefined;

function safeParse(text: string | undefined): Doc {
  if (text === undefined) return undefined;
  try {
    const v: unknown = yaml().parse(text);
    return v && typeof v === 'object' ? (v as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** The number an alert expression compares against (its last comparison). */
export function thresholdOf(expr: string): string | undefined {
  const m = /(?:>|<|>=|<=|==|!=)\s*(-?\d+(?:\.\d+)?(?:e[+-]?\d+)?)\s*\)?\s*$/i.exec(expr.trim());
  return m?.[1];
}

function normalizeFor(v: unknown): string {
  if (v === undefined || v === null || v === '' || v === '0s' || v === 0) return '0s';
  return String(v);
}

/** Rules of a rules.yml document, keyed "Alert#n" for the n-th rule of that alert. */
export function ruleFacts(doc: Doc): Map<string, RuleFacts> {
  const out = new Map<string, RuleFacts>();
  const groups = (doc?.groups as Array<{ rules?: Array<Record<string, unknown>> }>) ?? [];
  for (const g of groups) {
    for (const r of g.rules ?? []) {
      const kind = r.alert !== undefined ? 'alert' : 'record';
      const name = String(r.alert ?? r.record);
      let n = 0;
      while (out.has(`${name}#${n}`)) n++;
      const expr = String(r.expr ?? '');
      out.set(`${name}#${n}`, {
        kind,
        name,
        expr,
        for: normalizeFor(r.for),
        severity: (r.labels as Record<string, string> | undefined)?.severity,
        threshold: kind === 'alert' ? thresholdOf(expr) : undefined,
      });
    }
  }
  return out;
}

/** Human changes between two rules.yml documents. `exactExpr` false ignores formatting-only expression differences (live mode). */
export function describeRuleChanges(before: Doc, after: Doc, exactExpr = true): string[] {
  const a = ruleFacts(before);
  const b = ruleFacts(after);
  const out: string[] = [];
  for (const [key, next] of b) {
    const prev = a.get(key);
    const label = next.kind === 'alert' ? `alert ${next.name}` : `recording rule ${next.name}`;
    if (!prev) {
      out.push(`+ ${label} added${next.threshold ? ` (threshold ${next.threshold})` : ''}`);
      continue;
    }
    if (prev.threshold !== next.threshold) out.push(`~ ${label}: threshold ${prev.threshold ?? '(none)'} → ${next.threshold ?? '(none)'}`);
    else if (exactExpr && prev.expr.trim() !== next.expr.trim()) out.push(`~ ${label}: expression changed`);
    if (prev.for !== next.for) out.push(`~ ${label}: for ${prev.for} → ${next.for}`);
    if (prev.severity !== next.severity) out.push(`~ ${label}: severity ${prev.severity} → ${next.severity}`);
  }
  for (const [key, prev] of a) if (!b.has(key)) out.push(`- ${prev.kind === 'alert' ? 'alert' : 'recording rule'} ${prev.name} removed`);
  return out;
}

interface RouteFacts {
  timers: Record<string, string>;
  receivers: Set<string>;
  routes: Map<string, string>;
  inhibit: number;
  intervals: Map<string, string>;
}

function amFacts(doc: Doc): RouteFacts {
  const route = (doc?.route as Record<string, unknown>) ?? {};
  const timers: Record<string, string> = {};
  for (const k of ['group_wait', 'group_interval', 'repeat_interval']) if (route[k] !== undefined) timers[k] = String(route[k]);
  const receivers = new Set(((doc?.receivers as Array<{ name: string }>) ?? []).map((r) => r.name));
  const routes = new Map<string, string>();
  for (const r of (route.routes as Array<Record<string, unknown>>) ?? []) {
    const matchers = ((r.matchers as string[]) ?? []).join(', ');
    const children = ((r.routes as Array<Record<string, unknown>>) ?? [])
      .map(
        (c) =>
          `${((c.matchers as string[]) ?? []).join(', ')}${c.active_time_intervals ? ` only in ${String(c.active_time_intervals)}` : ''}${c.mute_time_intervals ? ` muted in ${String(c.mute_time_intervals)}` : ''}`,
      )
      .join('; ');
    const own = ['group_wait', 'group_interval', 'repeat_interval'].filter((k) => r[k] !== undefined).map((k) => `${k} ${String(r[k])}`);
    routes.set(String(r.receiver), [matchers, ...own, children && `(${children})`].filter(Boolean).join(' '));
  }
  const intervals = new Map<string, string>();
  for (const ti of (doc?.time_intervals as Array<{ name: string; time_intervals: unknown }>) ?? [])
    intervals.set(ti.name, stableJson(monthsAsNumbers(ti.time_intervals)));
  return { timers, receivers, routes, inhibit: ((doc?.inhibit_rules as unknown[]) ?? []).length, intervals };
}

/** Alertmanager re-marshals `months: [january]` as `["1"]`: compare both spellings as numbers. */
function monthsAsNumbers(intervals: unknown): unknown {
  if (!Array.isArray(intervals)) return intervals;
  const month = (m: string) => {
    const i = MONTHS.indexOf(m.toLowerCase());
    return i >= 0 ? String(i + 1) : m;
  };
  return intervals.map((ti: Record<string, unknown>) =>
    Array.isArray(ti?.months) ? { ...ti, months: (ti.months as string[]).map((r) => String(r).split(':').map(month).join(':')) } : ti,
  );
}

/** JSON with object keys sorted: Alertmanager re-marshals its config in its own key order. */
function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
  if (value && typeof value === 'object') {
    return `{${Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${stableJson((value as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value);
}

const TIMER_NAMES: Record<string, string> = {
  repeat_interval: 'cooldown (repeat_interval)',
  group_wait: 'group_wait',
  group_interval: 'group_interval',
};

/** Human changes between two alertmanager.yml documents. */
export function describeAlertmanagerChanges(before: Doc, after: Doc): string[] {
  const a = amFacts(before);
  const b = amFacts(after);
  const out: string[] = [];
  for (const [k, v] of Object.entries(b.timers)) if (a.timers[k] !== v) out.push(`~ ${TIMER_NAMES[k]} ${a.timers[k] ?? '(unset)'} → ${v}`);
  for (const r of b.receivers) if (!a.receivers.has(r)) out.push(`+ receiver ${r} added`);
  for (const r of a.receivers) if (!b.receivers.has(r)) out.push(`- receiver ${r} removed`);
  for (const [r, v] of b.routes) {
    const prev = a.routes.get(r);
    if (prev === undefined) out.push(`+ route to ${r}: ${v}`);
    else if (prev !== v) out.push(`~ route to ${r}: ${prev} → ${v}`);
  }
  for (const r of a.routes.keys()) if (!b.routes.has(r)) out.push(`- route to ${r} removed`);
  for (const [n, v] of b.intervals)
    if (a.intervals.get(n) !== v) out.push(`~ time interval ${n}: ${a.intervals.has(n) ? 'changed' : 'added'}`);
  for (const n of a.intervals.keys()) if (!b.intervals.has(n)) out.push(`- time interval ${n} removed`);
  if (a.inhibit !== b.inhibit) out.push(`~ inhibit rules ${a.inhibit} → ${b.inhibit}`);
  return out;
}

function describePrometheusChanges(before: Doc, after: Doc): string[] {
  const out: string[] = [];
  const g = (d: Doc) => (d?.global as Record<string, unknown>) ?? {};
  for (const k of ['scrape_interval', 'evaluation_interval'])
    if (String(g(before)[k]) !== String(g(after)[k])) out.push(`~ ${k} ${String(g(before)[k])} → ${String(g(after)[k])}`);
  const urls = (d: Doc) => new Set(((d?.remote_write as Array<{ url: string }>) ?? []).map((r) => r.url));
  for (const u of urls(after)) if (!urls(before).has(u)) out.push(`+ remote_write ${u}`);
  for (const u of urls(before)) if (!urls(after).has(u)) out.push(`- remote_write ${u}`);
  const targets = (d: Doc) =>
    new Map(
      ((d?.scrape_configs as Array<{ job_name: string; static_configs?: Array<{ targets: string[] }> }>) ?? []).map((s) => [
        s.job_name,
        JSON.stringify(s.static_configs),
      ]),
    );
  for (const [job, t] of targets(after))
    if (targets(before).get(job) !== t) out.push(`~ scrape job ${job}: ${targets(before).has(job) ? 'targets changed' : 'added'}`);
  return out;
}

/** Compares files on disk (path → text, as readGenerated returns) with a new generation. */
export function diffFiles(current: ReadonlyMap<string, string>, next: GeneratedFiles): DiffResult {
  const files: FileDiff[] = [];
  const paths = [...new Set([...current.keys(), ...next.keys()])].sort();
  for (const p of paths) {
    const before = current.get(p);
    const file = next.get(p);
    const after = file?.content;
    const secret = file?.secret ?? p.startsWith('secrets/');
    const status = before === undefined ? 'added' : after === undefined ? 'removed' : before === after ? 'unchanged' : 'changed';
    const entry: FileDiff = { path: p, status };
    if (status !== 'unchanged' && !secret)
      entry.unified = unifiedDiff(
        before ?? '',
        after ?? '',
        before === undefined ? '/dev/null' : `a/${p}`,
        after === undefined ? '/dev/null' : `b/${p}`,
      );
    files.push(entry);
  }
  const doc = (m: ReadonlyMap<string, string>, p: string) => safeParse(m.get(p));
  const nextText = new Map([...next].map(([p, f]) => [p, f.content]));
  const changes = [
    ...describeRuleChanges(doc(current, 'rules.yml'), doc(nextText, 'rules.yml')),
    ...describeAlertmanagerChanges(doc(current, 'alertmanager.yml'), doc(nextText, 'alertmanager.yml')),
    ...describePrometheusChanges(doc(current, 'prometheus.yml'), doc(nextText, 'prometheus.yml')),
  ];
  for (const f of files) {
    if (f.path.startsWith('secrets/') && f.status !== 'unchanged') changes.push(`~ secret ${f.path} ${f.status}`);
    if (f.path.startsWith('tests/') && f.status !== 'unchanged' && f.status !== 'changed')
      changes.push(`${f.status === 'added' ? '+' : '-'} test suite ${f.path} ${f.status}`);
  }
  return { changed: files.some((f) => f.status !== 'unchanged'), changes, files };
}

export interface LiveOptions {
  prometheusUrl: string;
  alertmanagerUrl: string;
  fetch?: typeof fetch;
  timeoutMs?: number;
}

export interface LiveState {
  /** rules.yml-shaped document built from /api/v1/rules. */
  rules: Record<string, unknown>;
  /** alertmanager.yml as Alertmanager reports it (/api/v2/status config.original). */
  alertmanagerYaml: string;
}

async function getJson(f: typeof fetch, url: string, timeoutMs: number): Promise<unknown> {
  let res: Response;
  try {
    res = await f(url, { signal: AbortSignal.timeout(timeoutMs) });
  } catch (error) {
    throw new Error(`cannot reach ${url}: ${(error as Error).message}`);
  }
  if (!res.ok) throw new Error(`${url} answered HTTP ${res.status}`);
  return res.json();
}

/** Reads what the running Prometheus and Alertmanager have loaded. */
export async function fetchLive(options: LiveOptions): Promise<LiveState> {
  const f = options.fetch ?? fetch;
  const t = options.timeoutMs ?? 5000;
  const rules = (await getJson(f, `${options.prometheusUrl.replace(/\/$/, '')}/api/v1/rules`, t)) as {
    data: { groups: Array<{ name: string; rules: Array<Record<string, unknown>> }> };
  };
  const status = (await getJson(f, `${options.alertmanagerUrl.replace(/\/$/, '')}/api/v2/status`, t)) as { config: { original: string } };
  const groups = rules.data.groups.map((g) => ({
    name: g.name,
    rules: g.rules.map((r) =>
      r.type === 'alerting'
        ? { alert: r.name, expr: r.query, for: r.duration ? `${Number(r.duration)}s` : '0s', labels: r.labels }
        : { record: r.name, expr: r.query },
    ),
  }));
  return { rules: { groups }, alertmanagerYaml: status.config.original };
}

function canonicalRules(doc: Doc): string {
  return `${[...ruleFacts(doc).entries()]
    .map(
      ([k, r]) =>
        `${k} ${r.kind}${r.severity ? ` severity=${r.severity}` : ''} for=${durationSeconds(r.for)}s${r.threshold ? ` threshold=${r.threshold}` : ''}`,
    )
    .join('\n')}\n`;
}

function durationSeconds(d: string): number {
  let total = 0;
  for (const m of d.matchAll(/(\d+(?:\.\d+)?)(ms|s|m|h|d|w|y)/g)) {
    const unit = { ms: 0.001, s: 1, m: 60, h: 3600, d: 86400, w: 604800, y: 31536000 }[m[2]] ?? 1;
    total += Number(m[1]) * unit;
  }
  return total;
}

function canonicalAlertmanager(doc: Doc): string {
  const f = amFacts(doc);
  return `${[
    ...Object.entries(f.timers).map(([k, v]) => `${k} ${durationSeconds(v)}s`),
    ...[...f.receivers].sort().map((r) => `receiver ${r}`),
    ...[...f.routes].map(([r, v]) => `route ${r}: ${v}`),
    ...[...f.intervals].map(([n, v]) => `time_interval ${n} ${v}`),
    `inhibit_rules ${f.inhibit}`,
  ].join('\n')}\n`;
}

/** Compares a generation with what is running (expressions compared by threshold: Prometheus reformats them). */
export function diffLive(live: LiveState, next: GeneratedFiles): DiffResult {
  const nextRules = safeParse(next.get('rules.yml')?.content);
  const nextAm = safeParse(next.get('alertmanager.yml')?.content);
  const liveAm = safeParse(live.alertmanagerYaml);
  // Durations: Prometheus reports seconds, Alertmanager re-marshals "15m" as "15m"; compare in seconds.
  const changes = [
    ...describeRuleChanges(normalizeForSeconds(live.rules), normalizeForSeconds(nextRules), false),
    ...describeAlertmanagerChanges(normalizeAm(liveAm), normalizeAm(nextAm)),
  ];
  const files: FileDiff[] = [
    {
      path: 'rules.yml (live)',
      status: 'unchanged',
      unified: unifiedDiff(canonicalRules(live.rules), canonicalRules(nextRules), 'live/rules', 'generated/rules'),
    },
    {
      path: 'alertmanager.yml (live)',
      status: 'unchanged',
      unified: unifiedDiff(canonicalAlertmanager(liveAm), canonicalAlertmanager(nextAm), 'live/alertmanager', 'generated/alertmanager'),
    },
  ];
  for (const f of files) if (f.unified) f.status = 'changed';
  return { changed: changes.length > 0 || files.some((f) => f.status === 'changed'), changes, files };
}

function normalizeForSeconds(doc: Doc): Doc {
  const groups = (doc?.groups as Array<{ name: string; rules: Array<Record<string, unknown>> }>) ?? [];
  return {
    groups: groups.map((g) => ({
      ...g,
      rules: g.rules.map((r) => (r.alert ? { ...r, for: `${durationSeconds(normalizeFor(r.for))}s` } : r)),
    })),
  };
}

function normalizeAm(doc: Doc): Doc {
  if (!doc) return doc;
  const route = { ...((doc.route as Record<string, unknown>) ?? {}) };
  for (const k of ['group_wait', 'group_interval', 'repeat_interval'])
    if (route[k] !== undefined) route[k] = `${durationSeconds(String(route[k]))}s`;
  route.routes = ((route.routes as Array<Record<string, unknown>>) ?? []).map((r) => {
    const c = { ...r };
    for (const k of ['group_wait', 'group_interval', 'repeat_interval']) if (c[k] !== undefined) c[k] = `${durationSeconds(String(c[k]))}s`;
    return c;
  });
  return { ...doc, route };
}

/** Human text: the changes, then the unified diffs. */
export function formatDiff(result: DiffResult): string[] {
  if (!result.changed) return ['no changes'];
  const lines = result.changes.length ? ['changes:', ...result.changes.map((c) => `  ${c}`), ''] : [];
  for (const f of result.files) {
    if (f.status === 'unchanged') continue;
    if (f.unified) lines.push(f.unified.trimEnd());
    else lines.push(`${f.path}: ${f.status} (content not shown)`);
  }
  return lines;
}
