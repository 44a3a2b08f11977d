import { checkConfigText } from '@traderadmin/config';
import { freePort } from '@traderadmin/test-support';
import { request } from 'node:http';
import { readFileSync, rmSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { startAlertsPage, type RunningPage } from '../src/server.js';
import { sha256 } from '../src/history.js';
import type { StateResponse, TestAlertResponse } from '../src/shared/api.js';
import { RecordingDeployer, configFolder, email } from './helpers.js';
import type { TomlEdit } from '../src/tomlPatch.js';

const running: Array<{ page: RunningPage; dir: string }> = [];
afterEach(async () => {
  for (const r of running.splice(0)) {
    await r.page.close();
    rmSync(r.dir, { recursive: true, force: true });
  }
});

async function start(edits: TomlEdit[] = [], env: NodeJS.ProcessEnv = {}) {
  const f = configFolder(edits);
  const deployer = new RecordingDeployer();
  // A bridge address nothing listens on.
  const bridgeUrl = `http://127.0.0.1:${await freePort()}`;
  const page = await startAlertsPage({ configFile: f.file, listen: '127.0.0.1:0', env, deployer, bridgeUrl });
  running.push({ page, dir: f.dir });
  return { ...f, page, deployer, bridgeUrl, url: page.url.replace(/\/$/, '') };
}

function rawGet(url: string, headers: Record<string, string>): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { headers }, (res) => {
      let body = '';
      res.on('data', (d) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

const json = (body: unknown) => ({ method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

describe('the page on loopback without a token', () => {
  it('serves the page, its script and its state', async () => {
    const s = await start();
    const html = await (await fetch(`${s.url}/config`)).text();
    expect(html).toContain('<h1>Alerts configuration</h1>');
    const script = await fetch(`${s.url}/app.js`);
    expect(script.headers.get('content-type')).toMatch(/javascript/);
    expect((await script.text()).length).toBeGreaterThan(1000);
    const state = (await (await fetch(`${s.url}/api/state`)).json()) as StateResponse;
    expect(state.sha256).toBe(sha256(readFileSync(s.file)));
    expect(state.user).toBe('local user');
    expect(state.schema.fields?.thresholds.fields?.max_order_latency_ms).toMatchObject({
      kind: 'integer',
      unit: 'ms',
      min: 1,
      max: 600000,
    });
  });

  it('refuses another Host name (DNS rebinding) and cross-site writes', async () => {
    const s = await start();
    expect((await rawGet(`${s.url}/api/state`, { host: 'evil.example:80' })).status).toBe(421);
    const res = await fetch(`${s.url}/api/validate`, {
      ...json({ draft: {} }),
      headers: { 'content-type': 'application/json', origin: 'http://evil.example' },
    });
    expect(res.status).toBe(403);
    // A form post (no JSON), as another site could make a browser send, does nothing.
    const form = await fetch(`${s.url}/api/test-alert`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: 'channel=all' });
    expect(form.status).toBe(415);
  });

  it('takes the user name from a proxy header for the history', async () => {
    const s = await start();
    const state = (await (await fetch(`${s.url}/api/state`)).json()) as StateResponse;
    const draft = structuredClone(state.draft);
    (draft.thresholds as Record<string, unknown>).max_order_latency_ms = 400;
    const res = await fetch(`${s.url}/api/apply`, {
      ...json({ draft }),
      headers: { 'content-type': 'application/json', 'if-match': `"${state.sha256}"`, 'x-remote-user': 'dana' },
    });
    expect(res.status).toBe(200);
    const history = (await (await fetch(`${s.url}/api/history`)).json()) as { items: Array<{ user: string; action: string }> };
    expect(history.items[0]).toMatchObject({ user: 'dana', action: 'apply' });
  });

  it('answers 409 over HTTP to an apply based on an old version, and 400 to an invalid one', async () => {
    const s = await start();
    const state = (await (await fetch(`${s.url}/api/state`)).json()) as StateResponse;
    const stale = await fetch(`${s.url}/api/apply`, {
      ...json({ draft: state.draft }),
      headers: { 'content-type': 'application/json', 'if-match': '"0000"' },
    });
    expect(stale.status).toBe(409);
    const draft = structuredClone(state.draft);
    (draft.thresholds as Record<string, unknown>).max_order_latency_ms = 0;
    const before = readFileSync(s.file, 'utf8');
    const bad = await fetch(`${s.url}/api/apply`, {
      ...json({ draft }),
      headers: { 'content-type': 'application/json', 'if-match': state.sha256 },
    });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { problems: Array<{ path: string }> }).problems[0].path).toBe(
      'alerts_config.thresholds.max_order_latency_ms',
    );
    expect(readFileSync(s.file, 'utf8')).toBe(before);
  });

  it('says so when the alert bridge cannot be reached', async () => {
    const s = await start();
    const res = (await (await fetch(`${s.url}/api/test-alert`, json({ channel: 'email' }))).json()) as TestAlertResponse;
    expect(res.ok).toBe(false);
    expect(res.error).toBe(
      `cannot reach the alert bridge at ${s.bridgeUrl} (ECONNREFUSED): is it running? ("traderadmin bridge" or "traderadmin up")`,
    );
  });
});

describe('the page with alerts_page.auth_token', () => {
  const TOKEN = 'page-token-0123456789';

  it('asks for the token, then keeps an HttpOnly, SameSite=Strict session cookie', async () => {
    const s = await start([{ path: ['alerts_page', 'auth_token'], value: 'env:PAGE_TOKEN' }], { PAGE_TOKEN: TOKEN });
    const first = await fetch(`${s.url}/`);
    expect(first.status).toBe(401);
    expect(await first.text()).toContain('Access token');
    expect((await fetch(`${s.url}/api/state`)).status).toBe(401);
    expect((await fetch(`${s.url}/app.js`)).status).toBe(401);

    const form = (token: string) => ({
      method: 'POST',
      redirect: 'manual' as const,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ token, user: 'erin' }).toString(),
    });
    expect((await fetch(`${s.url}/login`, form('wrong'))).status).toBe(401);
    const ok = await fetch(`${s.url}/login`, form(TOKEN));
    expect(ok.status).toBe(303);
    const cookie = ok.headers.get('set-cookie')!;
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Strict/);
    const session = cookie.split(';')[0];
    const state = (await (await fetch(`${s.url}/api/state`, { headers: { cookie: session } })).json()) as StateResponse;
    expect(state.user).toBe('erin');
    expect(state.auth).toBe(true);
    // Scripts may send the token itself.
    expect((await fetch(`${s.url}/api/state`, { headers: { authorization: `Bearer ${TOKEN}` } })).status).toBe(200);
    expect((await fetch(`${s.url}/api/state`, { headers: { authorization: 'Bearer nope' } })).status).toBe(401);
    // Signing out (the page's form) ends the session.
    await fetch(`${s.url}/logout`, {
      method: 'POST',
      redirect: 'manual',
      headers: { cookie: session, 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect((await fetch(`${s.url}/api/state`, { headers: { cookie: session } })).status).toBe(401);
  });

  it('limits wrong tokens per client, marks the cookie Secure over HTTPS, and refuses a short token at start', async () => {
    const s = await start([{ path: ['alerts_page', 'auth_token'], value: 'env:PAGE_TOKEN' }], { PAGE_TOKEN: TOKEN });
    const login = (token: string, headers: Record<string, string> = {}) =>
      fetch(`${s.url}/login`, {
        method: 'POST',
        redirect: 'manual',
        headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
        body: new URLSearchParams({ token }).toString(),
      });
    const https = await login(TOKEN, { 'x-forwarded-proto': 'https' });
    expect(https.headers.get('set-cookie')).toMatch(/; HttpOnly; SameSite=Strict; Secure; Max-Age=/);
    expect((await login(TOKEN)).headers.get('set-cookie')).not.toContain('Secure');
    const wrong = await Promise.all(Array.from({ length: 5 }, (_, i) => login(`wrong-${i}`)));
    expect(wrong.map((r) => r.status)).toEqual([401, 401, 401, 401, 401]);
    // Now even the right token waits: guessing gets five tries per five minutes.
    const blocked = await login(TOKEN);
    expect(blocked.status).toBe(429);
    expect(Number(blocked.headers.get('retry-after'))).toBeGreaterThan(200);
    expect(blocked.headers.get('set-cookie')).toBeNull();
    await expect(start([{ path: ['alerts_page', 'auth_token'], value: 'env:PAGE_TOKEN' }], { PAGE_TOKEN: 'short' })).rejects.toThrow(
      'alerts_page.auth_token is too short: use at least 16 characters',
    );
  });

  it('is required (a validation error) when the page listens beyond loopback', () => {
    const text = '[alerts_page]\nlisten = "0.0.0.0:9096"\n';
    expect(checkConfigText(text, 'c.toml', { env: {} }).problems.map((p) => `${p.path}: ${p.message}`)).toEqual([
      'alerts_page.listen: 0.0.0.0:9096 is beyond loopback, and the alerts page has no auth_token',
    ]);
    expect(checkConfigText(`${text}auth_token = "env:T"\n`, 'c.toml', { env: { T: 'x' } }).problems).toEqual([]);
  });
});

describe('secrets written in clear', () => {
  it('never reach the browser: not in the page, its script, or any answer', async () => {
    const SMTP = 'clear-smtp-password-4711';
    const HOOK = 'clear-hook-token-0815';
    const s = await start([
      { path: email('enabled'), value: true },
      { path: email('smtp_password'), value: SMTP },
      { path: ['alerts_config', 'notifications', 'webhook', 'bearer_token'], value: HOOK },
    ]);
    const seen: string[] = [];
    const get = async (path: string) => seen.push(await (await fetch(`${s.url}${path}`)).text());
    const post = async (path: string, body: unknown, headers: Record<string, string> = {}) =>
      seen.push(
        await (await fetch(`${s.url}${path}`, { ...json(body), headers: { 'content-type': 'application/json', ...headers } })).text(),
      );
    await get('/');
    await get('/app.js');
    await get('/api/state');
    const state = JSON.parse(seen.at(-1)!) as StateResponse;
    const draft = structuredClone(state.draft);
    (draft.thresholds as Record<string, unknown>).max_order_latency_ms = 321;
    await post('/api/validate', { draft });
    await post('/api/diff', { draft });
    await post('/api/apply', { draft }, { 'if-match': state.sha256 });
    await get('/api/history');
    const history = JSON.parse(seen.at(-1)!) as { items: Array<{ id: string }> };
    await post(`/api/history/${history.items[1].id}/diff`, {});
    await post('/api/test-alert', { channel: 'email' });
    expect(seen.length).toBe(9);
    for (const body of seen) {
      expect(body).not.toContain(SMTP);
      expect(body).not.toContain(HOOK);
    }
    // They are still in the file, untouched.
    const text = readFileSync(s.file, 'utf8');
    expect(text).toContain(`smtp_password = "${SMTP}"`);
    expect(text).toContain('max_order_latency_ms = 321');
    expect(s.deployer.seen).toHaveLength(1);
  });
});
