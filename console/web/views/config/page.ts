/**
 * The Configuration view's shared state: the server's last answer, the draft as loaded and as
 * edited, the problem slot of every field, and the status line every part writes to.
 */
import type { ConflictResponse, Draft, StateResponse } from '../../../src/shared/api.js';
import { $, type Child } from '../../dom.js';

export const page = {
  /** The last GET /api/state; set by the first load, before anything renders. */
  state: undefined as unknown as StateResponse,
  /** The draft as loaded (what the file holds): dirty detection and merges compare against it. */
  base: {} as Draft,
  /** The draft being edited. */
  draft: {} as Draft,
  /** The conflict the dialog shows, while it is open. */
  conflict: undefined as ConflictResponse | undefined,
};

/** Problem slots by key path (`alerts_config.x.y`, list rows `...[i]`). */
export const slots = new Map<string, { problem: HTMLElement; inputs: HTMLElement[] }>();

export const clone = <T>(v: T): T => JSON.parse(JSON.stringify(v)) as T;

/** Writes the status line under the title. */
export function say(message: Child | Child[], kind: 'ok' | 'bad' | 'info' = 'info'): void {
  const status = $('status');
  status.className = `status ${kind}`;
  status.replaceChildren(...(Array.isArray(message) ? message : [message]).filter((c): c is Node | string => Boolean(c)));
}
