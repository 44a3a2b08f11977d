/**
 * Request authentication: `Authorization: Bearer <token>`, or Basic with the token as the
 * password (and `auth_user` as the user when configured). Compared in constant time: both
 * sides are hashed first, so neither content nor length leaks through timing.
 */
import { safeEqual } from '@traderadmin/kit';

/** True when the Authorization header carries the token (or no token is configured). */
export function authorized(header: string | undefined, token: string | undefined, user: string | undefined): boolean {
  if (!token) return true;
  if (!header) return false;
  const space = header.indexOf(' ');
  if (space < 0) return false;
  const scheme = header.slice(0, space).toLowerCase();
  const value = header.slice(space + 1).trim();
  if (scheme === 'bearer') return safeEqual(value, token);
  if (scheme === 'basic') {
    let decoded: string;
    try {
      decoded = Buffer.from(value, 'base64').toString('utf8');
    } catch {
      return false;
    }
    const colon = decoded.indexOf(':');
    if (colon < 0) return false;
    const userOk = user === undefined ? true : safeEqual(decoded.slice(0, colon), user);
    const passOk = safeEqual(decoded.slice(colon + 1), token);
    return userOk && passOk;
  }
  return false;
}
