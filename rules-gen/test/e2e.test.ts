/**
 * End to end with real parts: the IB Gateway emulator, the exporter, a real Prometheus
 * running the generated rules.yml and a real Alertmanager running the generated
 * alertmanager.yml (1 s scrape and evaluation). A 350 ms order round trip reported to the
 * exporter's events API against a 200 ms limit fires OrderLatencyHigh, which reaches
 * Alertmanager's API and the bridge's webhook endpoint for the channel.
 */
import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from '@traderadmin/emulator';
import { silentLogger, startExporter, type RunningExporter } from '@traderadmin/exporter';
import {
  freePort,
  requireBinaries,
  promQuery,
  startGeneratedStack,
  waitFor,
  type GeneratedStack,
  type ManagedProcess,
} from '@traderadmin/test-support';
import { loaded, tempDir, withKeys } from './helpers.js';

requireBinaries('prometheus', 'prometheus-alertmanager');

interface AmAlert {
  labels: Record<string, string>;
  annotations: Record<string, string>;
  status: { state: string };
}

describe('OrderLatencyHigh end to end', () => {
  let emulator: Emulator;
  let exporter: RunningExporter;
  let prom: ManagedProcess;
  let am: ManagedProcess;
  let stack: GeneratedStack;
  let bridge: Server;
  const webhooks: Array<{ url: string; body: { alerts: AmAlert[] } }> = [];

  beforeAll(async () => {
    emulator = await startEmulator({ accounts: ['DU1234567'], seed: 7, tradeIntervalSeconds: 0 });
    bridge = createServer((req, res) => {
      let body = '';
      req.on('data', (d) => (body += d));
      req.on('end', () => {
        if (req.url?.startsWith('/api/v1/alertmanager/')) webhooks.push({ url: req.url, body: JSON.parse(body) });
        res.end('{}');
      });
    });
    await new Promise<void>((r) => bridge.listen(0, '127.0.0.1', r));
    const bridgePort = (bridge.address() as { port: number }).port;
    const [exporterPort, promPort, amPort] = [await freePort(), await freePort(), await freePort()];
    const l = loaded(
      withKeys({
        'alerts_config.thresholds.max_order_latency_ms': '200',
        'alerts_config.notifications.webhook.enabled': 'true',
        'prometheus.scrape_interval_seconds': '1',
        'prometheus.evaluation_interval_seconds': '1',
        'prometheus.listen': `"127.0.0.1:${promPort}"`,
        'alertmanager.listen': `"127.0.0.1:${amPort}"`,
        'alertmanager.group_wait_seconds': '0',
        'alertmanager.group_interval_seconds': '1',
        'alert_bridge.listen': `"127.0.0.1:${bridgePort}"`,
        'exporter.listen': `"127.0.0.1:${exporterPort}"`,
        'broker.port': String(emulator.port),
        'broker.accounts': '["DU1234567"]',
      }),
    );
    exporter = await startExporter(l, { logger: silentLogger });
    // Resend firing alerts every second: the Watchdog's first send can precede Alertmanager discovery.
    stack = await startGeneratedStack(l, tempDir('e2e-'), {
      alertmanagerPort: amPort,
      prometheusPort: promPort,
      prometheusArgs: ['--rules.alert.resend-delay=1s'],
    });
    ({ alertmanager: am, prometheus: prom } = stack as Required<GeneratedStack>);
  });

  afterAll(async () => {
    await stack?.stop();
    await exporter?.close();
    await emulator?.close();
    bridge?.close();
  });

  it('a 350 ms fill against a 200 ms limit fires OrderLatencyHigh into Alertmanager and the webhook channel', async () => {
    // Prometheus scrapes the exporter and the rules run, and nothing is firing yet.
    await waitFor('the exporter scraped', async () => (await promQuery(prom.url, 'up{job="trader-exporter"} == 1')).length === 1, {
      timeoutMs: 20_000,
    });
    expect(await promQuery(prom.url, 'ALERTS{alertname="OrderLatencyHigh"}')).toEqual([]);

    const res = await fetch(`${exporter.url}/api/v1/events`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ type: 'order_latency', account: 'DU1234567', stage: 'fill', latency_ms: 350 }),
    });
    expect(res.status).toBe(200);
    const posted = Date.now();

    const alert = await waitFor(
      'OrderLatencyHigh in Alertmanager',
      async () => {
        const alerts = (await (await fetch(`${am.url}/api/v2/alerts?filter=alertname%3D%22OrderLatencyHigh%22`)).json()) as AmAlert[];
        return alerts.find((a) => a.labels.account === 'DU1234567');
      },
      { timeoutMs: 20_000 },
    );
    const latencyMs = Date.now() - posted;
    expect(alert.labels).toMatchObject({ alertname: 'OrderLatencyHigh', severity: 'warning', account: 'DU1234567', stage: 'fill' });
    expect(alert.status.state).toBe('active');
    expect(alert.annotations.description).toBe(
      'An order round trip (fill) on account DU1234567 took 350ms, above the 200 ms limit (max_order_latency_ms).',
    );
    expect(alert.annotations.runbook_url).toBe('http://127.0.0.1:9095/runbooks#orderlatencyhigh');
    // 1 s scrape + 1 s evaluation: well within the contract's "first evaluation" promise.
    expect(latencyMs).toBeLessThan(15_000);

    const hook = await waitFor('the webhook channel notified', () =>
      webhooks.find(
        (w) => w.url === '/api/v1/alertmanager/webhook' && w.body.alerts.some((a) => a.labels.alertname === 'OrderLatencyHigh'),
      ),
    );
    expect(hook.body.alerts.find((a) => a.labels.alertname === 'OrderLatencyHigh')!.labels.account).toBe('DU1234567');
    // The Watchdog has its own receiver at the bridge.
    await waitFor('the watchdog notified', () => webhooks.some((w) => w.url === '/api/v1/alertmanager/watchdog'));
    console.log(`OrderLatencyHigh reached Alertmanager ${latencyMs} ms after the event was posted`);
  });
});
