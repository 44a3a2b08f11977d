import { hostname } from 'node:os';
import { describe, expect, it } from 'vitest';
import { hostOf, ownHosts, refusal } from '../src/index.js';

const loopback = ownHosts({ listenHost: '127.0.0.1' });
const req = (method: string, headers: Record<string, string>, url = '/api/v1/silences') => ({ method, headers, url });

describe('the shared request guard', () => {
  it.each([
    ['a rebinding site name, for reads too', req('GET', { host: 'evil.example:9095' }), 421],
    ['a rebinding site name with a write', req('POST', { host: 'evil.example', 'content-type': 'application/json' }), 421],
    ['no Host at all', req('GET', {}), 421],
    ['a text/plain POST (no preflight)', req('POST', { host: '127.0.0.1:9095', 'content-type': 'text/plain' }), 415],
    ['a form POST', req('POST', { host: '127.0.0.1:9095', 'content-type': 'application/x-www-form-urlencoded' }), 415],
    ['a POST without a content type', req('POST', { host: '127.0.0.1:9095' }), 415],
    [
      'a JSON POST from another origin',
      req('POST', { host: '127.0.0.1:9095', origin: 'http://evil.example', 'content-type': 'application/json' }),
      403,
    ],
    [
      'a JSON POST from a sandboxed frame',
      req('POST', { host: '127.0.0.1:9095', origin: 'null', 'content-type': 'application/json' }),
      403,
    ],
    ['a DELETE from another origin', req('DELETE', { host: 'localhost:9095', origin: 'http://localhost:3000' }), 403],
  ])('refuses %s', (_name, request, status) => {
    expect(refusal(request, loopback)?.status).toBe(status);
  });

  it.each([
    ['a read on 127.0.0.1', req('GET', { host: '127.0.0.1:9095' })],
    ['a read on localhost, any case', req('GET', { host: 'LocalHost:9095' })],
    ['a read on [::1]', req('GET', { host: '[::1]:9095' })],
    ['a read on another 127/8 address', req('GET', { host: '127.0.0.2:9095' })],
    ['a JSON POST from a script (no Origin)', req('POST', { host: '127.0.0.1:9095', 'content-type': 'application/json; charset=utf-8' })],
    [
      'a JSON POST from the service itself',
      req('POST', { host: '127.0.0.1:9095', origin: 'http://127.0.0.1:9095', 'content-type': 'application/json' }),
    ],
    ['a DELETE without a body', req('DELETE', { host: '127.0.0.1:9095' })],
  ])('lets through %s', (_name, request) => {
    expect(refusal(request, loopback)).toBeUndefined();
  });

  it('takes a form body only on the paths named for it, and still checks its Origin', () => {
    const form = { host: '127.0.0.1:9096', 'content-type': 'application/x-www-form-urlencoded' };
    expect(refusal(req('POST', form, '/login'), loopback, ['/login'])).toBeUndefined();
    expect(refusal(req('POST', form, '/api/apply'), loopback, ['/login'])?.status).toBe(415);
    expect(refusal(req('POST', { ...form, origin: 'http://evil.example' }, '/login'), loopback, ['/login'])?.status).toBe(403);
  });

  it('answers to its own listen address, the extra names and, on a wildcard, this machine', () => {
    expect(ownHosts({ listenHost: '10.1.2.3' }).has('10.1.2.3')).toBe(true);
    expect(ownHosts({ listenHost: '127.0.0.1', hosts: ['Monitor.Example.org:443'] }).has('monitor.example.org')).toBe(true);
    expect(ownHosts({ listenHost: '0.0.0.0' }).has(hostname().toLowerCase())).toBe(true);
    expect(ownHosts({ listenHost: '127.0.0.1' }).has(hostname().toLowerCase())).toBe(false);
    expect([hostOf('[::1]:80'), hostOf('a.b:1'), hostOf('a.b')]).toEqual(['::1', 'a.b', 'a.b']);
  });
});
