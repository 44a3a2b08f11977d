/**
 * POST /api/v1/events: how other services (any language) report to the exporter.
 * The whole batch is validated before anything is applied; a bad event makes the request
 * fail with its index and field, and changes nothing. Label values are checked and their
 * number bounded, so a misbehaving client cannot create unbounded series.
 */
import { ERROR_CLASSES, type ErrorClass } from '../ib/errors.js';
import { STAGES, type Stage } from '../accounting/latency.js';

/** The event types (fixed; see exporter/README.md). */
export type ExporterEvent =
  | { type: 'order_latency'; account: string; stage: Stage; latencyMs: number; at: number }
  | { type: 'error'; component: string; code: string; cls: ErrorClass; at: number }
  | { type: 'data_sync'; source: string; at: number }
  | { type: 'heartbeat'; component: string; at: number };

export type EventType = ExporterEvent['type'];
export const EVENT_TYPES: readonly EventType[] = ['order_latency', 'error', 'data_sync', 'heartbeat'];

/** component / source names: lower-case, 1 to 32 characters. */
export const NAME_PATTERN = /^[a-z0-9_-]{1,32}$/;
/** An error code: up to 32 printable characters without spaces or quotes. */
export const CODE_PATTERN = /^[A-Za-z0-9_.:/-]{1,32}$/;
/** An account id the gateway has not told us about yet. */
export const ACCOUNT_PATTERN = /^[A-Za-z0-9]{1,20}$/;

/** Bounds that keep label cardinality finite. */
export interface EventLimits {
  /** @default 10000 */
  maxEventsPerRequest: number;
  /** Distinct components not named in the config (heartbeats and errors together). @default 64 */
  maxComponents: number;
  /** Distinct data sync sources not named in the config. @default 64 */
  maxSources: number;
  /** An unnamed component or source not heard from for this long gives its slot back. @default 3600000 (one hour) */
  unknownTtlMs: number;
  /** Distinct accounts in latency series. @default 100 */
  maxAccounts: number;
  /** Largest latency accepted, ms. @default 86400000 (one day) */
  maxLatencyMs: number;
  /** How far in the future a timestamp may be (clock skew), ms. @default 300000 */
  maxFutureMs: number;
}

export const DEFAULT_EVENT_LIMITS: EventLimits = {
  maxEventsPerRequest: 10_000,
  maxComponents: 64,
  maxSources: 64,
  unknownTtlMs: 3_600_000,
  maxAccounts: 100,
  maxLatencyMs: 86_400_000,
  maxFutureMs: 300_000,
};

/** What the validator needs to know about the present state. */
export interface ValidationContext {
  now: number;
  limits: EventLimits;
  /** Accounts the gateway reported (always accepted). */
  knownAccounts: ReadonlySet<string>;
  /** Accounts that already have latency series. */
  latencyAccounts: ReadonlySet<string>;
  /** Unnamed components and sources seen recently: these count against the limits. */
  components: ReadonlySet<string>;
  sources: ReadonlySet<string>;
  /** Names the config gives (heartbeat_components, ibkr, exporter): always accepted, never counted. */
  reserved: ReadonlySet<string>;
}

export type ValidationResult = { ok: true; events: ExporterEvent[] } | { ok: false; error: string };

const ALLOWED_FIELDS: Record<EventType, readonly string[]> = {
  order_latency: ['type', 'account', 'stage', 'latency_ms', 'timestamp'],
  error: ['type', 'component', 'code', 'class', 'timestamp'],
  data_sync: ['type', 'source', 'timestamp'],
  heartbeat: ['type', 'component', 'timestamp'],
};

class Invalid extends Error {}

function fail(where: string, message: string): never {
  throw new Invalid(`${where}: ${message}`);
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string') return `"${value.length > 40 ? `${value.slice(0, 40)}…` : value}"`;
  if (typeof value === 'object') return 'an object';
  return String(value);
}

function str(e: Record<string, unknown>, field: string, where: string): string {
  const v = e[field];
  if (v === undefined) fail(where, `"${field}" is required`);
  if (typeof v !== 'string') fail(`${where}.${field}`, `must be a string, got ${describe(v)}`);
  return v;
}

/**
 * Parses "timestamp": RFC 3339 text or epoch seconds. Absent means now.
 * Exported for tests.
 */
export function parseTimestamp(value: unknown, now: number, maxFutureMs: number, where: string): number {
  if (value === undefined) return now;
  let ms: number;
  if (typeof value === 'number') {
    if (!Number.isFinite(value) || value < 0) fail(where, `must be epoch seconds, got ${describe(value)}`);
    ms = value * 1000;
  } else if (typeof value === 'string') {
    // RFC 3339: a date, "T" or space, a time, and a zone (Z or ±hh:mm) — no zone-less local times.
    if (!/^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/.test(value))
      fail(where, `must be RFC 3339 (e.g. "2026-03-09T14:30:00Z") or epoch seconds, got ${describe(value)}`);
    ms = Date.parse(value.replace(' ', 'T'));
    if (Number.isNaN(ms)) fail(where, `is not a valid date: ${describe(value)}`);
  } else {
    fail(where, `must be RFC 3339 text or epoch seconds, got ${describe(value)}`);
  }
  if (ms > now + maxFutureMs) fail(where, `is ${Math.round((ms - now) / 1000)} s in the future`);
  return ms;
}

/** Validates a request body: one event, `{"events": [...]}` or a JSON array. */
export function validateEvents(body: unknown, ctx: ValidationContext): ValidationResult {
  let list: unknown[];
  let prefix: string;
  if (Array.isArray(body)) {
    list = body;
    prefix = 'events';
  } else if (body !== null && typeof body === 'object' && 'events' in body) {
    const keys = Object.keys(body);
    if (keys.length !== 1)
      return { ok: false, error: `body: a batch has only "events", found ${keys.filter((k) => k !== 'events').join(', ')}` };
    const events = (body as { events: unknown }).events;
    if (!Array.isArray(events)) return { ok: false, error: `events: must be an array, got ${describe(events)}` };
    list = events;
    prefix = 'events';
  } else if (body !== null && typeof body === 'object') {
    list = [body];
    prefix = '';
  } else {
    return { ok: false, error: `body: expected an event object, {"events": [...]} or an array, got ${describe(body)}` };
  }
  if (list.length === 0) return { ok: false, error: 'events: the batch is empty' };
  if (list.length > ctx.limits.maxEventsPerRequest)
    return { ok: false, error: `events: ${list.length} events, more than the ${ctx.limits.maxEventsPerRequest} allowed per request` };

  const newComponents = new Set<string>();
  const newSources = new Set<string>();
  const newAccounts = new Set<string>();
  const out: ExporterEvent[] = [];
  try {
    list.forEach((raw, i) => {
      const where = prefix ? `${prefix}[${i}]` : 'event';
      if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) fail(where, `must be an object, got ${describe(raw)}`);
      const e = raw as Record<string, unknown>;
      const type = str(e, 'type', where);
      if (!(EVENT_TYPES as readonly string[]).includes(type))
        fail(`${where}.type`, `unknown type ${describe(type)}; one of ${EVENT_TYPES.join(', ')}`);
      const t = type as EventType;
      for (const key of Object.keys(e)) {
        if (!ALLOWED_FIELDS[t].includes(key)) fail(`${where}.${key}`, `unknown field for "${t}"; allowed: ${ALLOWED_FIELDS[t].join(', ')}`);
      }
      const at = parseTimestamp(e.timestamp, ctx.now, ctx.limits.maxFutureMs, `${where}.timestamp`);
      const name = (field: 'component' | 'source') => {
        const v = str(e, field, where);
        if (!NAME_PATTERN.test(v)) fail(`${where}.${field}`, `${describe(v)} must be 1-32 characters of a-z, 0-9, _ or -`);
        const [known, fresh, max] =
          field === 'source' ? [ctx.sources, newSources, ctx.limits.maxSources] : [ctx.components, newComponents, ctx.limits.maxComponents];
        if (!ctx.reserved.has(v) && !known.has(v) && !fresh.has(v)) {
          if (known.size + fresh.size >= max)
            fail(`${where}.${field}`, `too many distinct ${field}s (limit ${max}); ${describe(v)} is new`);
          fresh.add(v);
        }
        return v;
      };
      switch (t) {
        case 'order_latency': {
          const account = str(e, 'account', where);
          if (!ctx.knownAccounts.has(account) && !ACCOUNT_PATTERN.test(account))
            fail(`${where}.account`, `${describe(account)} is not a known account nor 1-20 letters and digits`);
          if (!ctx.latencyAccounts.has(account) && !newAccounts.has(account) && !ctx.knownAccounts.has(account)) {
            if (ctx.latencyAccounts.size + newAccounts.size >= ctx.limits.maxAccounts)
              fail(`${where}.account`, `too many distinct accounts (limit ${ctx.limits.maxAccounts}); ${describe(account)} is new`);
            newAccounts.add(account);
          }
          const stage = str(e, 'stage', where);
          if (!(STAGES as readonly string[]).includes(stage))
            fail(`${where}.stage`, `${describe(stage)} is not one of ${STAGES.join(', ')}`);
          const ms = e.latency_ms;
          if (ms === undefined) fail(where, '"latency_ms" is required');
          if (typeof ms !== 'number' || !Number.isFinite(ms) || ms < 0)
            fail(`${where}.latency_ms`, `must be a number of milliseconds ≥ 0, got ${describe(ms)}`);
          if (ms > ctx.limits.maxLatencyMs) fail(`${where}.latency_ms`, `${ms} is more than ${ctx.limits.maxLatencyMs} ms`);
          out.push({ type: t, account, stage: stage as Stage, latencyMs: ms, at });
          break;
        }
        case 'error': {
          const component = name('component');
          let code = e.code;
          if (typeof code === 'number' && Number.isInteger(code)) code = String(code);
          if (code === undefined) fail(where, '"code" is required');
          if (typeof code !== 'string' || !CODE_PATTERN.test(code))
            fail(`${where}.code`, `${describe(code)} must be 1-32 characters of letters, digits and _ . : / -`);
          const cls = e.class ?? 'other';
          if (typeof cls !== 'string' || !(ERROR_CLASSES as readonly string[]).includes(cls))
            fail(`${where}.class`, `${describe(cls)} is not one of ${ERROR_CLASSES.join(', ')}`);
          out.push({ type: t, component, code: code as string, cls: cls as ErrorClass, at });
          break;
        }
        case 'data_sync':
          out.push({ type: t, source: name('source'), at });
          break;
        case 'heartbeat':
          out.push({ type: t, component: name('component'), at });
          break;
        default: {
          const never: never = t;
          throw new Error(`unhandled event type ${String(never)}`);
        }
      }
    });
  } catch (error) {
    if (error instanceof Invalid) return { ok: false, error: error.message };
    throw error;
  }
  return { ok: true, events: out };
}
