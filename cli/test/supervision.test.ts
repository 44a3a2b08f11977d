/**
 * `traderadmin up` as a service manager, on one real stack: kill -9 of each part in turn and it
 * comes back (counted at up's /metrics), the stack never stops; an alert raised while the
 * bridge is dead is delivered once after it is back; kill -9 of up itself leaves no part running
 * and every port free within seconds.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startWebhookPeer, waitFor, type WebhookPeer } from '@traderadmin/test-support';
import { BIN, scratchConfig } from './helpers.js';

let up: ChildProcess;
let output = '';
let ports: Record<string, number>;
let dir: string;
let peer: WebhookPeer;
const at = (name: string) => `http://127.0.0.1:${ports[name]}`;

/** Processes whose parent is `pid`, with their command lines. */
function childrenOf(pid: number): Array<{ pid: number; cmd: string }> {
  const out: Array<{ pid: number; cmd: string }> = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid === pid) out.push({ pid: Number(entry), cmd: readFileSync(`/proc/${entry}/cmdline`, 'utf8').replace(/\0/g, ' ') });
    } catch {
      // exited meanwhile
    }
  }
  return out;
}

/** The pid of the part whose command line matches. */
const partPid = (match: RegExp) => childrenOf(up.pid!).find((c) => match.test(c.cmd))?.pid;

const restarts = async (part: string) => {
  const text = await (await fetch(`${at('supervisor')}/metrics`)).text();
  return Number(text.match(new RegExp(`traderadmin_part_restarts_total\\{part="${part}"\\} (\\d+)`))?.[1] ?? NaN);
};
const answers = async (url: string) => {
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(1000) });
    await res.body?.cancel();
    return res.ok;
  } catch {
    return false;
  }
};

beforeAll(async () => {
  peer = await startWebhookPeer();
  const scratch = await scratchConfig((text) =>
    text
      .replace(
        /\[alerts_config\.notifications\.webhook\]\n(#.*\n)*enabled = false\n(#.*\n)*urls = \["https:\/\/example.com\/hook"\]/,
        `[alerts_config.notifications.webhook]\nenabled = true\nurls = ["${peer.url}/hook"]`,
      )
      .replace('group_wait_seconds = 10', 'group_wait_seconds = 1'),
  );
  expect(readFileSync(scratch.file, 'utf8')).toContain(`urls = ["${peer.url}/hook"]`);
  ports = scratch.ports;
  dir = scratch.dir;
  up = spawn(process.execPath, [BIN, 'up', '--config', scratch.file], { cwd: scratch.dir, stdio: ['ignore', 'pipe', 'pipe'] });
  up.stdout!.on('data', (d) => (output += d));
  up.stderr!.on('data', (d) => (output += d));
  await waitFor('the stack to be running', () => output.includes('TraderAdmin Monitoring is running'), { timeoutMs: 90_000 });
}, 120_000);
afterAll(async () => {
  up?.kill('SIGKILL');
  await peer?.stop();
});

const PARTS: Array<{ part: string; match: RegExp; ready: () => string }> = [
  { part: 'emulator', match: / emulator --config/, ready: () => `${at('control')}/control/state` },
  { part: 'exporter', match: / exporter --config/, ready: () => `${at('exporter')}/healthz` },
  { part: 'page', match: / page --config/, ready: () => `${at('page')}/healthz` },
  { part: 'prometheus', match: /^prometheus /, ready: () => `${at('prometheus')}/-/ready` },
  { part: 'alertmanager', match: /^prometheus-alertmanager /, ready: () => `${at('alertmanager')}/-/ready` },
];

it('kill -9 of each part in turn: each comes back, is counted, and the stack keeps running', async () => {
  for (const { part, match } of PARTS) {
    const pid = partPid(match);
    expect(pid, `${part} is a child of up`).toBeGreaterThan(0);
    process.kill(pid!, 'SIGKILL');
    await waitFor(`${part} restarted`, async () => (await restarts(part)) === 1, { timeoutMs: 15_000 });
  }
  for (const { part, ready } of PARTS) await waitFor(`${part} answers again`, () => answers(ready()), { timeoutMs: 30_000 });
  expect(output).toMatch(/prometheus exited unexpectedly \(SIGKILL\); restart 1 in 1 s/);
  expect(output).not.toContain('stopping the stack');
  expect(up.exitCode).toBeNull();
}, 90_000);

it('an alert raised while the bridge is dead is delivered once after it is back', async () => {
  process.kill(partPid(/ bridge --config/)!, 'SIGKILL');
  await waitFor('the bridge is down', async () => !(await answers(`${at('bridge')}/healthz`)), { timeoutMs: 5000 });
  // One slow order fires OrderLatencyHigh at the next evaluation; Alertmanager sends it to the dead bridge, and retries.
  const res = await fetch(`${at('exporter')}/api/v1/events`, {
    method: 'POST',
    // The local token up writes for the events API.
    headers: {
      'content-type': 'application/json',
      authorization: `Bearer ${readFileSync(path.join(dir, 'data/secrets/token'), 'utf8').trim()}`,
    },
    body: JSON.stringify({ type: 'order_latency', account: 'DU1234567', stage: 'fill', latency_ms: 5000 }),
  });
  expect(res.status).toBe(200);
  const latency = () => peer.accepted().filter((r) => JSON.stringify(r.body).includes('OrderLatencyHigh'));
  await waitFor('OrderLatencyHigh at the webhook', () => latency().length > 0, { timeoutMs: 60_000 });
  expect(await restarts('bridge')).toBe(1);
  await new Promise((r) => setTimeout(r, 3000));
  expect(latency()).toHaveLength(1);
}, 90_000);

it('kill -9 of up leaves no part running: every port is free within seconds', async () => {
  const parts = childrenOf(up.pid!).map((c) => c.pid);
  expect(parts.length).toBeGreaterThanOrEqual(6);
  up.kill('SIGKILL');
  const started = Date.now();
  await waitFor(
    'every port free',
    async () => {
      for (const port of Object.values(ports)) {
        const free = await new Promise<boolean>((resolve) => {
          const server = createServer().once('error', () => resolve(false));
          server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
        });
        if (!free) return false;
      }
      return true;
    },
    { timeoutMs: 15_000, intervalMs: 200 },
  );
  const seconds = (Date.now() - started) / 1000;
  expect(seconds).toBeLessThan(10);
  // Gone, or a zombie waiting for init to reap it: either way it runs no more.
  const running = (pid: number) => {
    try {
      return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
    } catch {
      return false;
    }
  };
  await waitFor('every part exited', () => parts.every((pid) => !running(pid)), { timeoutMs: 10_000 });
  expect((Date.now() - started) / 1000).toBeLessThan(10);
}, 30_000);
