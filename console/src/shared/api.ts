/**
 * The JSON the page's server and its browser code exchange. Shared by both sides (the browser
 * bundle imports it), so it must stay free of Node and DOM APIs.
 */

import type { FieldDescription } from '@traderadmin/config/description';

/** What the form knows about one key: @traderadmin/config's FieldDescription (from its Node-free file). */
export type FieldInfo = FieldDescription;

/** A value in the draft: scalars, lists of scalars, or null for "not set". */
export type DraftValue = string | number | boolean | null | DraftValue[];

/** The [alerts_config] table as the form edits it: nested objects of DraftValues. */
export interface Draft {
  [key: string]: DraftValue | Draft;
}

/**
 * The draft value of a secret written in clear in the file: "leave it as it is". The clear
 * value never leaves the server; the page shows "set (in the file)".
 */
export const KEEP_SECRET = '<secret>';

/** The section of config.toml the page edits. */
export const SECTION = 'alerts_config';

/** One problem, located by its dotted key path (for example `alerts_config.thresholds.max_order_latency_ms`). */
export interface PageProblem {
  path: string;
  message: string;
  hint?: string;
  severity: 'error' | 'warning';
  line?: number;
}

/** GET /api/state */
export interface StateResponse {
  file: string;
  /** sha256 of the file's bytes: send it back as If-Match when applying. */
  sha256: string;
  schema: FieldInfo;
  draft: Draft;
  problems: PageProblem[];
  channels: string[];
  user: string;
  /** Where the alert bridge is, for the test buttons (null when the page cannot reach one). */
  bridge: string | null;
  /** True when the page needs a token (then it offers "Sign out"). */
  auth?: boolean;
}

/** POST /api/validate, /api/diff, /api/apply */
export interface DraftRequest {
  draft: Draft;
  /** Apply only: the secret references of a channel whose destination changes, given again (dotted key → "env:NAME"). */
  reconfirm_secrets?: Record<string, string>;
}

export interface ValidateResponse {
  valid: boolean;
  problems: PageProblem[];
}

/** One changed key, values shown in TOML syntax (secrets only by reference). */
export interface KeyChange {
  path: string;
  before?: string;
  after?: string;
}

export interface DiffResponse extends ValidateResponse {
  changes: KeyChange[];
  /** What the generated Prometheus/Alertmanager configuration changes (thresholds, routes, receivers), as text lines. */
  generated: string[];
}

/** One step of an apply, as the page lists it. */
export interface StepReport {
  name: string;
  ok: boolean;
  detail?: string;
}

export interface ApplyResponse {
  ok: boolean;
  sha256: string;
  steps: StepReport[];
  /** On failure: what failed, in words. */
  error?: string;
  /** On failure: whether config.toml was restored (it always is). */
  rolledBack?: boolean;
  /** On failure: set when putting the previous configuration back into effect failed too. */
  rollbackError?: string;
  rollbackSteps?: StepReport[];
  historyId?: string;
  changes: KeyChange[];
}

/** 409 answer to an apply with a stale If-Match. */
export interface ConflictResponse {
  error: string;
  sha256: string;
  /** What the other change did, relative to what this page loaded. */
  changes: KeyChange[];
}

export interface HistoryItem {
  id: string;
  at: string;
  user: string;
  sha256: string;
  action: 'initial' | 'apply' | 'restore';
  summary: string;
}

/** POST /api/test-alert */
export interface TestAlertRequest {
  channel: string;
  message?: string;
}

/** One recipient's result of a test alert, as the bridge reports it. */
export interface RecipientResult {
  channel: string;
  recipient: string;
  ok: boolean;
  error?: string;
  detail?: string;
}

export interface TestAlertResponse {
  ok: boolean;
  results: RecipientResult[];
  error?: string;
}
