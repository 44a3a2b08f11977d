/** How the console writes numbers: money in the account's currency with its sign, percents, times. */

const moneyFormats = new Map<string, Intl.NumberFormat>();

/** "+$1,234.50", "−€12.00"; a plain signed number when the currency is unknown. */
export function money(value: number | null | undefined, currency: string | null | undefined, signed = false): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '—';
  const key = `${currency ?? ''}|${signed}`;
  let f = moneyFormats.get(key);
  if (!f) {
    f = currency
      ? new Intl.NumberFormat(undefined, { style: 'currency', currency, signDisplay: signed ? 'exceptZero' : 'auto' })
      : new Intl.NumberFormat(undefined, {
          minimumFractionDigits: 2,
          maximumFractionDigits: 2,
          signDisplay: signed ? 'exceptZero' : 'auto',
        });
    moneyFormats.set(key, f);
  }
  return f.format(value);
}

/** A ratio as a percent: 0.0523 → "5.23 %". */
export function percent(ratio: number | null | undefined, digits = 2): string {
  if (ratio === null || ratio === undefined || !Number.isFinite(ratio)) return '—';
  return `${(ratio * 100).toFixed(digits)} %`;
}

export function number(value: number | null | undefined, digits = 0): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '—';
  return value.toLocaleString(undefined, { maximumFractionDigits: digits, minimumFractionDigits: digits });
}

export function ms(value: number | null | undefined): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '—';
  return `${Math.round(value).toLocaleString()} ms`;
}

/** "12 s ago", "5 min ago", "3 h ago", or "never". */
export function ago(iso: string | null | undefined, now = Date.now()): string {
  if (!iso) return 'never';
  const s = Math.max(0, Math.round((now - Date.parse(iso)) / 1000));
  if (s < 90) return `${s} s ago`;
  if (s < 90 * 60) return `${Math.round(s / 60)} min ago`;
  if (s < 48 * 3600) return `${Math.round(s / 3600)} h ago`;
  return `${Math.round(s / 86_400)} d ago`;
}

/** Local date and time, to the second. */
export function when(iso: string): string {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : d.toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'medium' });
}

/** "positive", "negative" or "" — the class that colours a signed amount (from the theme). */
export function signClass(value: number | null | undefined): string {
  if (value === null || value === undefined || !Number.isFinite(value) || value === 0) return '';
  return value > 0 ? 'positive' : 'negative';
}
