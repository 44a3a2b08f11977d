import { describe, expect, it } from 'vitest';
import { Registry } from 'prom-client';
import { EventIngest } from '../src/events/ingest.js';
import { DEFAULT_EVENT_LIMITS, parseTimestamp, validateEvents, type ValidationContext } from '../src/events/validate.js';
import { registerComponentMetrics } from '../src/metrics/components.js';

const NOW = Date.parse('2026-01-15T15:00:00Z');
const ctx = (over: Partial<ValidationContext> = {}): ValidationContext => ({
  now: NOW,
  limits: DEFAULT_EVENT_LIMITS,
  knownAccounts: new Set(['DU1234567']),
  latencyAccounts: new Set(),
  components: new Set(),
  sources: new Set(),
  reserved: new Set(),
  ...over,
});

describe('valid events', () => {
  it.each([
    [
      { type: 'order_latency', account: 'DU1234567', stage: 'ack', latency_ms: 350 },
      { type: 'order_latency', account: 'DU1234567', stage: 'ack', latencyMs: 350, at: NOW },
    ],
    [
      { type: 'order_latency', account: 'U999', stage: 'fill', latency_ms: 0 },
      { account: 'U999', stage: 'fill', latencyMs: 0 },
    ],
    [
      { type: 'error', component: 'orchestrator', code: 'ORDER_TIMEOUT', class: 'order_reject' },
      { component: 'orchestrator', code: 'ORDER_TIMEOUT', cls: 'order_reject' },
    ],
    [
      { type: 'error', component: 'scanner', code: 1100 },
      { code: '1100', cls: 'other' },
    ],
    [{ type: 'data_sync', source: 'scanner' }, { source: 'scanner' }],
    [{ type: 'heartbeat', component: 'scanner', timestamp: '2026-01-15T14:59:00Z' }, { at: NOW - 60_000 }],
    [{ type: 'heartbeat', component: 'scanner', timestamp: NOW / 1000 - 30 }, { at: NOW - 30_000 }],
    [{ type: 'heartbeat', component: 'x_1-y', timestamp: '2026-01-15T09:59:00.5-05:00' }, { at: NOW - 59_500 }],
  ])('%j is accepted', (event, expected) => {
    const r = validateEvents(event, ctx());
    expect(r.ok).toBe(true);
    if (r.ok) expect(r.events[0]).toMatchObject(expected);
  });

  it('accepts a batch as {"events": [...]} and as a bare array', () => {
    const events = [
      { type: 'heartbeat', component: 'a' },
      { type: 'data_sync', source: 'b' },
    ];
    expect(validateEvents({ events }, ctx())).toMatchObject({ ok: true, events: [{ type: 'heartbeat' }, { type: 'data_sync' }] });
    expect(validateEvents(events, ctx())).toMatchObject({ ok: true });
  });
});

describe('rejected events name the event and the field', () => {
  it.each([
    [{ type: 'nope' }, 'event.type: unknown type "nope"; one of order_latency, error, data_sync, heartbeat'],
    [{ component: 'x' }, 'event: "type" is required'],
    [{ type: 'order_latency', account: 'DU1234567', stage: 'ack' }, 'event: "latency_ms" is required'],
    [
      { type: 'order_latency', account: 'DU1234567', stage: 'ack', latency_ms: -1 },
      'event.latency_ms: must be a number of milliseconds ≥ 0, got -1',
    ],
    [
      { type: 'order_latency', account: 'DU1234567', stage: 'ack', latency_ms: '350' },
      'event.latency_ms: must be a number of milliseconds ≥ 0, got "350"',
    ],
    [{ type: 'order_latency', account: 'DU1234567', stage: 'submit', latency_ms: 1 }, 'event.stage: "submit" is not one of ack, fill'],
    [
      { type: 'order_latency', account: 'DU-123', stage: 'ack', latency_ms: 1 },
      'event.account: "DU-123" is not a known account nor 1-20 letters and digits',
    ],
    [
      { type: 'order_latency', account: 'DU1234567', stage: 'ack', latencyMs: 1 },
      'event.latencyMs: unknown field for "order_latency"; allowed: type, account, stage, latency_ms, timestamp',
    ],
    [{ type: 'heartbeat', component: 'Scanner' }, 'event.component: "Scanner" must be 1-32 characters of a-z, 0-9, _ or -'],
    [
      { type: 'heartbeat', component: 'a'.repeat(33) },
      `event.component: "${'a'.repeat(33).slice(0, 40)}" must be 1-32 characters of a-z, 0-9, _ or -`,
    ],
    [
      { type: 'data_sync', source: 'scanner', timestamp: '2026-01-15 10:00' },
      'event.timestamp: must be RFC 3339 (e.g. "2026-03-09T14:30:00Z") or epoch seconds, got "2026-01-15 10:00"',
    ],
    [{ type: 'data_sync', source: 'scanner', timestamp: NOW / 1000 + 3600 }, 'event.timestamp: is 3600 s in the future'],
    [
      { type: 'error', component: 'orchestrator', code: 'has space' },
      'event.code: "has space" must be 1-32 characters of letters, digits and _ . : / -',
    ],
    [
      { type: 'error', component: 'orchestrator', code: 'X', class: 'fatal' },
      'event.class: "fatal" is not one of connectivity, order_reject, market_data, warning, other',
    ],
    [[], 'events: the batch is empty'],
    ['hello', 'body: expected an event object, {"events": [...]} or an array, got "hello"'],
    [{ events: {} }, 'events: must be an array, got an object'],
  ])('%j → %s', (body, message) => {
    expect(validateEvents(body, ctx())).toEqual({ ok: false, error: message });
  });

  it('reports the index of the bad event in a batch', () => {
    const r = validateEvents(
      { events: [{ type: 'heartbeat', component: 'a' }, { type: 'heartbeat', component: 'a' }, { type: 'heartbeat' }] },
      ctx(),
    );
    expect(r).toEqual({ ok: false, error: 'events[2]: "component" is required' });
  });
});

describe('bounded cardinality', () => {
  const limits = { ...DEFAULT_EVENT_LIMITS, maxComponents: 2, maxSources: 1, maxAccounts: 1, maxEventsPerRequest: 3 };

  it('refuses a new component beyond the limit, counting new ones inside the batch', () => {
    const r = validateEvents(
      [
        { type: 'heartbeat', component: 'a' },
        { type: 'heartbeat', component: 'b' },
        { type: 'heartbeat', component: 'c' },
      ],
      ctx({ limits }),
    );
    expect(r).toEqual({ ok: false, error: 'events[2].component: too many distinct components (limit 2); "c" is new' });
    expect(validateEvents({ type: 'heartbeat', component: 'a' }, ctx({ limits, components: new Set(['a', 'b']) })).ok).toBe(true);
  });

  it('refuses new sources and unknown accounts beyond their limits, but never a known account', () => {
    expect(validateEvents({ type: 'data_sync', source: 'z' }, ctx({ limits, sources: new Set(['y']) }))).toMatchObject({ ok: false });
    expect(
      validateEvents(
        { type: 'order_latency', account: 'U2', stage: 'ack', latency_ms: 1 },
        ctx({ limits, latencyAccounts: new Set(['U1']) }),
      ),
    ).toMatchObject({
      ok: false,
      error: 'event.account: too many distinct accounts (limit 1); "U2" is new',
    });
    expect(
      validateEvents(
        { type: 'order_latency', account: 'DU1234567', stage: 'ack', latency_ms: 1 },
        ctx({ limits, latencyAccounts: new Set(['U1']) }),
      ).ok,
    ).toBe(true);
  });

  it('caps the number of events per request', () => {
    const r = validateEvents(
      Array.from({ length: 4 }, () => ({ type: 'heartbeat', component: 'a' })),
      ctx({ limits }),
    );
    expect(r).toEqual({ ok: false, error: 'events: 4 events, more than the 3 allowed per request' });
  });
});

describe('timestamps', () => {
  it('absent means now; RFC 3339 with offsets and epoch seconds are exact', () => {
    expect(parseTimestamp(undefined, NOW, 0, 't')).toBe(NOW);
    expect(parseTimestamp('2026-01-15T10:00:00-05:00', NOW, 0, 't')).toBe(NOW);
    expect(parseTimestamp(1_768_489_200, NOW, 0, 't')).toBe(NOW);
  });
});

describe('named components cannot be locked out', () => {
  const setup = (ttl = 60_000) => {
    const clock = { t: NOW, now: () => clock.t };
    const registry = new Registry();
    const components = registerComponentMetrics(registry, 'test');
    const expired: string[] = [];
    const ingest = new EventIngest({
      clock,
      latency: { observe: () => {} } as never,
      errors: { count: () => {} } as never,
      components,
      knownAccounts: () => new Set(),
      reserved: ['orchestrator', 'scanner', 'ibkr'],
      limits: { maxComponents: 3, maxSources: 2, unknownTtlMs: ttl },
      onExpire: (kind, name) => {
        expired.push(`${kind}:${name}`);
        components.forget(kind, name);
      },
    });
    return { clock, registry, ingest, expired };
  };
  const beat = (component: string) => ({ type: 'heartbeat', component });

  it('accepts the components and sources the config names even when junk filled every slot', () => {
    const { ingest } = setup();
    expect(ingest.ingest([beat('junk1'), beat('junk2'), beat('junk3')]).ok).toBe(true);
    expect(ingest.ingest(beat('junk4'))).toEqual({
      ok: false,
      error: 'event.component: too many distinct components (limit 3); "junk4" is new',
    });
    expect(ingest.ingest([beat('scanner'), beat('orchestrator'), { type: 'data_sync', source: 'scanner' }]).ok).toBe(true);
  });

  it('lets an unnamed name expire, removing its series, so its slot is free again', async () => {
    const { clock, registry, ingest, expired } = setup();
    expect(ingest.ingest([beat('junk1'), beat('junk2'), beat('junk3')]).ok).toBe(true);
    clock.t += 30_000;
    expect(ingest.ingest(beat('junk3')).ok).toBe(true); // still heard of: keeps its slot
    clock.t += 31_000;
    expect(ingest.ingest(beat('newcomer')).ok).toBe(true);
    expect(expired).toEqual(['component:junk1', 'component:junk2']);
    const text = await registry.metrics();
    expect(text).not.toContain('junk1');
    expect(text).toContain('component="junk3"');
    expect(text).toContain('component="newcomer"');
  });
});
