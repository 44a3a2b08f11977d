/**
 * Exact decimal arithmetic on config numbers, so that thresholds reach the generated files
 * exactly as written: 350 ms becomes "0.35", never 0.35000000000000003 (sloth's float noise).
 * A number is read through its shortest round-trip form (String(n)), which is what the
 * user typed for any value TOML can hold, and scaled with BigInt.
 */

interface Dec {
  /** value = digits × 10^-scale */
  digits: bigint;
  scale: number;
}

function parse(n: number | string): Dec {
  const text = typeof n === 'number' ? String(n) : n;
  if (typeof n === 'number' && !Number.isFinite(n)) throw new RangeError(`not a finite number: ${n}`);
  const m = /^(-?)(\d+)(?:\.(\d+))?(?:e([+-]?\d+))?$/i.exec(text);
  if (!m) throw new RangeError(`not a decimal number: ${text}`);
  const [, sign, int, frac = '', exp = '0'] = m;
  let digits = BigInt(`${int}${frac}`);
  let scale = frac.length - Number(exp);
  if (scale < 0) {
    digits *= 10n ** BigInt(-scale);
    scale = 0;
  }
  return { digits: sign === '-' ? -digits : digits, scale };
}

function format({ digits, scale }: Dec): string {
  const negative = digits < 0n;
  let text = (negative ? -digits : digits).toString();
  if (scale > 0) {
    text = text.padStart(scale + 1, '0');
    const int = text.slice(0, -scale);
    const frac = text.slice(-scale).replace(/0+$/, '');
    text = frac ? `${int}.${frac}` : int;
  }
  return negative && text !== '0' ? `-${text}` : text;
}

/** The plain decimal form of a number, without exponent: 1e-7 → "0.0000001". */
export function decimal(n: number | string): string {
  return format(parse(n));
}

/** n × 10^places, exactly: shift(350, -3) = "0.35", shift(5, -2) = "0.05". */
export function shift(n: number | string, places: number): string {
  const d = parse(n);
  if (places >= 0) return format({ digits: d.digits * 10n ** BigInt(places), scale: d.scale });
  return format({ digits: d.digits, scale: d.scale - places });
}

/** a + b, exactly. */
export function add(a: number | string, b: number | string): string {
  const x = parse(a);
  const y = parse(b);
  const scale = Math.max(x.scale, y.scale);
  const digits = x.digits * 10n ** BigInt(scale - x.scale) + y.digits * 10n ** BigInt(scale - y.scale);
  return format({ digits, scale });
}

/** a × b, exactly. */
export function mul(a: number | string, b: number | string): string {
  const x = parse(a);
  const y = parse(b);
  return format({ digits: x.digits * y.digits, scale: x.scale + y.scale });
}

/** A money amount with at least two decimals, and all of them when there are more: -500 → "-500.00". */
export function money(n: number | string): string {
  const text = decimal(n);
  const dot = text.indexOf('.');
  if (dot < 0) return `${text}.00`;
  return text.length - dot - 1 >= 2 ? text : `${text}0`;
}
