/**
 * Constant-time comparison of a token (or any secret) with what a request brought. Both sides
 * are hashed first, so neither their content nor their length leaks through timing.
 */
import { createHash, timingSafeEqual } from 'node:crypto';

const digest = (s: string) => createHash('sha256').update(s, 'utf8').digest();

/** True when the two strings are equal, in time that does not depend on where they differ. */
export function safeEqual(a: string, b: string): boolean {
  return timingSafeEqual(digest(a), digest(b));
}
