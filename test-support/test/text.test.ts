import { describe, expect, it } from 'vitest';
import { assertContainsEach } from '../src/index.js';

describe('assertContainsEach', () => {
  it('passes when every part is in the text, and names every missing one otherwise', () => {
    expect(() => assertContainsEach('Equity $1,000; P&L +$5', ['Equity $1,000', 'P&L +$5'])).not.toThrow();
    expect(() => assertContainsEach('Equity $1,000', ['Equity', 'P&L', 'Trades 4'])).toThrow(
      /lacks 2 of 3 expected part\(s\):\n {2}"P&L"\n {2}"Trades 4"\n--- the text:\nEquity \$1,000$/,
    );
  });
});
