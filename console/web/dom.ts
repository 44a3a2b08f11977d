/**
 * The few DOM and HTTP helpers every view shares: element creation, lookup by id, and the JSON
 * API call (same origin, JSON bodies only, a 401 reloads to the sign-in page).
 */

export type Child = Node | string | null | undefined | false;

/** Creates an element: h('p', {class: 'x'}, 'text', child). */
export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Record<string, string | boolean | undefined> = {},
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === undefined || value === false) continue;
    el.setAttribute(name, value === true ? '' : value);
  }
  for (const child of children) if (child !== null && child !== undefined && child !== false) el.append(child);
  return el;
}

export const $ = <T extends HTMLElement = HTMLElement>(id: string) => document.getElementById(id) as T;

export async function api<T>(
  method: string,
  url: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: T }> {
  // Every POST is JSON: the server refuses anything else, which no cross-site form can send.
  const payload = method === 'POST' ? JSON.stringify(body ?? {}) : undefined;
  const res = await fetch(url, {
    method,
    headers: payload === undefined ? headers : { 'content-type': 'application/json', ...headers },
    body: payload,
    credentials: 'same-origin',
  });
  if (res.status === 401) {
    location.reload();
    throw new Error('signed out');
  }
  let parsed: unknown;
  try {
    parsed = await res.json();
  } catch {
    parsed = { error: `HTTP ${res.status}` };
  }
  return { status: res.status, body: parsed as T };
}
