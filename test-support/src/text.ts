/** Assertions on text a test got back: CLI output, a rendered message, a metrics page. */

/**
 * Fails unless `text` holds every one of `parts`. The error names all the missing parts at once,
 * then the text, so one run shows everything that differs (a loop of toContain stops at the first).
 */
export function assertContainsEach(text: string, parts: readonly string[]): void {
  const missing = parts.filter((part) => !text.includes(part));
  if (missing.length === 0) return;
  const list = missing.map((part) => `  ${JSON.stringify(part)}`).join('\n');
  throw new Error(`the text lacks ${missing.length} of ${parts.length} expected part(s):\n${list}\n--- the text:\n${text}`);
}
