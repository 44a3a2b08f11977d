/**
 * Annotation text written once, rendered twice: as a Prometheus (Go text/template) template
 * for rules.yml, and as the exact string Prometheus will produce for given labels and value,
 * for the expected annotations of the generated promtool tests. The formatting functions
 * mirror Prometheus' template functions (web/template and template/template.go).
 */

/** How `$value` is shown. */
export type ValueFormat =
  /** humanizeDuration: 0.35 → "350ms", 65 → "1m 5s" */
  | 'duration'
  /** humanizePercentage: 0.0612 → "6.12%" */
  | 'percent'
  /** printf "%.2f": -512.5 → "-512.50" */
  | 'money'
  /** printf "%.0f": 11 → "11" */
  | 'count';

export type Part = string | { label: string } | { value: ValueFormat } | { optionalLabel: string; before: string; after: string };

export type Text = readonly Part[];

const GO_VALUE: Record<ValueFormat, string> = {
  duration: '{{ $value | humanizeDuration }}',
  percent: '{{ $value | humanizePercentage }}',
  money: '{{ printf "%.2f" $value }}',
  count: '{{ printf "%.0f" $value }}',
};

/**
 * A config value (a URL, a name) as literal text inside a Go template: Prometheus expands every
 * annotation, so a `{{` in runbook_base_url would otherwise run as template code on every alert.
 */
export function literal(s: string): string {
  return s.replaceAll('{{', '{{ "{{" }}');
}

/** What Prometheus renders for a `literal()` (and no other template code). */
export function unliteral(s: string): string {
  return s.replaceAll('{{ "{{" }}', '{{');
}

/** The Go template form, for rules.yml. */
export function toTemplate(text: Text): string {
  return text
    .map((p) => {
      if (typeof p === 'string') return literal(p);
      if ('label' in p) return `{{ $labels.${p.label} }}`;
      if ('value' in p) return GO_VALUE[p.value];
      return `{{ with $labels.${p.optionalLabel} }}${p.before}{{ . }}${p.after}{{ end }}`;
    })
    .join('');
}

/** What Prometheus renders for these labels and value (used for expected test annotations). */
export function render(text: Text, labels: Record<string, string>, value: number): string {
  return text
    .map((p) => {
      if (typeof p === 'string') return p;
      if ('label' in p) return labels[p.label] ?? '';
      if ('value' in p) return formatValue(p.value, value);
      const v = labels[p.optionalLabel];
      return v ? `${p.before}${v}${p.after}` : '';
    })
    .join('');
}

export function formatValue(format: ValueFormat, v: number): string {
  switch (format) {
    case 'duration':
      return humanizeDuration(v);
    case 'percent':
      return `${goG(v * 100, 4)}%`;
    case 'money':
      return goFixed(v, 2);
    case 'count':
      return goFixed(v, 0);
  }
}

/**
 * The exact decimal digits of a double: value = 0.DIGITS × 10^point. Go's fmt rounds this
 * exact value half-to-even, JavaScript's toFixed/toExponential round ties up, so the
 * rounding is done here on the exact digits.
 */
function exactDigits(v: number): { digits: string; point: number } {
  const text = Math.abs(v).toPrecision(100);
  const [mantissa, expText] = text.split('e');
  const [int, frac = ''] = mantissa.split('.');
  let digits = `${int}${frac}`;
  let point = int.length + (expText ? Number(expText) : 0);
  const lead = digits.length - digits.replace(/^0+/, '').length;
  digits = digits.slice(lead).replace(/0+$/, '');
  point -= lead;
  return { digits: digits || '0', point: digits ? point : 1 };
}

/** Rounds exact digits to `keep` digits, half to even; returns digits (trailing zeros trimmed) and point. */
function roundDigits(digits: string, point: number, keep: number): { digits: string; point: number } {
  if (keep >= digits.length) return { digits, point };
  if (keep < 0) return { digits: '0', point: 1 };
  const rest = digits.slice(keep);
  const last = keep > 0 ? Number(digits[keep - 1]) : 0;
  const up = rest[0] > '5' || (rest[0] === '5' && (/[1-9]/.test(rest.slice(1)) || last % 2 === 1));
  let kept = digits.slice(0, keep);
  if (up) {
    const n = (BigInt(kept || '0') + 1n).toString();
    if (n.length > kept.length) point += 1;
    kept = n;
  }
  kept = kept.replace(/0+$/, '');
  return kept ? { digits: kept, point } : { digits: '0', point: 1 };
}

/** Go's fmt %.Nf. */
function goFixed(v: number, decimals: number): string {
  if (!Number.isFinite(v)) return Number.isNaN(v) ? 'NaN' : v > 0 ? '+Inf' : '-Inf';
  const exact = exactDigits(v);
  const { digits, point } = roundDigits(exact.digits, exact.point, exact.point + decimals);
  const padded = digits === '0' ? '0'.repeat(decimals + 1) : digits;
  const p = digits === '0' ? 1 : point;
  const all = p <= 0 ? '0'.repeat(1 - p) + padded : padded;
  const pointAt = p <= 0 ? 1 : p;
  const int = all.slice(0, pointAt).padEnd(pointAt, '0');
  const frac = all.slice(pointAt).padEnd(decimals, '0').slice(0, decimals);
  const sign = v < 0 || Object.is(v, -0) ? '-' : '';
  return `${sign}${int}${decimals > 0 ? `.${frac}` : ''}`;
}

/** Go's fmt %.Ng. */
export function goG(v: number, precision: number): string {
  if (v === 0) return '0';
  if (!Number.isFinite(v)) return Number.isNaN(v) ? 'NaN' : v > 0 ? '+Inf' : '-Inf';
  const sign = v < 0 ? '-' : '';
  const exact = exactDigits(v);
  const { digits, point } = roundDigits(exact.digits, exact.point, precision);
  const exp = point - 1;
  if (exp < -4 || exp >= precision) {
    const mantissa = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
    return `${sign}${mantissa}e${exp < 0 ? '-' : '+'}${String(Math.abs(exp)).padStart(2, '0')}`;
  }
  if (point <= 0) return `${sign}0.${'0'.repeat(-point)}${digits}`;
  if (point >= digits.length) return `${sign}${digits.padEnd(point, '0')}`;
  return `${sign}${digits.slice(0, point)}.${digits.slice(point)}`;
}

/** Prometheus' humanizeDuration. */
export function humanizeDuration(value: number): string {
  let v = value;
  if (v === 0) return '0s';
  if (Math.abs(v) >= 1) {
    let sign = '';
    if (v < 0) {
      sign = '-';
      v = -v;
    }
    const duration = Math.trunc(v);
    const seconds = duration % 60;
    const minutes = Math.trunc(duration / 60) % 60;
    const hours = Math.trunc(duration / 3600) % 24;
    const days = Math.trunc(duration / 86400);
    if (days !== 0) return `${sign}${days}d ${hours}h ${minutes}m ${seconds}s`;
    if (hours !== 0) return `${sign}${hours}h ${minutes}m ${seconds}s`;
    if (minutes !== 0) return `${sign}${minutes}m ${seconds}s`;
    return `${sign}${goG(v, 4)}s`;
  }
  let prefix = '';
  for (const p of ['m', 'u', 'n', 'p', 'f', 'a', 'z', 'y']) {
    if (Math.abs(v) >= 1) break;
    prefix = p;
    v *= 1000;
  }
  return `${goG(v, 4)}${prefix}s`;
}
