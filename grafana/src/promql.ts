/**
 * PromQL checks without a server: Grafana's template variables are replaced by concrete
 * values (they are not PromQL and would parse as errors), then the expression is parsed with
 * Prometheus's own Lezer grammar (@prometheus-io/lezer-promql, the one its UI uses).
 */
import { parser } from '@prometheus-io/lezer-promql';

/** Values that stand in for Grafana's built-in variables when a query is checked or run. */
export interface VariableValues {
  /** Dashboard variables by name, e.g. `{ account: 'DU123' }`. */
  vars?: Record<string, string>;
  /** `$__rate_interval`. @default '1m' */
  rateInterval?: string;
  /** `$__interval`. @default '15s' */
  interval?: string;
  /** Dashboard time range length in seconds (`$__range`, `$__range_s`, `$__range_ms`). @default 3600 */
  rangeSeconds?: number;
}

/**
 * Replaces Grafana variables (`$name`, `${name}`, `${name:fmt}`, `[[name]]`) in `expr`.
 * Unknown dashboard variables become `unknown_variable_<name>`, which parses but matches nothing.
 */
export function substituteVariables(expr: string, values: VariableValues = {}): string {
  const range = values.rangeSeconds ?? 3600;
  const builtins: Record<string, string> = {
    __rate_interval: values.rateInterval ?? '1m',
    __interval: values.interval ?? '15s',
    __interval_ms: String(toMs(values.interval ?? '15s')),
    __range: `${Math.round(range)}s`,
    __range_s: String(Math.round(range)),
    __range_ms: String(Math.round(range * 1000)),
  };
  const lookup = (name: string): string => builtins[name] ?? values.vars?.[name] ?? `unknown_variable_${name}`;
  return expr
    .replace(/\$\{(\w+)(?::[^}]*)?\}/g, (_m, name: string) => lookup(name))
    .replace(/\[\[(\w+)\]\]/g, (_m, name: string) => lookup(name))
    .replace(/\$(\w+)/g, (_m, name: string) => lookup(name));
}

function toMs(duration: string): number {
  const m = /^(\d+)(ms|s|m|h|d)$/.exec(duration);
  if (!m) throw new Error(`not a duration: ${duration}`);
  const unit = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 }[m[2] as 'ms' | 's' | 'm' | 'h' | 'd'];
  return Number(m[1]) * unit;
}

/** A syntax error: where (0-based offset) and the text around it. */
export interface PromqlSyntaxError {
  offset: number;
  near: string;
}

/**
 * Parses an expression (variables already substituted) and returns every syntax error; an
 * empty list means it parses. The Lezer parser recovers from errors, so they are found as
 * error nodes in the tree rather than thrown.
 */
export function promqlSyntaxErrors(expr: string): PromqlSyntaxError[] {
  if (expr.trim() === '') return [{ offset: 0, near: '(empty expression)' }];
  const errors: PromqlSyntaxError[] = [];
  parser.parse(expr).iterate({
    enter(node) {
      if (node.type.isError) errors.push({ offset: node.from, near: expr.slice(Math.max(0, node.from - 10), node.from + 10) });
    },
  });
  return errors;
}

/** Metric names an expression selects (e.g. for checking them against the contract). */
export function metricNames(expr: string): string[] {
  const names = new Set<string>();
  const tree = parser.parse(expr);
  tree.iterate({
    enter(node) {
      if (node.name === 'VectorSelector') {
        const id = node.node.getChild('Identifier');
        if (id) names.add(expr.slice(id.from, id.to));
      }
    },
  });
  return [...names].sort();
}
