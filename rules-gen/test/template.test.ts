/** The Prometheus template functions, mirrored in TypeScript for the promtool suites' expected annotations. */
import { describe, expect, it } from 'vitest';
import { goG, humanizeDuration, render, toTemplate } from '../src/template.js';

describe('Prometheus template functions, mirrored for expected test annotations', () => {
  it.each([
    [0.35, '350ms'],
    [1.001, '1.001s'],
    [65, '1m 5s'],
    [3725, '1h 2m 5s'],
    [90061, '1d 1h 1m 1s'],
    [0, '0s'],
  ])('humanizeDuration(%s) = %s', (v, want) => expect(humanizeDuration(v)).toBe(want));

  it('formats %.4g like Go', () => {
    expect(goG(5.001, 4)).toBe('5.001');
    expect(goG(100, 4)).toBe('100');
    expect(goG(12345, 4)).toBe('1.234e+04');
    expect(goG(0.000012, 4)).toBe('1.2e-05');
    expect(goG(0.0001234, 4)).toBe('0.0001234');
    expect(goG(-2.5, 4)).toBe('-2.5');
    expect(goG(0.99995, 4)).toBe('1'); // 0.99995 is 0.9999500000000000055… in binary: rounds up, then trims
  });

  it.each([
    [-500.01, '-500.01'],
    [0.125, '0.12'],
    [0.375, '0.38'],
    [-0.001, '-0.00'],
    [1234567.891, '1234567.89'],
    [0.5, '0.50'],
  ])('printf "%%.2f" %s = %s (half to even on the exact value, like Go)', (v, want) =>
    expect(render([{ value: 'money' }], {}, v)).toBe(want),
  );

  it.each([
    [11, '11'],
    [0.5, '0'],
    [1.5, '2'],
    [2.5, '2'],
  ])('printf "%%.0f" %s = %s', (v, want) => expect(render([{ value: 'count' }], {}, v)).toBe(want));

  it('writes the template and renders the same text', () => {
    const t = [
      'took ',
      { value: 'duration' as const },
      ' on ',
      { label: 'account' },
      { optionalLabel: 'gateway', before: ' via ', after: '' },
      ' {{ x }}',
    ];
    expect(toTemplate(t)).toBe(
      'took {{ $value | humanizeDuration }} on {{ $labels.account }}{{ with $labels.gateway }} via {{ . }}{{ end }} {{ "{{" }} x }}',
    );
    expect(render(t, { account: 'DU1' }, 0.35)).toBe('took 350ms on DU1 {{ x }}');
  });
});
