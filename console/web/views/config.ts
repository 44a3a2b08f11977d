/**
 * The Configuration view (/config), the alerts configuration page: the form generated from the schema (every key
 * of [alerts_config]), validation as you type, test buttons, apply with a reviewed diff,
 * conflict handling, and the history. Plain DOM; bundled by esbuild when the server starts.
 * This file starts the view and wires its buttons; the parts live in views/config/.
 */
import type { ConflictResponse } from '../../src/shared/api.js';
import { sameValue } from '../../src/shared/form.js';
import { $ } from '../dom.js';
import { applyDraft } from './config/apply.js';
import { load } from './config/load.js';
import { clone, page, say } from './config/page.js';
import { renderForm } from './config/sections.js';
import { validate } from './config/validation.js';

/** Starts the view; called by main.ts when /config is open. */
export function startConfig(): void {
  $('apply').addEventListener('click', () => void applyDraft());
  $('revert').addEventListener('click', () => {
    page.draft = clone(page.base);
    renderForm();
    void validate();
    say('Your changes were discarded.');
  });
  $('conflict-merge').addEventListener('click', () => {
    $<HTMLDialogElement>('conflict').close();
    page.conflict = undefined;
    void load(true);
  });
  $('conflict-discard').addEventListener('click', () => {
    $<HTMLDialogElement>('conflict').close();
    page.conflict = undefined;
    void load(false).then(() => say('Reloaded; your edits were discarded.'));
  });
  window.addEventListener('beforeunload', (event) => {
    if (!sameValue(page.draft, page.base)) event.preventDefault();
  });
  void load(false).catch((error: Error) => say(`The page could not load: ${error.message}`, 'bad'));
  // Exposed for tests and for anyone debugging in the console: the pending conflict, if any.
  (window as unknown as { alertsPage: { conflict: () => ConflictResponse | undefined } }).alertsPage = { conflict: () => page.conflict };
}
