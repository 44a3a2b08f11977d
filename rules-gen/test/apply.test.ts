/**
 * apply against a real Prometheus and Alertmanager: write, reload, confirm, diff --live;
 * roll back when a part rejects the reload; change nothing for an invalid config.
 */
import { createServer, type Server } from 'node:http';
import { readFileSync, statSync, writeFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, requireBinaries, startGeneratedStack, type GeneratedStack, type ManagedProcess } from '@traderadmin/test-support';
import { PREVIOUS_DIR, applyConfig, diffLive, fetchLive, generate, metricValue, readGenerated } from '../src/index.js';
import { cli, loaded, tempDir, withKeys } from './helpers.js';

requireBinaries('prometheus', 'prometheus-alertmanager');

interface FakeBridge {
  url: string;
  requests: Array<{ method: string; url: string; auth?: string }>;
  server: Server;
  status: number;
}

async function fakeServer(): Promise<FakeBridge> {
  const fake: FakeBridge = { url: '', requests: [], server: undefined as unknown as Server, status: 200 };
  fake.server = createServer((req, res) => {
    fake.requests.push({ method: req.method ?? '', url: req.url ?? '', auth: req.headers.authorization });
    res.statusCode = fake.status;
    res.end(fake.status === 200 ? 'ok' : 'config invalid: boom');
  });
  await new Promise<void>((r) => fake.server.listen(0, '127.0.0.1', r));
  const addr = fake.server.address() as { port: number };
  fake.url = `http://127.0.0.1:${addr.port}`;
  return fake;
}

describe('apply with a real Prometheus and Alertmanager', () => {
  let prom: ManagedProcess;
  let am: ManagedProcess;
  let stack: GeneratedStack;
  let bridge: FakeBridge;
  let dir: string;
  let base: Record<string, string>;
  const configFile = (keys: Record<string, string>) => {
    const file = path.join(dir, '..', `config-${Math.random().toString(36).slice(2)}.toml`);
    writeFileSync(file, withKeys({ ...base, ...keys }));
    return file;
  };
  const cfg = (keys: Record<string, string> = {}) => loaded(withKeys({ ...base, ...keys }));
  const lastReload = async () =>
    metricValue(await (await fetch(`${prom.url}/metrics`)).text(), 'prometheus_config_last_reload_success_timestamp_seconds');

  beforeAll(async () => {
    bridge = await fakeServer();
    const [pp, ap] = [await freePort(), await freePort()];
    base = {
      'prometheus.listen': `"127.0.0.1:${pp}"`,
      'alertmanager.listen': `"127.0.0.1:${ap}"`,
      'alert_bridge.listen': `"${bridge.url.slice(7)}"`,
      'alerts_config.notifications.webhook.enabled': 'true',
    };
    stack = await startGeneratedStack(cfg(), tempDir('apply-'), { alertmanagerPort: ap, prometheusPort: pp });
    ({ alertmanager: am, prometheus: prom, generated: dir } = stack as Required<GeneratedStack>);
  });
  afterAll(async () => {
    await stack?.stop();
    bridge?.server.close();
  });

  it('applies a new threshold and cooldown: reloads all three, confirms, keeps the previous files', async () => {
    const before = readGenerated(dir);
    const result = await applyConfig(
      cfg({ 'alerts_config.thresholds.max_order_latency_ms': '200', 'alerts_config.cooldown_minutes': '30' }),
      { out: dir },
    );
    expect(result.error).toBeUndefined();
    expect(result.ok).toBe(true);
    expect(result.steps).toEqual(
      expect.arrayContaining([
        'Prometheus reloaded',
        'Alertmanager reloaded',
        'the alert bridge reloaded',
        'Prometheus: prometheus_config_last_reload_successful = 1',
        'Alertmanager: alertmanager_config_last_reload_successful = 1',
      ]),
    );
    expect(result.diff.changes).toEqual(
      expect.arrayContaining(['~ alert OrderLatencyHigh: threshold 1 → 0.2', '~ cooldown (repeat_interval) 15m → 30m']),
    );
    expect(bridge.requests.at(-1)).toMatchObject({ method: 'POST', url: '/-/reload' });
    expect(readGenerated(path.join(dir, PREVIOUS_DIR)).get('rules.yml')).toBe(before.get('rules.yml'));
    const rules = (await (await fetch(`${prom.url}/api/v1/rules`)).json()) as {
      data: { groups: Array<{ rules: Array<{ name: string; query: string }> }> };
    };
    expect(rules.data.groups[0].rules.find((r) => r.name === 'OrderLatencyHigh')!.query).toMatch(/> 0\.2$/);
    const status = (await (await fetch(`${am.url}/api/v2/status`)).json()) as { config: { original: string } };
    expect(status.config.original).toContain('repeat_interval: 30m');

    // diff --live now agrees with the config, and names what another threshold would change.
    const live = await fetchLive({ prometheusUrl: prom.url, alertmanagerUrl: am.url });
    expect(
      diffLive(live, generate(cfg({ 'alerts_config.thresholds.max_order_latency_ms': '200', 'alerts_config.cooldown_minutes': '30' })))
        .changes,
    ).toEqual([]);
    const next = diffLive(
      live,
      generate(cfg({ 'alerts_config.thresholds.max_order_latency_ms': '350', 'alerts_config.cooldown_minutes': '30' })),
    );
    expect(next.changes).toEqual(['~ alert OrderLatencyHigh: threshold 0.2 → 0.35']);
    expect(next.files[0].unified).toContain('+OrderLatencyHigh#0 alert severity=warning for=0s threshold=0.35');
  });

  it('with nothing changed, reloads nothing', async () => {
    const n = bridge.requests.length;
    const result = await applyConfig(
      cfg({ 'alerts_config.thresholds.max_order_latency_ms': '200', 'alerts_config.cooldown_minutes': '30' }),
      { out: dir },
    );
    expect(result).toMatchObject({ ok: true, changed: false });
    expect(bridge.requests.length).toBe(n);
  });

  it('rolls back files and the running Prometheus when a part rejects the reload', async () => {
    const before = readGenerated(dir);
    bridge.status = 500;
    try {
      // The bridge answers 500 to /-/reload: the new files must not stay.
      const result = await applyConfig(
        cfg({ 'alerts_config.thresholds.max_order_latency_ms': '750', 'alerts_config.cooldown_minutes': '30' }),
        { out: dir },
      );
      expect(result.ok).toBe(false);
      expect(result.rolledBack).toBe(true);
      expect(result.error).toBe('the alert bridge rejected the reload: HTTP 500 config invalid: boom');
    } finally {
      bridge.status = 200;
    }
    expect(readGenerated(dir)).toEqual(before);
    const rules = (await (await fetch(`${prom.url}/api/v1/rules`)).json()) as {
      data: { groups: Array<{ rules: Array<{ name: string; query: string }> }> };
    };
    expect(rules.data.groups[0].rules.find((r) => r.name === 'OrderLatencyHigh')!.query).toMatch(/> 0\.2$/);
  });

  it('an unreachable Alertmanager fails the apply with a clear error and rolls back', async () => {
    const before = readGenerated(dir);
    const dead = `http://127.0.0.1:${await freePort()}`;
    const result = await applyConfig(cfg({ 'alerts_config.thresholds.max_order_latency_ms': '900' }), {
      out: dir,
      alertmanagerUrl: dead,
      confirmTimeoutMs: 2000,
    });
    expect(result.ok).toBe(false);
    expect(result.error).toMatch(new RegExp(`^cannot reach Alertmanager at ${dead}`));
    expect(readGenerated(dir)).toEqual(before);
  });

  it('an invalid config changes nothing on disk and reloads nothing (traderadmin apply)', async () => {
    const before = readGenerated(dir);
    const mtime = statSync(path.join(dir, 'rules.yml')).mtimeMs;
    const reloadedAt = await lastReload();
    // Prometheus scrapes the bridge's /metrics meanwhile: only the other requests (a reload) count.
    const calls = () => bridge.requests.filter((r) => r.url !== '/metrics');
    const requests = calls().length;
    const file = configFile({ 'alerts_config.thresholds.max_order_latency_ms': '-5', 'alerts_config.cooldown_minutes': '7.5' });
    const res = cli(['apply', '--config', file, '--out', dir]);
    expect(res.code).toBe(1);
    expect(res.stderr).toContain('alerts_config.thresholds.max_order_latency_ms: -5 is out of range');
    expect(res.stderr).toContain('alerts_config.cooldown_minutes');
    expect(res.stderr).toContain('nothing written, nothing reloaded');
    expect(readGenerated(dir)).toEqual(before);
    expect(statSync(path.join(dir, 'rules.yml')).mtimeMs).toBe(mtime);
    expect(await lastReload()).toBe(reloadedAt);
    expect(calls().slice(requests)).toEqual([]);
  });

  it('traderadmin apply and diff --live work end to end from the command line', async () => {
    const file = configFile({ 'alerts_config.thresholds.max_order_latency_ms': '450' });
    const diff = cli(['diff', '--config', file, '--live']);
    expect(diff.code).toBe(3);
    expect(diff.stdout).toContain('~ alert OrderLatencyHigh: threshold 0.2 → 0.45');
    expect(diff.stdout).toContain('~ cooldown (repeat_interval) 1800s → 900s');
    const res = cli(['apply', '--config', file, '--out', dir]);
    expect(res.stderr).toBe('');
    expect(res.code).toBe(0);
    expect(res.stdout).toContain('✓ applied');
    expect(cli(['diff', '--config', file, '--live']).code).toBe(0);
    expect(cli(['diff', '--config', file, '--out', dir]).stdout.trim()).toBe('no changes');
    expect(existsSync(path.join(dir, PREVIOUS_DIR, 'rules.yml'))).toBe(true);
    expect(readFileSync(path.join(dir, 'rules.yml'), 'utf8')).toContain('> 0.45');
  });
});
