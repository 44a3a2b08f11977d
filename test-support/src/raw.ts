/**
 * Raw HTTP requests with any headers, Host included (fetch does not let a caller set Host):
 * what a web page or a DNS-rebinding site makes a browser send, for the security tests.
 */
import http from 'node:http';

export interface RawAnswer {
  status: number;
  body: string;
  headers: http.IncomingHttpHeaders;
}

/** Sends one request to `base` + `path`; `headers.host` replaces the real Host when given. */
export function rawRequest(
  base: string,
  method: string,
  path: string,
  headers: Record<string, string> = {},
  body?: string,
): Promise<RawAnswer> {
  const url = new URL(path, base);
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: url.hostname.replace(/^\[|\]$/g, ''), port: url.port, method, path: url.pathname + url.search, headers, agent: false },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (d: string) => (text += d));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text, headers: res.headers }));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

/** POST with a body. */
export const rawPost = (base: string, path: string, headers: Record<string, string>, body: string) =>
  rawRequest(base, 'POST', path, headers, body);

/** GET. */
export const rawGet = (base: string, path: string, headers: Record<string, string> = {}) => rawRequest(base, 'GET', path, headers);
