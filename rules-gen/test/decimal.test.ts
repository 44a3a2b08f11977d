/** Exact decimals: thresholds and money copied into the YAML as written, without float noise. */
import { describe, expect, it } from 'vitest';
import { decimal, shift } from '../src/index.js';
import { add, money, mul } from '../src/decimal.js';

describe('exact decimals', () => {
  it.each([
    [350, -3, '0.35'],
    [1, -3, '0.001'],
    [5, -2, '0.05'],
    [0.35, -2, '0.0035'],
    [2.5, -2, '0.025'],
    [1e-7, 0, '0.0000001'],
    [-500.1, 0, '-500.1'],
    [123456, -3, '123.456'],
  ])('shift(%s, %s) is %s', (n, places, want) => expect(shift(n, places)).toBe(want));

  it('adds, multiplies and prints money without float noise', () => {
    expect(add(-500, '-0.01')).toBe('-500.01');
    expect(add(0.1, 0.2)).toBe('0.3');
    expect(mul(5.1, -1000)).toBe('-5100');
    expect(money(-500)).toBe('-500.00');
    expect(money(-1234.5)).toBe('-1234.50');
    expect(money(-0.075)).toBe('-0.075');
    expect(decimal(-0)).toBe('0');
  });
});
