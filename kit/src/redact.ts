/**
 * Hides secret values in text. Every kit logger runs each finished line through one, so a
 * secret that slips into an error message from a library still never reaches a log.
 */

/** Replaces every known secret value in text with `<secret>`. Secrets change on reload: call `set` again. */
export class Redactor {
  #values: string[] = [];

  constructor(values: Iterable<string> = []) {
    this.set(values);
  }

  /** Sets the secret values to hide (shorter than 4 characters are ignored: too many false hits). */
  set(values: Iterable<string>): void {
    this.#values = [...new Set([...values].filter((v) => v.length >= 4))].sort((a, b) => b.length - a.length);
  }

  redact(text: string): string {
    let out = text;
    for (const v of this.#values) if (out.includes(v)) out = out.split(v).join('<secret>');
    // Credentials in URLs (user:password@host) are never shown either.
    return out.replace(/(\w+:\/\/)[^/\s:@]+:[^/\s@]+@/g, '$1<secret>@');
  }
}

/** Shows a URL without its secret parts: scheme and host only. */
export function describeUrl(raw: string): string {
  try {
    const u = new URL(raw);
    return `${u.protocol}//${u.host}/…`;
  } catch {
    return '<invalid url>';
  }
}
