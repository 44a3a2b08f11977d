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
  limits?: Partial<EventLimits>;
}

/** The events endpoint's logic, without HTTP. */
export class EventIngest {
  private readonly limits: EventLimits;
  private readonly componentNames = new Set<string>();
  private readonly latencyAccounts = new Set<string>();
  /** Events accepted since start (for the bench and logs). */
  accepted = 0;

  constructor(private readonly deps: IngestDeps) {
    this.limits = { ...DEFAULT_EVENT_LIMITS, ...deps.limits };
  }

  /** Validates the whole body, then applies every event, or none. */
  ingest(body: unknown): ValidationResult {
    const result = validateEvents(body, {
      now: this.deps.clock.now(),
      limits: this.limits,
      knownAccounts: this.deps.knownAccounts(),
      latencyAccounts: this.latencyAccounts,
      components: this.componentNames,
      sources: this.deps.components.sources,
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
        this.componentNames.add(e.component);
        this.deps.errors.count(e.component, e.code, e.cls);
        break;
      case 'data_sync':
        this.deps.components.dataSync(e.source, e.at);
        break;
      case 'heartbeat':
        this.componentNames.add(e.component);
        this.deps.components.heartbeat(e.component, e.at);
        break;
      default: {
        const never: never = e;
        throw new Error(`unhandled event ${JSON.stringify(never)}`);
      }
    }
  }
}
