/**
 * Alert bridge benchmark (not a test): `npx tsx bench/alert-bridge.ts`. Prints a markdown table.
 *
 * Bridge: receipt → stored (HTTP round trip of the webhook POST, answered after the fsync'd
 * outbox write), stored → delivered at a local webhook sink, and sustained notifications per
 * second with 16 concurrent senders. Side by side, in the same run: the real Alertmanager's
 * own webhook receiver delivering the same alerts to the same kind of local sink (no outbox:
 * it holds notifications in memory). Bounded: a few thousand notifications, well under 2 min.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ALERTMANAGER_BIN, haveBinary, RunningChain, sleep, startAlertmanager, startWebhookPeer, waitFor } from '@traderadmin/test-support';

const LATENCY_N = 300;
const THROUGHPUT_N = 2000;
const CONCURRENCY = 16;

function pct(values: number[], p: number): number {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
}
const ms = (v: number) => `${v.toFixed(v < 10 ? 2 : 1)} ms`;

function amPayload(i: number, run: string) {
  const now = new Date().toISOString();
  return {
    version: '4',
    groupKey: `{}:{alertname="BenchAlert", run="${run}", i="${i}"}`,
    truncatedAlerts: 0,
    status: 'firing',
    receiver: 'bridge-webhook',
    groupLabels: { alertname: 'BenchAlert', i: String(i) },
    commonLabels: { alertname: 'BenchAlert', severity: 'warning', account: 'DU1234567', i: String(i) },
    commonAnnotations: {},
    externalURL: 'http://127.0.0.1:9093',
    alerts: [
      {
        status: 'firing',
        labels: { alertname: 'BenchAlert', severity: 'warning', account: 'DU1234567', i: String(i), run },
        annotations: { summary: `bench ${i}`, description: 'benchmark alert' },
        startsAt: now,
        endsAt: '0001-01-01T00:00:00Z',
        generatorURL: '',
        fingerprint: `${run}-${i}`,
      },
    ],
  };
}

async function benchBridge() {
  const dir = mkdtempSync(path.join(tmpdir(), 'bench-bridge-'));
  const chain = await RunningChain.start({
    dir,
    peers: { webhook: {} },
    config: { alert_bridge: { digest_threshold: 50 } },
    bridge: { pollMs: 50, rateLimits: { webhook: 0 } },
  });
  const { webhook: sink } = chain.peers;
  const bridge = chain.bridge!;
  const arrival = new Map<string, number>();
  const seen = () => {
    for (const r of sink.requests.slice(arrival.size)) {
      const body = JSON.parse(r.body) as { alerts: Array<{ summary: string }> };
      arrival.set(body.alerts[0].summary, r.at);
    }
  };
  const send = async (i: number, run: string) => {
    const t0 = performance.now();
    const w0 = Date.now();
    const res = await fetch(`${bridge.url}/api/v1/alertmanager/webhook`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(amPayload(i, run)),
    });
    await res.arrayBuffer();
    if (res.status !== 200) throw new Error(`bridge answered ${res.status}`);
    return { stored: performance.now() - t0, postedAt: w0, storedAt: Date.now() };
  };

  // Latency: one at a time, so queueing does not dominate.
  const stored: number[] = [];
  const delivered: number[] = [];
  const endToEnd: number[] = [];
  for (let i = 0; i < LATENCY_N; i++) {
    const r = await send(i, 'lat');
    stored.push(r.stored);
    await waitFor('delivery', () => (seen(), arrival.has(`bench ${i}`)), { intervalMs: 1, timeoutMs: 10_000 });
    delivered.push(arrival.get(`bench ${i}`)! - r.storedAt);
    endToEnd.push(arrival.get(`bench ${i}`)! - r.postedAt);
  }

  // Throughput: CONCURRENCY senders, until THROUGHPUT_N are delivered.
  const t0 = Date.now();
  let next = 0;
  const before = sink.requests.length;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < THROUGHPUT_N) await send(next++, 'tp');
    }),
  );
  const acceptedAt = Date.now();
  // A digest carries several notifications (when ≥ digest_threshold wait): count notifications, not requests.
  const deliveredCount = () =>
    sink.requests.slice(before).reduce((n, r) => n + (JSON.parse(r.body) as { notifications: number }).notifications, 0);
  await waitFor('all delivered', () => deliveredCount() >= THROUGHPUT_N, { intervalMs: 20, timeoutMs: 60_000 });
  const elapsed = (Date.now() - t0) / 1000;
  const requests = sink.requests.length - before;
  await chain.stop();
  rmSync(dir, { recursive: true, force: true });
  return {
    stored,
    delivered,
    endToEnd,
    acceptPerSecond: THROUGHPUT_N / ((acceptedAt - t0) / 1000),
    perSecond: THROUGHPUT_N / elapsed,
    requests,
  };
}

async function benchAlertmanager() {
  const sink = await startWebhookPeer();
  const am = await startAlertmanager({
    config: `route:
  receiver: sink
  group_by: ['...']
  group_wait: 0s
  group_interval: 1s
  repeat_interval: 1h
receivers:
  - name: sink
    webhook_configs:
      - url: ${sink.url}/hook
        send_resolved: false
`,
  });
  const arrival = new Map<string, number>();
  const seen = () => {
    for (const r of sink.requests.slice(arrival.size)) {
      const body = JSON.parse(r.body) as { alerts: Array<{ labels: Record<string, string> }> };
      for (const a of body.alerts) arrival.set(`${a.labels.run}-${a.labels.i}`, r.at);
    }
  };
  const alertOf = (i: number, run: string) => ({
    labels: { alertname: 'BenchAlert', severity: 'warning', account: 'DU1234567', i: String(i), run },
    annotations: { summary: `bench ${i}` },
  });
  const post = async (alerts: unknown[]) => {
    const res = await fetch(`${am.url}/api/v2/alerts`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(alerts),
    });
    await res.arrayBuffer();
    if (res.status !== 200) throw new Error(`alertmanager answered ${res.status}`);
  };
  const stored: number[] = [];
  const endToEnd: number[] = [];
  const delivered: number[] = [];
  for (let i = 0; i < LATENCY_N; i++) {
    const t0 = performance.now();
    const w0 = Date.now();
    await post([alertOf(i, 'lat')]);
    stored.push(performance.now() - t0);
    const storedAt = Date.now();
    await waitFor('delivery', () => (seen(), arrival.has(`lat-${i}`)), { intervalMs: 1, timeoutMs: 10_000 });
    endToEnd.push(arrival.get(`lat-${i}`)! - w0);
    delivered.push(arrival.get(`lat-${i}`)! - storedAt);
  }
  const t0 = Date.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < THROUGHPUT_N) await post([alertOf(next++, 'tp')]);
    }),
  );
  const acceptedAt = Date.now();
  await waitFor('all delivered', () => (seen(), [...arrival.keys()].filter((k) => k.startsWith('tp-')).length >= THROUGHPUT_N), {
    intervalMs: 5,
    timeoutMs: 60_000,
  });
  const elapsed = (Date.now() - t0) / 1000;
  await am.stop();
  await sink.stop();
  return { stored, delivered, endToEnd, acceptPerSecond: THROUGHPUT_N / ((acceptedAt - t0) / 1000), perSecond: THROUGHPUT_N / elapsed };
}

const started = Date.now();
const bridge = await benchBridge();
await sleep(200);
const am = haveBinary(ALERTMANAGER_BIN) ? await benchAlertmanager() : undefined;
const row = (name: string, b: string, a: string) => console.log(`| ${name} | ${b} | ${a} |`);
const pair = (v: number[]) => `${ms(pct(v, 50))} / ${ms(pct(v, 99))}`;
console.log(
  `\n## Alert bridge benchmark (${new Date().toISOString().slice(0, 10)}, ${LATENCY_N} sequential + ${THROUGHPUT_N} concurrent notifications, local webhook sink)\n`,
);
console.log('| measure | alert bridge (durable outbox) | Alertmanager webhook receiver |');
console.log('| --- | --- | --- |');
row('receipt → stored (HTTP answer), p50 / p99', pair(bridge.stored), am ? `${pair(am.stored)} (in memory, no fsync)` : 'n/a');
row('stored → delivered at sink, p50 / p99', pair(bridge.delivered), am ? pair(am.delivered) : 'n/a');
row('receipt → delivered, p50 / p99', pair(bridge.endToEnd), am ? pair(am.endToEnd) : 'n/a');
row(`accepted per second (${CONCURRENCY} senders)`, bridge.acceptPerSecond.toFixed(0), am ? am.acceptPerSecond.toFixed(0) : 'n/a');
row(
  'sustained delivered notifications per second',
  `${bridge.perSecond.toFixed(0)} (${bridge.requests} requests: digests form when ≥ digest_threshold wait)`,
  am ? `${am.perSecond.toFixed(0)} (${THROUGHPUT_N} requests)` : 'n/a',
);
console.log(`\nTotal run time ${((Date.now() - started) / 1000).toFixed(1)} s. Bridge outbox on ${tmpdir()} (fsync per entry).`);
