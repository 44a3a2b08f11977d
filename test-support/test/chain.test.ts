/**
 * The chain builder without the slow parts: its config tables (ports, peers' channels, the
 * caller's tables over them, secrets by env: reference only) and its cleanup of a failed start.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { once } from 'node:events';
import { createConnection, createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort, mergeTables, RunningChain } from '../src/index.js';

const dir = mkdtempSync(path.join(tmpdir(), 'chain-test-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const listening = (port: number) =>
  new Promise<boolean>((resolve) => {
    const socket = createConnection({ host: '127.0.0.1', port }, () => (socket.destroy(), resolve(true)));
    socket.once('error', () => resolve(false));
  });

describe('mergeTables', () => {
  it.each([
    [{ a: { x: 1, y: 2 } }, { a: { y: 3 } }, { a: { x: 1, y: 3 } }],
    [{ a: { x: [1, 2] } }, { a: { x: [3] } }, { a: { x: [3] } }],
    [{ a: 1 }, { b: { c: true } }, { a: 1, b: { c: true } }],
    [{ a: { b: { c: 1, d: 2 } } }, { a: { b: { d: 4 } } }, { a: { b: { c: 1, d: 4 } } }],
  ])('%j under %j', (base, over, merged) => expect(mergeTables(base, over)).toEqual(merged));
});

it('writes the peers channel tables and the caller tables, secrets only as env: references', async () => {
  const chain = await RunningChain.start({
    dir: path.join(dir, 'ok'),
    peers: { slack: {}, webhook: {} },
    config: { alerts_config: { notifications: { webhook: { min_severity: 'info' } } } },
  });
  try {
    const { slack, webhook } = chain.loaded.config.alerts_config.notifications;
    expect(slack.enabled).toBe(true);
    expect(webhook).toMatchObject({ enabled: true, urls: [`${chain.peers.webhook.url}/hook`], min_severity: 'info' });
    const text = readFileSync(chain.configFile, 'utf8');
    expect(text).toContain('webhook_url = "env:PEER_SLACK_WEBHOOK_URL"');
    expect(text).not.toContain(chain.peers.slack.webhookUrl);
    expect(chain.env.PEER_SLACK_WEBHOOK_URL).toBe(chain.peers.slack.webhookUrl);
  } finally {
    await chain.stop();
  }
  expect(await listening(chain.peers.webhook.port)).toBe(false);
});

it('stops what it had started when a later part fails to start', async () => {
  const port = await freePort();
  const failing = RunningChain.start({
    dir: path.join(dir, 'bad'),
    peers: { webhook: { port } },
    // Not a listen address: loading the config fails after the peer started.
    config: { alert_bridge: { listen: 'nowhere' } },
    bridge: true,
  });
  await expect(failing).rejects.toThrow(/listen/);
  expect(await listening(port)).toBe(false);
});

it('stops the parts that had started when a later part fails, peers included', async () => {
  const [peerPort, exporterPort] = [await freePort(), await freePort()];
  // The bridge's port is taken: it fails after the peer and the exporter have started.
  const taken = createServer().listen(0, '127.0.0.1');
  await once(taken, 'listening');
  try {
    const failing = RunningChain.start({
      dir: path.join(dir, 'mid'),
      peers: { webhook: { port: peerPort } },
      config: {
        exporter: { listen: `127.0.0.1:${exporterPort}` },
        alert_bridge: { listen: `127.0.0.1:${(taken.address() as AddressInfo).port}` },
      },
      exporter: true,
      bridge: true,
    });
    await expect(failing).rejects.toThrow(/EADDRINUSE|in use/i);
    expect(await listening(exporterPort)).toBe(false);
    expect(await listening(peerPort)).toBe(false);
  } finally {
    taken.close();
  }
});
