/**
 * A PagerDuty Events API v2 endpoint (POST /v2/enqueue) that checks events as PagerDuty
 * does: a 32-character routing key (this peer's), event_action trigger/acknowledge/resolve,
 * dedup_key ≤ 255, and for a trigger payload.summary 1..1024, payload.source and a severity
 * of critical, error, warning or info. 202 {status: "success", dedup_key}; 400 otherwise. It
 * keeps the incidents: a trigger opens one per dedup key, a resolve closes it.
 */
import { startHttpPeer, type HttpPeer } from './http.js';

export interface PagerDutyEvent {
  routing_key: string;
  event_action: 'trigger' | 'acknowledge' | 'resolve';
  dedup_key?: string;
  payload?: { summary: string; source: string; severity: string; custom_details?: Record<string, unknown> };
}

export interface PagerDutyPeer extends HttpPeer {
  readonly routingKey: string;
  /** Events accepted (202), in order. */
  events(): PagerDutyEvent[];
  /** Incident state by dedup key. */
  incidents(): Map<string, 'triggered' | 'resolved'>;
  lastProblems(): string[];
}

export function pagerdutyEventProblems(e: unknown, routingKey: string): string[] {
  const ev = e as Partial<PagerDutyEvent>;
  if (typeof ev !== 'object' || ev === null) return ['body is not a JSON object'];
  const problems: string[] = [];
  if (typeof ev.routing_key !== 'string' || ev.routing_key.length !== 32) problems.push('routing_key must be 32 characters');
  else if (ev.routing_key !== routingKey) problems.push('Invalid routing key');
  if (!['trigger', 'acknowledge', 'resolve'].includes(ev.event_action as string)) problems.push('event_action is invalid');
  if (ev.dedup_key !== undefined && (typeof ev.dedup_key !== 'string' || ev.dedup_key.length > 255)) problems.push('dedup_key > 255');
  if (ev.event_action !== 'trigger' && !ev.dedup_key) problems.push('dedup_key is required for acknowledge and resolve');
  if (ev.event_action === 'trigger') {
    const p = ev.payload;
    if (!p) problems.push('payload is required');
    else {
      if (typeof p.summary !== 'string' || p.summary.length < 1 || p.summary.length > 1024)
        problems.push('payload.summary must be 1..1024');
      if (typeof p.source !== 'string' || !p.source) problems.push('payload.source is required');
      if (!['critical', 'error', 'warning', 'info'].includes(p.severity)) problems.push('payload.severity is invalid');
    }
  }
  return problems;
}

export async function startPagerDutyPeer(options: { port?: number } = {}): Promise<PagerDutyPeer> {
  const routingKey = 'R0UT1NGKEYpagerdutyTest012345678';
  let problems: string[] = [];
  const accepted: PagerDutyEvent[] = [];
  const incidents = new Map<string, 'triggered' | 'resolved'>();
  let n = 0;
  const peer = await startHttpPeer((req, body) => {
    if (req.method !== 'POST' || req.url !== '/v2/enqueue') return { status: 404, body: '{"status":"not found"}' };
    let event: PagerDutyEvent;
    try {
      event = JSON.parse(body) as PagerDutyEvent;
    } catch {
      return { status: 400, body: JSON.stringify({ status: 'invalid event', message: 'Event object is invalid', errors: ['not JSON'] }) };
    }
    problems = pagerdutyEventProblems(event, routingKey);
    if (problems.length)
      return { status: 400, body: JSON.stringify({ status: 'invalid event', message: 'Event object is invalid', errors: problems }) };
    const key = event.dedup_key ?? `pd-${++n}`;
    accepted.push({ ...event, dedup_key: key });
    if (event.event_action === 'trigger') incidents.set(key, 'triggered');
    else if (event.event_action === 'resolve' && incidents.has(key)) incidents.set(key, 'resolved');
    return {
      status: 202,
      body: JSON.stringify({ status: 'success', message: 'Event processed', dedup_key: key }),
      headers: { 'content-type': 'application/json' },
    };
  }, options);
  return Object.assign(peer, {
    routingKey,
    events: () => accepted,
    incidents: () => incidents,
    lastProblems: () => problems,
  });
}
