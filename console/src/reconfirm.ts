/**
 * A stored secret must not be sent somewhere new by an apply alone: when the keys that say
 * where a channel sends change, the same request must give that channel's secret references
 * again (unchanged or fresh). DESTINATIONS is the one table of "where"; a channel's secrets are
 * read from the schema (its secret-kind keys), so a new secret key is covered without an edit here.
 */
import type { FieldInfo } from './shared/api.js';
import { SECTION } from './shared/api.js';
import { lookup, sectionSchema } from './draft.js';

/** Per channel under notifications: the keys that say where it sends. */
export const DESTINATIONS: Readonly<Record<string, readonly string[]>> = {
  email: ['smtp_host', 'smtp_port'],
  sms: ['api_base_url'],
  slack: ['webhook_url'],
  webhook: ['urls'],
  telegram: ['api_base_url'],
  pagerduty: ['api_base_url'],
  discord: ['webhook_url'],
};

/** `alerts_config.notifications.<channel>.<key>` → the reference given again. */
export type Reconfirmed = Readonly<Record<string, unknown>>;

export interface ReconfirmMissing {
  channel: string;
  /** The full dotted keys to enter again. */
  keys: string[];
}

const same = (a: unknown, b: unknown): boolean =>
  Array.isArray(a) && Array.isArray(b)
    ? a.length === b.length && a.every((x, i) => same(x, b[i]))
    : typeof a === 'bigint' || typeof b === 'bigint'
      ? Number(a) === Number(b)
      : a === b;

/** A Slack or Discord URL written in clear counts by its host; anything else by its value. */
function where(value: unknown): unknown {
  if (typeof value !== 'string' || value.startsWith('env:') || value.startsWith('file:')) return value;
  try {
    return new URL(value).host;
  } catch {
    return value;
  }
}

/**
 * The channels whose destination changes from `before` to `after` and whose secrets (set
 * after the change) are neither changed by the request itself nor given in `reconfirmed`
 * with the value the file will hold.
 */
export function missingReconfirmations(before: unknown, after: unknown, reconfirmed: Reconfirmed = {}): ReconfirmMissing[] {
  const channels = (sectionSchema().fields?.notifications?.fields ?? {}) as Record<string, FieldInfo>;
  const out: ReconfirmMissing[] = [];
  for (const [channel, keys] of Object.entries(DESTINATIONS)) {
    const base = [SECTION, 'notifications', channel];
    const moved = keys.some((k) => !same(where(lookup(before, [...base, k]).value), where(lookup(after, [...base, k]).value)));
    if (!moved) continue;
    const secretKeys = Object.entries(channels[channel]?.fields ?? {})
      .filter(([, f]) => f.kind === 'secret')
      .map(([k]) => k);
    const missing = secretKeys.filter((k) => {
      const now = lookup(after, [...base, k]);
      if (!now.found) return false; // no secret stored: nothing can leak
      const old = lookup(before, [...base, k]);
      if (!old.found || !same(old.value, now.value)) return false; // given fresh in this request
      return reconfirmed[[...base, k].join('.')] !== now.value;
    });
    if (missing.length > 0) out.push({ channel, keys: missing.map((k) => [...base, k].join('.')) });
  }
  return out;
}
