/**
 * A web page on another origin, in headless Chromium, tries what any page can do against the
 * bridge on 127.0.0.1 with no token configured at all: a ten-year silence of everything through
 * a no-cors text/plain fetch, an HTML form post, and a JSON fetch (which needs a preflight). The
 * shared guard refuses each; the real Alertmanager behind the bridge has no silence afterwards.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFileSync, writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { freePort, haveBinary, startAlertmanager, ALERTMANAGER_BIN, type ManagedProcess } from '@traderadmin/test-support';
import { haveChromium, launchChromium } from '../../console/test/browser.js';
import type { RunningBridge } from '../src/index.js';
import { captureLogger, start, startPeers, tempDir, writeConfig, type Peers } from './helpers.js';

const run = haveBinary(ALERTMANAGER_BIN) && haveChromium() ? describe : describe.skip;

const evilPage = (bridge: string) => `<!doctype html><meta charset="utf-8"><title>free stock tips</title>
<iframe name="sink"></iframe>
<form id="f" method="post" enctype="text/plain" target="sink" action="${bridge}/api/v1/silences">
  <input name='{"matchers":[{"name":"alertname","value":".+","isRegex":true}],"endsAt":"2036-01-01T00:00:00Z","createdBy":"x","comment":"' value='x"}'>
</form>
<script>
const silence = JSON.stringify({ matchers: [{ name: 'alertname', value: '.+', isRegex: true }], endsAt: '2036-01-01T00:00:00Z', createdBy: 'evil', comment: 'evil' });
window.results = {};
(async () => {
  try {
    await fetch('${bridge}/api/v1/silences', { method: 'POST', mode: 'no-cors', headers: { 'content-type': 'text/plain' }, body: silence });
    results.noCors = 'reached the bridge';
  } catch (e) { results.noCors = 'network error'; }
  try {
    const r = await fetch('${bridge}/api/v1/silences', { method: 'POST', headers: { 'content-type': 'application/json' }, body: silence });
    results.json = 'status ' + r.status;
  } catch (e) { results.json = 'blocked'; }
  document.getElementById('f').submit();
  await new Promise((r) => setTimeout(r, 500));
  results.done = true;
})();
</script>`;

run('a web page on another origin against the bridge (headless Chromium)', () => {
  let peers: Peers;
  let bridge: RunningBridge;
  let am: ManagedProcess;
  let browser: Browser;
  let evil: Server;
  const tmp = tempDir();

  beforeAll(async () => {
    peers = await startPeers();
    const amPort = await freePort();
    const file = writeConfig({ dir: tmp.dir, peers, listen: `127.0.0.1:${await freePort()}`, alertmanagerListen: `127.0.0.1:${amPort}` });
    // No token at all: the guard alone must hold.
    writeFileSync(file, readFileSync(file, 'utf8').replace(/^auth_token = .*bridge_token.*$/m, ''));
    ({ bridge } = await start(file, { logger: captureLogger() }));
    am = await startAlertmanager({ config: 'route:\n  receiver: none\nreceivers:\n  - name: none\n', port: amPort });
    evil = createServer((_req, res) => res.writeHead(200, { 'content-type': 'text/html' }).end(evilPage(bridge.url)));
    await new Promise<void>((r) => evil.listen(0, '127.0.0.1', r));
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    evil?.close();
    await am?.stop();
    await bridge?.close();
    await peers?.stop();
    tmp.remove();
  });

  it('cannot silence anything: no-cors text/plain, a form post and a JSON fetch all fail, Alertmanager has no silence', async () => {
    const page = await browser.newPage();
    await page.goto(`http://127.0.0.1:${(evil.address() as AddressInfo).port}/`);
    await page.waitForFunction(() => (globalThis as unknown as { results: { done?: boolean } }).results.done === true, undefined, {
      timeout: 15_000,
    });
    const results = await page.evaluate(() => (globalThis as unknown as { results: Record<string, unknown> }).results);
    expect(results).toMatchObject({ noCors: 'reached the bridge', json: 'blocked' });
    await page.close();
    const silences = (await (await fetch(`${am.url}/api/v2/silences`)).json()) as unknown[];
    expect(silences).toEqual([]);

    // The control: a script on this machine (no Origin, JSON) can, so the page's attempts were real ones.
    const control = await fetch(`${bridge.url}/api/v1/silences`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ matchers: [{ name: 'alertname', value: 'Nothing', isRegex: false }], endsAt: '2036-01-01T00:00:00Z' }),
    });
    expect(control.status, await control.text()).toBe(201);
    expect(((await (await fetch(`${am.url}/api/v2/silences`)).json()) as unknown[]).length).toBe(1);
  });
});
