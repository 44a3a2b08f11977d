/**
 * The external heartbeat (healthchecks.io style) against a local peer: pinged on schedule
 * while the Watchdog is healthy, silent while monitoring is down, back when it is back; the
 * method follows a reload, and the URL (the check's secret) never reaches a log line.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { writeFileSync } from 'node:fs';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { waitFor } from '@traderadmin/test-support';
import type { RunningBridge } from '../src/index.js';
import { BRIDGE_TOKEN, alert, assertNoSecrets, captureLogger, payload, post, start, tempDir } from './helpers.js';

const CHECK_ID = '5f1c7a2e-heartbeat-secret-9b3d';
const tmp = tempDir('heartbeat-');
const log = captureLogger();
const pings: Array<{ method: string; url: string }> = [];
let peer: Server;
let bridge: RunningBridge;
let file: string;
const clock = {
  t: Date.parse('2026-11-21T10:00:00Z'),
  now() {
    return this.t;
  },
};

const config = (method: string) => {
  writeFileSync(path.join(tmp.dir, 'heartbeat_url'), `http://127.0.0.1:${(peer.address() as AddressInfo).port}/ping/${CHECK_ID}`, {
    mode: 0o600,
  });
  writeFileSync(path.join(tmp.dir, 'token'), BRIDGE_TOKEN, { mode: 0o600 });
  writeFileSync(
    file,
    `[alert_bridge]
listen = "127.0.0.1:9095"
auth_token = "file:${path.join(tmp.dir, 'token')}"
data_dir = "data"
watchdog_timeout_seconds = 60
heartbeat_url = "file:${path.join(tmp.dir, 'heartbeat_url')}"
heartbeat_interval_seconds = 10
heartbeat_method = "${method}"
`,
  );
};

beforeAll(async () => {
  peer = createServer((req, res) => {
    pings.push({ method: req.method!, url: req.url! });
    req.resume();
    req.on('end', () => res.end('OK'));
  });
  await new Promise<void>((resolve) => peer.listen(0, '127.0.0.1', resolve));
  file = path.join(tmp.dir, 'config.toml');
  config('GET');
  ({ bridge } = await start(file, { logger: log, clock, heartbeatTickMs: 20 }));
});
afterAll(async () => {
  await bridge?.close();
  peer?.close();
  tmp.remove();
});

it('pings every interval while the Watchdog is healthy, stops while monitoring is down, and resumes when it is back', async () => {
  await waitFor('first ping at start', () => pings.length === 1);
  expect(pings[0]).toEqual({ method: 'GET', url: `/ping/${CHECK_ID}` });
  // Not due yet: the interval is 10 s of the bridge's clock.
  clock.t += 5_000;
  await new Promise((r) => setTimeout(r, 150));
  expect(pings).toHaveLength(1);
  clock.t += 5_000;
  await waitFor('second ping after 10 s', () => pings.length === 2);

  // No Watchdog for longer than the timeout: the alarm goes up and the pings stop, so the outside check fires too.
  clock.t += 61_000;
  await bridge.checkWatchdog();
  const before = pings.length;
  clock.t += 30_000;
  await new Promise((r) => setTimeout(r, 200));
  expect(pings.length).toBe(before);

  // The Watchdog is back; the next ping follows, with the method of the reloaded config.
  config('POST');
  expect((await bridge.reload()).ok).toBe(true);
  const wd = payload({ receiver: 'bridge-watchdog', groupKey: 'watchdog' }, [
    alert({ labels: { alertname: 'Watchdog', severity: 'none' }, fingerprint: 'wd' }),
  ]);
  expect((await post(bridge, 'watchdog', wd)).status).toBe(200);
  await waitFor('ping after the Watchdog is back', () => pings.length === before + 1);
  expect(pings.at(-1)).toEqual({ method: 'POST', url: `/ping/${CHECK_ID}` });
});

it('logs a failing check service once, without its URL', async () => {
  peer.close();
  peer.closeAllConnections();
  clock.t += 10_000;
  await waitFor('failure logged', () => log.lines.some((l) => l.includes('external heartbeat ping failed')));
  clock.t += 10_000;
  await new Promise((r) => setTimeout(r, 200));
  expect(log.lines.filter((l) => l.includes('external heartbeat ping failed'))).toHaveLength(1);
  assertNoSecrets(log.lines, [CHECK_ID]);
});
