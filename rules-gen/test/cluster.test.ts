/**
 * Past one machine, on the engines' own clustering, with the generated configuration: two real
 * Alertmanagers gossiping on loopback, both getting every alert from Prometheus and both
 * sending to one bridge: each alert reaches the channel once, and still does when one
 * Alertmanager is killed. Prometheus also remote-writes to a second, real Prometheus (its
 * remote-write receiver standing in for Mimir / Thanos / VictoriaMetrics), where the account
 * metrics are queryable.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import {
  freePort,
  promQuery,
  RunningChain,
  startAlertmanager,
  startPrometheus,
  waitFor,
  type ManagedProcess,
  type WebhookPeer,
} from '@traderadmin/test-support';
import { generate } from '../src/index.js';

const TOKEN = 'cluster-test-token-3b9f2a71c8d4';
const dir = mkdtempSync(path.join(tmpdir(), 'cluster-'));
let chain: RunningChain<{ webhook: object }> | undefined;
let peer: WebhookPeer;
let am1: ManagedProcess;
let am2: ManagedProcess;
let remote: ManagedProcess;
let exporterUrl: string;

/** Writes the generated files whose name passes `keep` into `into`. */
function writeGenerated(files: ReturnType<typeof generate>, into: string, keep: (name: string) => boolean): string {
  mkdirSync(into, { recursive: true });
  for (const [name, file] of files) {
    if (!keep(name)) continue;
    mkdirSync(path.join(into, path.dirname(name)), { recursive: true });
    writeFileSync(path.join(into, name), file.content, { mode: file.mode });
  }
  return into;
}

beforeAll(async () => {
  const [prom, remotePort, amPort1, amPort2, gossip1, gossip2] = await Promise.all(Array.from({ length: 6 }, () => freePort()));
  const tokenFile = path.join(dir, 'token');
  writeFileSync(tokenFile, TOKEN, { mode: 0o600 });
  // The emulator, the exporter and the bridge from the chain builder; the two Alertmanagers and
  // Prometheus below, each on its share of the generated files.
  const running = (chain = await RunningChain.start({
    dir,
    peers: { webhook: {} },
    config: {
      alerts_config: { notifications: { webhook: { min_severity: 'info' } } },
      broker: { mode: 'emulator', host: '127.0.0.1' },
      exporter: { events_token: `file:${tokenFile}`, heartbeat_components: [] },
      prometheus: {
        listen: `127.0.0.1:${prom}`,
        alertmanagers: [`127.0.0.1:${amPort2}`],
        remote_write: [{ url: `http://127.0.0.1:${remotePort}/api/v1/write`, name: 'central' }],
      },
      alertmanager: { listen: `127.0.0.1:${amPort1}`, cluster_listen: `127.0.0.1:${gossip1}`, peers: [`127.0.0.1:${gossip2}`] },
      alert_bridge: { auth_token: `file:${tokenFile}` },
    },
    emulator: { accounts: ['DU1234567'], tradeIntervalSeconds: 0 },
    exporter: true,
    bridge: true,
  }));
  peer = running.peers.webhook;
  exporterUrl = running.exporter!.url;
  const files = generate(running.loaded);

  remote = await startPrometheus({
    config: 'global:\n  scrape_interval: 1m\n',
    port: remotePort,
    args: ['--web.enable-remote-write-receiver'],
  });
  running.defer(() => remote.stop());

  // Both members run the same generated alertmanager.yml; quick gossip timings for the test.
  const am = (port: number, listen: number, other: number, name: string) =>
    startAlertmanager({
      config: files.get('alertmanager.yml')!.content,
      dir: writeGenerated(files, path.join(dir, name), (n) => n.startsWith('secrets/')),
      port,
      cluster: { listen: `127.0.0.1:${listen}`, peers: [`127.0.0.1:${other}`] },
      args: [
        '--cluster.peer-timeout=2s',
        '--cluster.gossip-interval=100ms',
        '--cluster.pushpull-interval=1s',
        '--cluster.settle-timeout=2s',
      ],
    });
  [am1, am2] = await Promise.all([am(amPort1, gossip1, gossip2, 'am1'), am(amPort2, gossip2, gossip1, 'am2')]);
  running.defer(() => am1.stop());
  running.defer(() => am2.stop());
  const promDir = writeGenerated(files, path.join(dir, 'prometheus'), (n) => n === 'rules.yml' || n.startsWith('secrets/'));
  const p = await startPrometheus({ config: files.get('prometheus.yml')!.content, dir: promDir, port: prom });
  running.defer(() => p.stop());
  await waitFor(
    'the two Alertmanagers gossiping',
    async () => ((await (await fetch(`${am1.url}/api/v2/status`)).json()) as { cluster: { peers: unknown[] } }).cluster.peers.length === 2,
  );
}, 90_000);
afterAll(async () => {
  await chain?.stop();
  rmSync(dir, { recursive: true, force: true });
});

const slowOrder = async (account: string) => {
  const res = await fetch(`${exporterUrl}/api/v1/events`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${TOKEN}` },
    body: JSON.stringify({ type: 'order_latency', account, stage: 'fill', latency_ms: 5000 }),
  });
  expect(res.status, await res.text()).toBe(200);
};
const delivered = (account: string) =>
  peer.accepted().filter((r) => JSON.stringify(r.body).includes('OrderLatencyHigh') && JSON.stringify(r.body).includes(account));
const firingIn = async (am: ManagedProcess, account: string) =>
  ((await (await fetch(`${am.url}/api/v2/alerts`)).json()) as Array<{ labels: Record<string, string> }>).some(
    (a) => a.labels.alertname === 'OrderLatencyHigh' && a.labels.account === account,
  );

it('both Alertmanagers get the alert from Prometheus, and the channel gets it once', async () => {
  await slowOrder('DU1234567');
  await waitFor('the alert in both Alertmanagers', async () => (await firingIn(am1, 'DU1234567')) && (await firingIn(am2, 'DU1234567')), {
    timeoutMs: 30_000,
  });
  await waitFor('delivered', () => delivered('DU1234567').length > 0, { timeoutMs: 30_000 });
  // Past the second member's peer timeout: its copy, if it sent one, has arrived by now.
  await new Promise((r) => setTimeout(r, 4000));
  expect(delivered('DU1234567')).toHaveLength(1);
}, 60_000);

it('with one Alertmanager killed, a new alert is still delivered, once', async () => {
  am1.child.kill('SIGKILL');
  await slowOrder('DU7654321');
  await waitFor('delivered by the survivor', () => delivered('DU7654321').length > 0, { timeoutMs: 40_000 });
  await new Promise((r) => setTimeout(r, 3000));
  expect(delivered('DU7654321')).toHaveLength(1);
}, 60_000);

it('the account metrics are queryable in the remote-write receiver', async () => {
  const equity = await waitFor('trader_equity remote-written', async () => (await promQuery(remote.url, 'trader_equity'))[0], {
    timeoutMs: 30_000,
  });
  expect(equity.metric).toMatchObject({ account: 'DU1234567', job: 'trader-exporter' });
  expect(Number(equity.value[1])).toBeGreaterThan(0);
}, 40_000);
