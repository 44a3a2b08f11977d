/**
 * Crash safety with a real process: `traderadmin bridge` is killed with SIGKILL in the middle
 * of a delivery, with more notifications queued behind it, and a new process is started on the
 * same data folder. Nothing acknowledged is sent again; nothing queued is lost; the one in
 * flight may go twice, with the same Idempotency-Key so the receiver can tell.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, waitFor } from '@traderadmin/test-support';
import { allSecrets, assertNoSecrets, metric, payload, post, alert, startPeers, tempDir, writeConfig, type Peers } from './helpers.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

interface Child {
  proc: ChildProcess;
  output(): string;
  exited: Promise<number | null>;
}

function spawnBridge(config: string): Child {
  const proc = spawn(process.execPath, [path.join(ROOT, 'bin/traderadmin.mjs'), 'bridge', '--config', config], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  proc.stdout!.on('data', (d) => (output += d));
  proc.stderr!.on('data', (d) => (output += d));
  const exited = new Promise<number | null>((resolve) => proc.once('exit', (code) => resolve(code)));
  return { proc, output: () => output, exited };
}

describe('bridge process killed mid-delivery and restarted', () => {
  let peers: Peers;
  let url: string;
  let config: string;
  const children: Child[] = [];
  const tmp = tempDir();
  let n = 0;
  const next = () => {
    n++;
    return payload({ receiver: 'bridge-webhook', groupKey: `{}:{restart="${n}"}` }, [alert({ fingerprint: `r${n}` })]);
  };
  const keysOf = () => peers.webhook.accepted().map((h) => String(h.headers['idempotency-key']));

  beforeAll(async () => {
    peers = await startPeers();
    const port = await freePort();
    url = `http://127.0.0.1:${port}`;
    config = writeConfig({
      dir: tmp.dir,
      peers,
      listen: `127.0.0.1:${port}`,
      maxAttempts: 50,
      bridge: 'retry_min_seconds = 0.05\nretry_max_seconds = 0.2\ndigest_threshold = 100',
    });
  });
  afterAll(async () => {
    for (const c of children) if (c.proc.exitCode === null && c.proc.signalCode === null) c.proc.kill('SIGKILL');
    await Promise.all(children.map((c) => c.exited));
    await peers?.stop();
    tmp.remove();
  });

  const launch = async () => {
    const child = spawnBridge(config);
    children.push(child);
    await waitFor(
      'bridge listening',
      () => {
        if (child.proc.exitCode !== null) throw new Error(`bridge exited: ${child.output()}`);
        return child.output().includes(`alert bridge listening on ${url}`);
      },
      { timeoutMs: 30_000 },
    );
    return child;
  };

  it('re-sends nothing already delivered and drops nothing queued', async () => {
    const first = await launch();
    const bridge = { url };
    for (let i = 0; i < 3; i++) expect((await post(bridge, 'webhook', next())).status).toBe(200);
    await waitFor('first three delivered', () => peers.webhook.accepted().length === 3);
    const delivered = keysOf();

    // The receiver holds the next request: it is in flight when the process dies.
    peers.webhook.behave({ delayMs: 5000 });
    const requests = peers.webhook.requests.length;
    expect((await post(bridge, 'webhook', next())).status).toBe(200);
    await waitFor('request in flight', () => peers.webhook.requests.length === requests + 1);
    for (let i = 0; i < 4; i++) expect((await post(bridge, 'webhook', next())).status).toBe(200);
    expect(await metric(bridge, 'alert_bridge_queue_depth{channel="webhook"}')).toBe(5);
    first.proc.kill('SIGKILL');
    await first.exited;

    peers.webhook.behave({});
    const second = await launch();
    expect(second.output()).toContain('"msg":"outbox recovered","pending":5');
    await waitFor('queue drained', async () => (await metric(bridge, 'alert_bridge_queue_depth{channel="webhook"}')) === 0, {
      timeoutMs: 20_000,
    });

    const keys = keysOf();
    const counts = new Map<string, number>();
    for (const k of keys) counts.set(k, (counts.get(k) ?? 0) + 1);
    expect(counts.size).toBe(8);
    for (const k of delivered) expect(counts.get(k)).toBe(1);
    const twice = [...counts].filter(([, c]) => c > 1).map(([k]) => k);
    expect(twice.length).toBeLessThanOrEqual(1);
    // The one that may come twice is the one that was in flight: same key, so the receiver can dedupe.
    if (twice.length) expect(peers.webhook.requests[requests].headers['idempotency-key']).toBe(twice[0]);

    // SIGHUP reloads; an Alertmanager retry of an old notification is still a duplicate.
    writeFileSync(config, readFileSync(config, 'utf8').replace('max_attempts = 50', 'max_attempts = 40'));
    second.proc.kill('SIGHUP');
    await waitFor('reloaded', () => second.output().includes('config reloaded'));
    const retry = await post(
      bridge,
      'webhook',
      payload({ receiver: 'bridge-webhook', groupKey: '{}:{restart="1"}' }, [alert({ fingerprint: 'r1' })]),
    );
    expect(retry.body).toMatchObject({ stored: 0, duplicates: 1 });

    // SIGTERM: graceful stop, exit 0.
    second.proc.kill('SIGTERM');
    expect(await second.exited).toBe(0);
    expect(second.output()).toContain('SIGTERM: stopping the alert bridge');
    assertNoSecrets([first.output(), second.output()], allSecrets(peers));
  });
});
