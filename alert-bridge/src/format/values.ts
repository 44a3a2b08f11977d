/**
 * Finance-aware value formatting shared by every channel: money with currency and sign,
 * percentages, and account ids masked except their last digits (DU1234567 → •••4567).
 */

/** Masks an account id except its last 4 characters: DU1234567 → •••4567. */
export function maskAccount(account: string, bullet = '•'): string {
  if (account.length <= 4) return `${bullet.repeat(3)}${account.slice(-1)}`;
  return `${bullet.repeat(3)}${account.slice(-4)}`;
}

/** IBKR account ids: U (individual), DU (paper), F/DF (advisor), I (institutional), then digits. */
const IB_ACCOUNT = /\b(?:DU|DF|DI|U|F|I)\d{5,10}\b/g;

/**
 * Masks every account id in free text: the given ones (from labels) wherever they appear,
 * and anything shaped like an IBKR account id.
 */
export function maskAccountsInText(text: string, known: Iterable<string> = [], bullet = '•'): string {
  let out = text;
  for (const account of known) if (account.length >= 3) out = out.split(account).join(maskAccount(account, bullet));
  return out.replace(IB_ACCOUNT, (m) => maskAccount(m, bullet));
}

/**
 * Money with currency symbol and explicit sign: formatMoney(-1234.5, 'USD') → "-$1,234.50",
 * formatMoney(250, 'EUR') → "+€250.00". An unknown currency code falls back to "1,234.50 XYZ".
 */
export function formatMoney(amount: number, currency: string, options: { sign?: boolean } = {}): string {
  const signDisplay = options.sign === false ? 'auto' : 'exceptZero';
  try {
    return new Intl.NumberFormat('en-US', { style: 'currency', currency, signDisplay, currencyDisplay: 'narrowSymbol' }).format(amount);
  } catch {
    const body = new Intl.NumberFormat('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2, signDisplay }).format(amount);
    return `${body} ${currency}`;
  }
}

/** A percentage given in percent units: formatPercent(5.234) → "5.23%"; signed on request. */
export function formatPercent(value: number, options: { sign?: boolean; digits?: number } = {}): string {
  const body = new Intl.NumberFormat('en-US', {
    maximumFractionDigits: options.digits ?? 2,
    minimumFractionDigits: 0,
    signDisplay: options.sign ? 'exceptZero' : 'auto',
  }).format(value);
  return `${body}%`;
}

/** A duration in ms for latency: 1250 → "1,250 ms"; 0.5 s given in seconds → use formatMs(s*1000). */
export function formatMs(ms: number): string {
  return `${new Intl.NumberFormat('en-US', { maximumFractionDigits: ms < 10 ? 1 : 0 }).format(ms)} ms`;
}

/**
 * Formats a raw value annotation by its unit: "currency" (with the currency label), "percent",
 * "ms", "seconds" or none. Returns undefined when the value is not a number.
 */
export function formatValue(raw: string | undefined, unit: string | undefined, currency: string | undefined): string | undefined {
  if (raw === undefined || raw.trim() === '') return undefined;
  const n = Number(raw);
  if (!Number.isFinite(n)) return undefined;
  switch (unit) {
    case 'currency':
      return formatMoney(n, currency ?? 'USD');
    case 'percent':
      return formatPercent(n);
    case 'ratio':
      return formatPercent(n * 100);
    case 'ms':
      return formatMs(n);
    case 'seconds':
      return formatMs(n * 1000);
    default:
      return currency ? formatMoney(n, currency) : new Intl.NumberFormat('en-US', { maximumFractionDigits: 4 }).format(n);
  }
}

const CURRENCIES = new Set(Intl.supportedValuesOf('currency'));

/**
 * Rewrites amounts written as "<number> <ISO currency>" (how the generated descriptions print
 * money: `-612.50 USD`) as signed money with its symbol: `-$612.50`. Other text is untouched.
 */
export function formatMoneyInText(text: string): string {
  return text.replace(
    /(?<![\w.$€£¥])([+-]?\d{1,3}(?:,\d{3})*(?:\.\d+)?|[+-]?\d+(?:\.\d+)?) ([A-Z]{3})\b/g,
    (m, num: string, code: string) => {
      if (!CURRENCIES.has(code)) return m;
      const n = Number(num.replace(/,/g, ''));
      return Number.isFinite(n) ? formatMoney(n, code) : m;
    },
  );
}
