/** Applies validated events to the metrics; validation and application are separate steps. */
import type { ComponentMetrics } from '../metrics/components.js';
import type { ErrorMetrics } from '../metrics/errors.js';
import type { LatencyMetrics } from '../metrics/latency.js';
import { DEFAULT_EVENT_LIMITS, validateEvents, type EventLimits, type ExporterEvent, type ValidationResult } from './validate.js';

export interface IngestDeps {
  clock: { now(): number };
  latency: LatencyMetrics;
  errors: ErrorMetrics;
  components: ComponentMetrics;
  /** Accounts the gateway reported. */
  knownAccounts: () => ReadonlySet<string>;
  /** Components and sources named in the config: always accepted, outside the limits. */
  reserved?: readonly string[];
  limits?: Partial<EventLimits>;
  /** Told when an unnamed component or source expires (its slot is free again). */
  onExpire?: (kind: 'component' | 'source', name: string) => void;
}

/** The events endpoint's logic, without HTTP. */
export class EventIngest {
  private readonly limits: EventLimits;
  private readonly reserved: ReadonlySet<string>;
  /** Unnamed components and sources, with when each was last heard of: junk expires, so it cannot lock a real one out. */
  private readonly unknownComponents = new Map<string, number>();
  private readonly unknownSources = new Map<string, number>();
  private readonly latencyAccounts = new Set<string>();
  /** Events accepted since start (for the bench and logs). */
  accepted = 0;

  constructor(private readonly deps: IngestDeps) {
    this.limits = { ...DEFAULT_EVENT_LIMITS, ...deps.limits };
    this.reserved = new Set(deps.reserved ?? []);
  }

  private expire(now: number): void {
    for (const [kind, seen] of [
      ['component', this.unknownComponents],
      ['source', this.unknownSources],
    ] as const) {
      for (const [name, at] of seen) {
        if (now - at < this.limits.unknownTtlMs) continue;
        seen.delete(name);
        this.deps.onExpire?.(kind, name);
      }
    }
  }

  private touch(kind: 'component' | 'source', name: string): void {
    if (this.reserved.has(name)) return;
    (kind === 'component' ? this.unknownComponents : this.unknownSources).set(name, this.deps.clock.now());
  }

  /** Validates the whole body, then applies every event, or none. */
  ingest(body: unknown): ValidationResult {
    const now = this.deps.clock.now();
    this.expire(now);
    const result = validateEvents(body, {
      now,
      limits: this.limits,
      knownAccounts: this.deps.knownAccounts(),
      latencyAccounts: this.latencyAccounts,
      components: new Set(this.unknownComponents.keys()),
      sources: new Set(this.unknownSources.keys()),
      reserved: this.reserved,
    });
    if (result.ok) for (const e of result.events) this.apply(e);
    return result;
  }

  private apply(e: ExporterEvent): void {
    this.accepted++;
    switch (e.type) {
      case 'order_latency':
        this.latencyAccounts.add(e.account);
        this.deps.latency.observe(e.account, e.stage, e.latencyMs / 1000, e.at);
        break;
      case 'error':
        this.touch('component', e.component);
        this.deps.errors.count(e.component, e.code, e.cls);
        break;
      case 'data_sync':
        this.touch('source', e.source);
        this.deps.components.dataSync(e.source, e.at);
        break;
      case 'heartbeat':
        this.touch('component', e.component);
        this.deps.components.heartbeat(e.component, e.at);
        break;
      default: {
        const never: never = e;
        throw new Error(`unhandled event ${JSON.stringify(never)}`);
      }
    }
  }
}
