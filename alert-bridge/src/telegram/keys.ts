/**
 * What a silence button's callback data points at: a button carries only the alert's
 * fingerprint (callback data is at most 64 bytes), the full label set stays here. Bounded:
 * the oldest keys go first; a key that is gone is looked up in Alertmanager instead.
 */
export class SilenceKeys {
  readonly #labels = new Map<string, Record<string, string>>();
  constructor(private readonly max = 5000) {}

  remember(fingerprint: string, labels: Record<string, string>): void {
    this.#labels.delete(fingerprint);
    this.#labels.set(fingerprint, { ...labels });
    while (this.#labels.size > this.max) this.#labels.delete(this.#labels.keys().next().value as string);
  }

  labels(fingerprint: string): Record<string, string> | undefined {
    return this.#labels.get(fingerprint);
  }
}
