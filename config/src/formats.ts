/** Checks for the string formats config.toml uses; each returns a message or undefined. */
import { isIP } from 'node:net';

export const HH_MM = /^([01]\d|2[0-3]):[0-5]\d$/;
export const E164 = /^\+[1-9]\d{6,14}$/;
export const EMAIL = /^[^\s@<>(),;:"]+@[^\s@<>(),;:"]+\.[^\s@<>(),;:"]+$/;

/** "host:port" or "[v6]:port"; the host is a name or an IP, the port 1..65535. */
export function parseListen(value: string): { host: string; port: number } | undefined {
  const m = /^(?:\[([0-9a-fA-F:.]+)\]|([^:\s[\]]+)):(\d{1,5})$/.exec(value);
  if (!m) return undefined;
  const port = Number(m[3]);
  if (port < 1 || port > 65535) return undefined;
  const host = m[1] ?? m[2];
  if (m[1] && isIP(m[1]) !== 6) return undefined;
  return { host, port };
}

export function checkListen(value: string): string | undefined {
  return parseListen(value) ? undefined : `"${value}" is not HOST:PORT (for example "127.0.0.1:9464")`;
}

export function isLoopbackHost(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}

export function checkTimeZone(value: string): string | undefined {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: value });
    return undefined;
  } catch {
    return `"${value}" is not an IANA time zone (for example "America/New_York")`;
  }
}

export function checkHttpUrl(value: string): string | undefined {
  if (value.startsWith('env:') || value.startsWith('file:')) return undefined;
  try {
    const url = new URL(value);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return `"${url.protocol}" URLs are not supported: use http or https`;
    return undefined;
  } catch {
    return 'is not a valid URL';
  }
}

/** Minutes of the day for "HH:MM". */
export function minutesOfDay(hhmm: string): number {
  const [h, m] = hhmm.split(':').map(Number);
  return h * 60 + m;
}
