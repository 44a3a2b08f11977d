import { describe, expect, it } from 'vitest';
import { safeEqual } from '../src/token.js';

describe('safeEqual', () => {
  it.each([
    ['s3cret-token', 's3cret-token', true],
    ['s3cret-token', 's3cret-tokeN', false],
    ['s3cret-token', 's3cret', false],
    ['', '', true],
    ['', 'x', false],
    ['ünïcode', 'ünïcode', true],
  ])('%j vs %j → %s', (a, b, equal) => expect(safeEqual(a, b)).toBe(equal));
});
