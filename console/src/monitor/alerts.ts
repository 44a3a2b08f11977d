/**
 * The Alerts view's data and actions, through Alertmanager's v2 API: what fires now (and
 * whether a silence holds it), the silences, and alerts resolved in the last hours (from the
 * ALERTS series Prometheus keeps, since Alertmanager forgets an alert once it resolves).
 */
import type { AlertsResponse, FiringAlert, Problems, ResolvedAlert, Silence, SilenceRequest } from '../shared/monitor.js';
import { ALERTS_HISTORY_QUERY } from './queries.js';
import { attempt, type PromSeries, type Upstream } from './upstream.js';

interface AmAlert {
  fingerprint: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  startsAt: string;
  status: { state: 'active' | 'suppressed' | 'unprocessed'; silencedBy: string[]; inhibitedBy: string[] };
}

interface AmSilence {
  id: string;
  matchers: Array<{ name: string; value: string; isRegex: boolean; isEqual?: boolean }>;
  startsAt: string;
  endsAt: string;
  createdBy: string;
  comment: string;
  status: { state: Silence['state'] };
}

/** Resolved alerts are looked for this far back. */
const RESOLVED_WINDOW_SECONDS = 6 * 3600;
const RESOLVED_STEP_SECONDS = 30;
export const MAX_SILENCE_MINUTES = 7 * 24 * 60;

export interface AlertsOptions {
  upstream: Upstream;
  alertnames: string[];
  /** @default 5 */
  refreshSeconds?: number;
  clock?: () => number;
}

/** A silence request as typed by the form; undefined with a reason when it is not one. */
export function readSilenceRequest(body: unknown, alertnames: string[]): SilenceRequest | string {
  const b = (body ?? {}) as Record<string, unknown>;
  // Any alert name Prometheus accepts: the generated ones, and rules a user added by hand.
  if (typeof b.alertname !== 'string' || !(alertnames.includes(b.alertname) || /^[A-Za-z_][A-Za-z0-9_]{0,99}$/.test(b.alertname)))
    return 'choose one of the alerts';
  const account = typeof b.account === 'string' && b.account.trim() !== '' ? b.account.trim() : undefined;
  if (account !== undefined && !/^[A-Za-z0-9._-]{1,64}$/.test(account)) return 'an account id is letters, digits, dots, dashes';
  const minutes = Number(b.durationMinutes);
  if (!Number.isFinite(minutes) || minutes < 1 || minutes > MAX_SILENCE_MINUTES) return `a duration of 1 to ${MAX_SILENCE_MINUTES} minutes`;
  const comment = typeof b.comment === 'string' ? b.comment.trim().slice(0, 500) : '';
  if (!comment) return 'say why (Alertmanager needs a comment)';
  return { alertname: b.alertname, account, durationMinutes: Math.round(minutes), comment };
}

export class Alerts {
  private readonly clock: () => number;

  constructor(private readonly options: AlertsOptions) {
    this.clock = options.clock ?? Date.now;
  }

  get alertnames(): string[] {
    return this.options.alertnames;
  }

  async list(accounts: string[]): Promise<AlertsResponse> {
    const { upstream } = this.options;
    const problems: Problems = {};
    const now = Math.floor(this.clock() / 1000);
    const [alerts, silences, history] = await Promise.all([
      attempt<AmAlert[]>(problems, () => upstream.amAlerts<AmAlert[]>(), []),
      attempt<AmSilence[]>(problems, () => upstream.amSilences<AmSilence[]>(), []),
      attempt<PromSeries[]>(
        problems,
        () => upstream.queryRange(ALERTS_HISTORY_QUERY, now - RESOLVED_WINDOW_SECONDS, now, RESOLVED_STEP_SECONDS),
        [],
      ),
    ]);
    const firing: FiringAlert[] = alerts
      .filter((a) => a.labels.alertname !== 'Watchdog')
      .map((a) => ({
        fingerprint: a.fingerprint,
        alertname: a.labels.alertname ?? 'alert',
        severity: a.labels.severity ?? 'none',
        account: a.labels.account,
        startsAt: a.startsAt,
        summary: a.annotations.summary ?? a.labels.alertname ?? '',
        description: a.annotations.description ?? '',
        runbookUrl: a.annotations.runbook_url,
        suppressed: a.status.state === 'suppressed',
        silencedBy: a.status.silencedBy ?? [],
        labels: a.labels,
      }))
      .sort((x, y) => y.startsAt.localeCompare(x.startsAt));
    const firingKeys = new Set(firing.map((a) => `${a.alertname}|${a.account ?? ''}`));
    const resolved: ResolvedAlert[] = [];
    for (const s of history) {
      const values = s.values ?? [];
      if (values.length === 0) continue;
      const key = `${s.metric.alertname}|${s.metric.account ?? ''}`;
      const last = values[values.length - 1][0];
      // Still in the newest sample (or firing in Alertmanager): not resolved.
      if (firingKeys.has(key) || now - last < 2 * RESOLVED_STEP_SECONDS) continue;
      resolved.push({
        alertname: s.metric.alertname,
        severity: s.metric.severity ?? 'none',
        account: s.metric.account,
        startsAt: new Date(values[0][0] * 1000).toISOString(),
        endsAt: new Date(last * 1000).toISOString(),
      });
    }
    resolved.sort((x, y) => y.endsAt.localeCompare(x.endsAt));
    return {
      refreshSeconds: this.options.refreshSeconds ?? 5,
      firing,
      resolved,
      silences: silences
        .filter((s) => s.status.state !== 'expired')
        .map((s) => ({
          id: s.id,
          matchers: s.matchers.map((m) => ({ name: m.name, value: m.value, isRegex: m.isRegex, isEqual: m.isEqual ?? true })),
          startsAt: s.startsAt,
          endsAt: s.endsAt,
          createdBy: s.createdBy,
          comment: s.comment,
          state: s.status.state,
        }))
        .sort((x, y) => x.endsAt.localeCompare(y.endsAt)),
      alertnames: this.options.alertnames,
      accounts,
      problems,
    };
  }

  /** Makes a silence for the alert (and account) from now for the duration; returns its id. */
  async silence(request: SilenceRequest, createdBy: string): Promise<string> {
    const now = this.clock();
    const matchers = [{ name: 'alertname', value: request.alertname, isRegex: false, isEqual: true }];
    if (request.account) matchers.push({ name: 'account', value: request.account, isRegex: false, isEqual: true });
    const answer = await this.options.upstream.amCreateSilence({
      matchers,
      startsAt: new Date(now).toISOString(),
      endsAt: new Date(now + request.durationMinutes * 60_000).toISOString(),
      createdBy,
      comment: request.comment,
    });
    return answer.silenceID;
  }

  expire(id: string): Promise<void> {
    return this.options.upstream.amExpireSilence(id);
  }
}
