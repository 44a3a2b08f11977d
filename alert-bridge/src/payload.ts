/**
 * Validation of Alertmanager's webhook body (version 4). A body that fails here will never
 * become valid, so the bridge answers 400 and Alertmanager does not retry it.
 */
import type { AmAlert, AmPayload } from './types.js';

export type ParseResult = { ok: true; payload: AmPayload } | { ok: false; problems: string[] };

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isStringMap = (v: unknown): v is Record<string, string> => isRecord(v) && Object.values(v).every((x) => typeof x === 'string');

/** Checks and normalizes a webhook body; lists every problem. */
export function parseWebhook(body: unknown): ParseResult {
  const problems: string[] = [];
  if (!isRecord(body)) return { ok: false, problems: ['body is not a JSON object'] };
  if (body.version !== '4') problems.push(`version must be "4", got ${JSON.stringify(body.version)}`);
  for (const key of ['groupKey', 'receiver'] as const) if (typeof body[key] !== 'string') problems.push(`${key} must be a string`);
  if (body.status !== 'firing' && body.status !== 'resolved') problems.push('status must be "firing" or "resolved"');
  for (const key of ['groupLabels', 'commonLabels', 'commonAnnotations'] as const) {
    if (body[key] !== undefined && !isStringMap(body[key])) problems.push(`${key} must be an object of strings`);
  }
  if (!Array.isArray(body.alerts)) problems.push('alerts must be an array');
  const alerts: AmAlert[] = [];
  if (Array.isArray(body.alerts)) {
    body.alerts.forEach((a: unknown, i) => {
      const where = `alerts[${i}]`;
      if (!isRecord(a)) return problems.push(`${where} is not an object`);
      if (a.status !== 'firing' && a.status !== 'resolved') problems.push(`${where}.status must be "firing" or "resolved"`);
      if (!isStringMap(a.labels)) problems.push(`${where}.labels must be an object of strings`);
      if (a.annotations !== undefined && !isStringMap(a.annotations)) problems.push(`${where}.annotations must be an object of strings`);
      if (typeof a.fingerprint !== 'string' || a.fingerprint === '') problems.push(`${where}.fingerprint must be a non-empty string`);
      if (typeof a.startsAt !== 'string') problems.push(`${where}.startsAt must be a string`);
      alerts.push({
        status: a.status as AmAlert['status'],
        labels: (a.labels ?? {}) as Record<string, string>,
        annotations: (a.annotations ?? {}) as Record<string, string>,
        startsAt: String(a.startsAt ?? ''),
        endsAt: typeof a.endsAt === 'string' ? a.endsAt : '',
        generatorURL: typeof a.generatorURL === 'string' ? a.generatorURL : '',
        fingerprint: String(a.fingerprint ?? ''),
      });
    });
  }
  if (problems.length) return { ok: false, problems };
  return {
    ok: true,
    payload: {
      version: '4',
      groupKey: body.groupKey as string,
      truncatedAlerts: typeof body.truncatedAlerts === 'number' ? body.truncatedAlerts : 0,
      status: body.status as AmPayload['status'],
      receiver: body.receiver as string,
      groupLabels: (body.groupLabels ?? {}) as Record<string, string>,
      commonLabels: (body.commonLabels ?? {}) as Record<string, string>,
      commonAnnotations: (body.commonAnnotations ?? {}) as Record<string, string>,
      externalURL: typeof body.externalURL === 'string' ? body.externalURL : '',
      alerts,
    },
  };
}

const RANK: Record<string, number> = { none: 0, info: 1, warning: 2, critical: 3 };

/** Severity rank; an alert without a severity counts as "warning" so it is not silently dropped. */
export function severityRank(severity: string | undefined): number {
  return RANK[severity ?? 'warning'] ?? RANK.warning;
}

/** Keeps the alerts at or above `minSeverity`; status follows what is left. */
export function filterBySeverity(p: AmPayload, minSeverity: string): AmPayload | undefined {
  const min = RANK[minSeverity] ?? 0;
  const alerts = p.alerts.filter((a) => severityRank(a.labels.severity) >= min);
  if (alerts.length === 0) return undefined;
  return { ...p, alerts, status: alerts.some((a) => a.status === 'firing') ? 'firing' : 'resolved' };
}
