/**
 * Breach-to-notification benchmark, with its costs (not a test): `node --import tsx bench/latency.ts`.
 *
 * 1. Render: the exporter's /metrics text for 1 × 20, 1 × 1,000, 10 × 100 and 10 × 1,000 open
 *    positions, beside prom-client's bare Registry holding the same series as plain gauges.
 * 2. Latency: the whole chain at the stack's DEFAULT timings (config.example.toml), and beside
 *    it in the same run the stock chain: a second Prometheus with the same prometheus.yml and
 *    the same rules file (so it scrapes and evaluates at the same phase: Prometheus derives both
 *    offsets from the target labels, the host name and the rule file's path), sending to a
 *    second Alertmanager at the same timings whose own webhook, Slack and email receivers send
 *    to the same kinds of loopback sinks. One exporter (fed through its gateway sink, as the IB
 *    reader does; its events API for order round trips), the IB Gateway emulator for the
 *    connection. Breaches one per account, 1.37 s apart so their phase against the 1 s cycle
 *    spreads over it: one slow order (OrderLatencyHigh), a realized loss past the limit
 *    (DailyRealizedPnlBelowLimit), equity 10 % under start of day (DrawdownTodayExceeded,
 *    which then recovers: the resolved message is timed too). Time from the breach to arrival.
 * 3. Cost: CPU and memory (/proc/<pid>/stat and status) of Prometheus, Alertmanager, the
 *    exporter and the bridge, each its own process, for 1 × 20 and 10 × 1,000 positions (10 %
 *    repriced every second), at the previous defaults (scrape and evaluation 5 s, group_wait 10 s,
 *    group_interval 60 s, one exporter job) and at the new ones.
 *
 * Bounded: about 4 minutes; a hard stop at 7.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { Gauge, Registry } from 'prom-client';
import { parse, stringify } from 'yaml';
import { checkConfigText, loadConfig, type LoadedConfig } from '@traderadmin/config';
import { startEmulator } from '@traderadmin/emulator';
import { createExporterCore, silentLogger, startExporter } from '@traderadmin/exporter';
import { startBridge, type Logger } from '@traderadmin/alert-bridge';
import { duration, JOBS, POSITIONS_JOB } from '@traderadmin/rules-gen';
import {
  freePort,
  peerChannelsToml,
  promQuery,
  sleep,
  startAlertmanager,
  startGeneratedStack,
  startHttpPeer,
  startPrometheus,
  startSlackPeer,
  startSmtpPeer,
  startWebhookPeer,
  waitFor,
} from '@traderadmin/test-support';

const here = fileURLToPath(import.meta.url);
/** BENCH_QUICK=1: a smoke run of every part in seconds (figures meaningless). */
const QUICK = process.env.BENCH_QUICK === '1';
const quiet: Logger = { debug() {}, info() {}, warn() {}, error() {}, child: () => quiet };

/** Feeds an exporter's gateway sink with accounts × positions, as the IB reader does. */
function feed(sink: ReturnType<typeof createExporterCore>['sink'], accounts: number, positions: number): () => void {
  const names = Array.from({ length: accounts }, (_, a) => `DU${1000000 + a}`);
  const position = (account: string, p: number, drift: number) => {
    const price = 10 + (p % 500);
    sink.position({
      account,
      key: String(100_000 + p),
      symbol: `SYM${p}`,
      secType: 'STK',
      currency: 'USD',
      quantity: 100,
      avgCost: price,
      marketPrice: price * drift,
      marketValue: price * drift * 100,
      unrealizedPnl: (price * drift - price) * 100,
    });
  };
  for (const account of names) {
    sink.accountValue(account, 'NetLiquidation', 1_000_000, 'USD');
    sink.accountValue(account, 'BuyingPower', 4_000_000, 'USD');
    sink.accountValue(account, 'TotalCashValue', 500_000, 'USD');
    for (let p = 0; p < positions; p++) position(account, p, 1.01);
  }
  let tick = 0;
  // 10 % of the positions get a new price every second.
  return () => {
    tick++;
    for (const account of names)
      for (let p = tick % 10; p < positions; p += 10) position(account, p, 1 + ((tick * 7 + p) % 40) / 1000 - 0.02);
  };
}

async function main() {
  const hardStop = setTimeout(() => {
    console.error('bench/latency.ts: over 7 minutes, giving up');
    process.exit(2);
  }, 420_000);
  // `node --import tsx bench/latency.ts [render] [chain] [cost]`: only those parts (default: all three).
  const wanted = process.argv.slice(2).filter((a) => !a.startsWith('-'));
  const parts = { render: renderPart, chain: latencyPart, cost: costPart };
  const unknown = wanted.filter((w) => !(w in parts));
  if (unknown.length > 0) {
    console.error(`bench/latency.ts: unknown part ${unknown.join(', ')}; parts: ${Object.keys(parts).join(', ')}`);
    process.exit(2);
  }
  const out: string[] = [];
  try {
    for (const [name, part] of Object.entries(parts))
      if (wanted.length === 0 || wanted.includes(name)) out.push(...(out.length ? [''] : []), ...(await part()));
    console.log(out.join('\n'));
  } finally {
    clearTimeout(hardStop);
  }
}

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))];
};
const ms = (v: number) => (v < 10 ? `${v.toFixed(2)} ms` : `${v.toFixed(1)} ms`);
const sec = (v: number) => (Math.abs(v) < 1000 ? `${v.toFixed(0)} ms` : `${(v / 1000).toFixed(2)} s`);

// ---------------------------------------------------------------------------------------- 1

/** prom-client's Registry with the same series as plain gauges, set once: its rendering cost alone. */
function bareRegistry(text: string): Registry {
  const registry = new Registry();
  const byName = new Map<string, Array<[Record<string, string>, number]>>();
  for (const line of text.split('\n')) {
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!m) continue;
    const labels: Record<string, string> = {};
    for (const [, k, v] of (m[2] ?? '').matchAll(/([a-zA-Z_]+)="((?:[^"\\]|\\.)*)"/g)) labels[k] = v;
    (byName.get(m[1]) ?? byName.set(m[1], []).get(m[1])!).push([labels, Number(m[3])]);
  }
  for (const [name, samples] of byName) {
    const gauge = new Gauge({ name, help: name, labelNames: Object.keys(samples[0][0]), registers: [registry] });
    for (const [labels, value] of samples) gauge.set(labels, value);
  }
  return registry;
}

async function timeRenders(n: number, render: () => Promise<unknown>): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    await render();
    times.push(performance.now() - t);
  }
  return times;
}

async function renderPart(): Promise<string[]> {
  const { config } = checkConfigText('', 'bench.toml');
  const rows: string[] = [];
  let worst = 0;
  for (const [accounts, positions] of [
    [1, 20],
    [1, 1000],
    [10, 100],
    [10, 1000],
  ]) {
    const core = createExporterCore(config!, { logger: silentLogger });
    feed(core.sink, accounts, positions)();
    const text = await core.metrics('all');
    const series = text.split('\n').filter((l) => l && !l.startsWith('#')).length;
    const bare = bareRegistry(text);
    const bareSeries = (await bare.metrics()).split('\n').filter((l) => l && !l.startsWith('#')).length;
    if (bareSeries !== series) throw new Error(`bare registry has ${bareSeries} series, ours ${series}`);
    const n = QUICK ? 3 : accounts * positions >= 10_000 ? 40 : 200;
    await timeRenders(5, () => core.metrics('all'));
    const ours = await timeRenders(n, () => core.metrics('all'));
    const account = await timeRenders(n, () => core.metrics('account'));
    await timeRenders(3, () => bare.metrics());
    const theirs = await timeRenders(n, () => bare.metrics());
    if (accounts * positions === 10_000) worst = pct(ours, 50);
    rows.push(
      `| ${accounts} × ${positions} | ${series} | ${(text.length / 1024).toFixed(0)} KiB | ${n} | ${ms(pct(ours, 50))} | ${ms(pct(ours, 99))} | ${ms(pct(account, 50))} | ${ms(pct(theirs, 50))} | ${ms(pct(theirs, 99))} | ${(pct(theirs, 50) / pct(ours, 50)).toFixed(1)}× |`,
    );
  }
  return [
    '#### /metrics render',
    '',
    "The exporter's whole /metrics text (account-level families through prom-client, the trader_position_* families written directly), its `?scope=account` part alone (what the 1 s job scrapes), and prom-client's bare Registry holding the same series as plain gauges (no collect callbacks: its rendering alone), in this process, wall time.",
    '',
    '| accounts × positions | series | body | renders | ours p50 | ours p99 | account scope p50 | prom-client p50 | prom-client p99 | prom-client / ours |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...rows,
    '',
    `10 × 1,000 p50: ${ms(worst)} (target ≤ 40 ms).`,
  ];
}

// ---------------------------------------------------------------------------------------- 2

type Kind = 'latency' | 'pnl' | 'drawdown';
const ALERT: Record<Kind, string> = { latency: 'OrderLatencyHigh', pnl: 'DailyRealizedPnlBelowLimit', drawdown: 'DrawdownTodayExceeded' };
const PER_KIND = QUICK ? 1 : 8;
const GAP_MS = 1370;

async function latencyPart(): Promise<string[]> {
  const dir = mkdtempSync(path.join(tmpdir(), 'bench-latency-'));
  const stops: Array<() => Promise<unknown>> = [];
  try {
    const smtp = await startSmtpPeer();
    stops.push(() => smtp.stop());
    const webhook = await startWebhookPeer();
    stops.push(() => webhook.stop());
    const slack = await startSlackPeer();
    stops.push(() => slack.stop());
    // Alertmanager's Slack payload is attachments only, which the Slack peer (text or blocks) refuses: a plain 200 peer.
    const stockSlack = await startHttpPeer(() => ({ status: 200, body: 'ok' }));
    stops.push(() => stockSlack.stop());
    const ports = {
      exporter: await freePort(),
      bridge: await freePort(),
      prometheus: await freePort(),
      alertmanager: await freePort(),
      stockPrometheus: await freePort(),
      stockAlertmanager: await freePort(),
    };
    const emulator = await startEmulator({
      accounts: ['DU1234567'],
      seed: 11,
      tradeIntervalSeconds: 0,
      eventsUrl: `http://127.0.0.1:${ports.exporter}/api/v1/events`,
    });
    stops.push(() => emulator.close());
    process.env.BENCH_SLACK_URL = slack.webhookUrl;
    const file = path.join(dir, 'config.toml');
    // Only what differs from config.example.toml: loopback ports and the peers.
    writeFileSync(
      file,
      `${peerChannelsToml({ smtp, slackUrlRef: 'env:BENCH_SLACK_URL', webhook })}[broker]
port = ${emulator.port}
accounts = ["DU1234567"]
[exporter]
listen = "127.0.0.1:${ports.exporter}"
[prometheus]
listen = "127.0.0.1:${ports.prometheus}"
[alertmanager]
listen = "127.0.0.1:${ports.alertmanager}"
[alert_bridge]
listen = "127.0.0.1:${ports.bridge}"
data_dir = "bridge-data"
`,
    );
    const loaded = loadConfig(file);
    const c = loaded.config;
    const timings = `scrape ${c.prometheus.scrape_interval_seconds} s, evaluation ${c.prometheus.evaluation_interval_seconds} s, group_wait ${c.alertmanager.group_wait_seconds} s, group_interval ${c.alertmanager.group_interval_seconds} s`;
    const exporter = await startExporter(loaded, { logger: silentLogger });
    stops.push(() => exporter.close());
    const bridge = await startBridge(loaded, { logger: quiet, watchdogCheckMs: 0 });
    stops.push(() => bridge.close());

    const stack = await startGeneratedStack(loaded, dir, { alertmanagerPort: ports.alertmanager, prometheusPort: ports.prometheus });
    stops.push(stack.stop);
    const { generated, files } = stack;
    const prom = stack.prometheus!;
    const promYaml = files.get('prometheus.yml')!.content;

    const stockDir = path.join(dir, 'stock');
    mkdirSync(stockDir, { recursive: true });
    const stockAm = await startAlertmanager({
      config: stringify({
        route: {
          receiver: 'stock',
          group_by: ['alertname', 'account'],
          group_wait: duration(c.alertmanager.group_wait_seconds),
          group_interval: duration(c.alertmanager.group_interval_seconds),
          repeat_interval: duration(c.alerts_config.cooldown_minutes * 60),
          routes: [{ receiver: 'blackhole', matchers: ['alertname="Watchdog"'] }],
        },
        receivers: [
          { name: 'blackhole' },
          {
            name: 'stock',
            webhook_configs: [{ url: `${webhook.url}/stock`, send_resolved: true }],
            slack_configs: [{ api_url: `${stockSlack.url}/slack`, channel: '#alerts', send_resolved: true }],
            email_configs: [
              {
                to: 'stock@example.com',
                from: 'alerts@traderadmin.test',
                smarthost: `127.0.0.1:${smtp.port}`,
                require_tls: false,
                send_resolved: true,
              },
            ],
          },
        ],
      }),
      dir: stockDir,
      port: ports.stockAlertmanager,
      storagePath: path.join(dir, 'stock-am-data'),
    });
    stops.push(() => stockAm.stop());

    // Same scrape configs and the same rules file by the same path: the same phases.
    const stockYaml = parse(promYaml) as {
      rule_files: string[];
      alerting: { alertmanagers: Array<{ static_configs: Array<{ targets: string[] }> }> };
    };
    stockYaml.rule_files = [path.join(generated, 'rules.yml')];
    stockYaml.alerting.alertmanagers[0].static_configs[0].targets = [`127.0.0.1:${ports.stockAlertmanager}`];
    const stockProm = await startPrometheus({
      config: stringify(stockYaml),
      dir: stockDir,
      port: ports.stockPrometheus,
      storagePath: path.join(dir, 'stock-prom-data'),
    });
    stops.push(() => stockProm.stop());

    // The breach accounts exist (with a start-of-day equity) before anything breaches.
    const kinds: Kind[] = Array.from({ length: 3 * PER_KIND }, (_, i) => (['latency', 'pnl', 'drawdown'] as const)[i % 3]);
    const accounts = kinds.map((_, i) => `DU80000${String(i + 10).padStart(2, '0')}`);
    for (const a of accounts) exporter.sink.accountValue(a, 'NetLiquidation', 100_000, 'USD');
    for (const p of [prom, stockProm])
      await waitFor(
        'Prometheus sees every breach account',
        async () => (await promQuery(p.url, `count(trader_equity{job="${JOBS.exporter}"})`))[0]?.value[1] === String(accounts.length + 1),
        { timeoutMs: 30_000, intervalMs: 200 },
      );
    await sleep(2000);

    const mailTimes: number[] = [];
    const poll = setInterval(() => {
      while (mailTimes.length < smtp.mails.length) mailTimes.push(Date.now());
    }, 5);
    stops.push(async () => clearInterval(poll));

    const breach = async (i: number) => {
      const account = accounts[i];
      if (kinds[i] === 'latency') {
        const res = await fetch(`${exporter.url}/api/v1/events`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ type: 'order_latency', account, stage: 'fill', latency_ms: 1500 }),
        });
        if (!res.ok) throw new Error(`events API answered ${res.status}`);
      } else if (kinds[i] === 'pnl') {
        const fill = { account, key: '424242', symbol: 'XYZ', secType: 'STK', currency: 'USD', quantity: 100, time: Date.now() };
        exporter.sink.fills(
          [
            { ...fill, execId: `${account}.1`, side: 'BUY', price: 10 },
            { ...fill, execId: `${account}.2`, side: 'SELL', price: 4 },
          ],
          true,
        );
      } else exporter.sink.accountValue(account, 'NetLiquidation', 90_000, 'USD');
    };
    const at: number[] = [];
    const t0 = Date.now();
    for (let i = 0; i < accounts.length; i++) {
      const wait = t0 + i * GAP_MS - Date.now();
      if (wait > 0) await sleep(wait);
      at[i] = Date.now();
      await breach(i);
    }

    const masked = (a: string) => `•••${a.slice(-4)}`;
    type Finder = (i: number, status: 'firing' | 'resolved', after: number) => number | undefined;
    const oursHook: Finder = (i, status, after) =>
      webhook.requests.find((r) => {
        if (r.path !== '/hook' || r.status !== 200 || r.at < after) return false;
        const b = JSON.parse(r.body) as { alerts: Array<{ alertname: string; account?: string; status: string }> };
        return b.alerts.some((a) => a.alertname === ALERT[kinds[i]] && a.account === masked(accounts[i]) && a.status === status);
      })?.at;
    const stockHook: Finder = (i, status, after) =>
      webhook.requests.find((r) => {
        if (r.path !== '/stock' || r.at < after) return false;
        const b = JSON.parse(r.body) as { alerts: Array<{ labels: Record<string, string>; status: string }> };
        return b.alerts.some((a) => a.labels.alertname === ALERT[kinds[i]] && a.labels.account === accounts[i] && a.status === status);
      })?.at;
    const oursSlack: Finder = (i, _s, after) =>
      slack.requests.find(
        (r) => r.status === 200 && r.at >= after && r.body.includes(ALERT[kinds[i]]) && r.body.includes(masked(accounts[i])),
      )?.at;
    const stockSlackAt: Finder = (i, _s, after) =>
      stockSlack.requests.find((r) => r.at >= after && r.body.includes(ALERT[kinds[i]]) && r.body.includes(accounts[i]))?.at;
    const mail =
      (to: string, account: (i: number) => string): Finder =>
      (i, _s, after) => {
        const k = smtp.mails.findIndex((m, j) => {
          const text = `${m.parsed.subject}\n${m.parsed.text}\n${m.parsed.html || ''}`;
          return (
            (mailTimes[j] ?? Infinity) >= after && m.envelopeTo.includes(to) && text.includes(ALERT[kinds[i]]) && text.includes(account(i))
          );
        });
        return k < 0 ? undefined : mailTimes[k];
      };
    const sinks: Array<[string, Finder, Finder]> = [
      ['webhook', oursHook, stockHook],
      ['Slack', oursSlack, stockSlackAt],
      ['SMTP (email)', mail('trader@example.com', (i) => masked(accounts[i])), mail('stock@example.com', (i) => accounts[i])],
    ];
    const all = accounts.map((_, i) => i);
    await waitFor(
      'every breach at every sink, ours and stock',
      () => all.every((i) => sinks.every(([, a, b]) => a(i, 'firing', at[i]) !== undefined && b(i, 'firing', at[i]) !== undefined)),
      { timeoutMs: 60_000, intervalMs: 100 },
    ).catch((error: Error) => {
      const missing = sinks.flatMap(([name, a, b]) =>
        all.filter((i) => a(i, 'firing', at[i]) === undefined || b(i, 'firing', at[i]) === undefined).map((i) => `${name}:${kinds[i]}`),
      );
      throw new Error(`${error.message}; missing ${missing.join(', ')}`);
    });

    // Recovery: each drawdown account back to its start-of-day equity, timed to the resolved message.
    const recovered: number[] = [];
    const drawdowns = all.filter((i) => kinds[i] === 'drawdown');
    const r0 = Date.now();
    for (const [k, i] of drawdowns.entries()) {
      const wait = r0 + k * GAP_MS - Date.now();
      if (wait > 0) await sleep(wait);
      recovered[i] = Date.now();
      exporter.sink.accountValue(accounts[i], 'NetLiquidation', 100_000, 'USD');
    }
    await waitFor(
      'every resolved message at both webhooks',
      () =>
        drawdowns.every((i) => oursHook(i, 'resolved', recovered[i]) !== undefined && stockHook(i, 'resolved', recovered[i]) !== undefined),
      { timeoutMs: 30_000, intervalMs: 100 },
    );

    const row = (name: string, ours: number[], stock: number[]) =>
      `| ${name} | ${ours.length} | ${sec(pct(ours, 50))} | ${sec(pct(ours, 99))} | ${sec(Math.max(...ours))} | ${sec(pct(stock, 50))} | ${sec(pct(stock, 99))} | ${sec(Math.max(...stock))} | ${(pct(ours, 50) / pct(stock, 50)).toFixed(2)} | ${(pct(ours, 99) / pct(stock, 99)).toFixed(2)} |`;
    const rows: string[] = [];
    const verdict: string[] = [];
    for (const [name, a, b] of sinks) {
      const ours = all.map((i) => a(i, 'firing', at[i])! - at[i]);
      const stock = all.map((i) => b(i, 'firing', at[i])! - at[i]);
      rows.push(row(`${name}, firing`, ours, stock));
      verdict.push(
        `${name} p50 ${sec(pct(ours, 50))}, p99 ${sec(pct(ours, 99))}, ours/stock ${(pct(ours, 50) / pct(stock, 50)).toFixed(2)}`,
      );
    }
    const resolvedOurs = drawdowns.map((i) => oursHook(i, 'resolved', recovered[i])! - recovered[i]);
    const resolvedStock = drawdowns.map((i) => stockHook(i, 'resolved', recovered[i])! - recovered[i]);
    rows.push(row('webhook, resolved', resolvedOurs, resolvedStock));
    const byKind = (Object.keys(ALERT) as Kind[]).map((k) => {
      const xs = all.filter((i) => kinds[i] === k).map((i) => oursHook(i, 'firing', at[i])! - at[i]);
      return `${ALERT[k]} ${sec(pct(xs, 50))} (max ${sec(Math.max(...xs))})`;
    });
    return [
      '#### Breach to notification',
      '',
      `${accounts.length} breaches, one per account, ${GAP_MS / 1000} s apart (${PER_KIND} each: one order round trip of 1,500 ms against the 1,000 ms limit; a realized loss of 600 against −500; equity 10 % under start of day against 5 %), then the ${drawdowns.length} drawdown accounts recover. Defaults: ${timings}. Ours: exporter → Prometheus → Alertmanager (generated files) → the bridge (durable outbox) → sink. Stock: the same exporter → a second Prometheus (same prometheus.yml and rules file, hence the same scrape and evaluation phase) → a second Alertmanager at the same timings with its own webhook, Slack and email receivers → the same kind of sink. Time from the breach to arrival (SMTP: polled every 5 ms).`,
      '',
      '| sink | n | ours p50 | ours p99 | ours max | stock p50 | stock p99 | stock max | ours / stock p50 | ours / stock p99 |',
      '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
      ...rows,
      '',
      `Webhook p50 by alert (ours): ${byKind.join('; ')}. With ${accounts.length} breaches, p99 is the largest value.`,
      '',
      `Summary: ${verdict.join('; ')}.`,
    ];
  } finally {
    for (const stop of stops.reverse()) await stop().catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
  }
}

// ---------------------------------------------------------------------------------------- 3

const CLK_TCK = 100;
function procStat(pid: number): { cpuTicks: number; rssKiB: number; hwmKiB: number } {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // Fields 14 and 15 of stat (utime, stime) are 12 and 13 after the command name.
  const cpuTicks = Number(fields[11]) + Number(fields[12]);
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kib = (key: string) => Number(new RegExp(`^${key}:\\s+(\\d+)`, 'm').exec(status)?.[1] ?? NaN);
  return { cpuTicks, rssKiB: kib('VmRSS'), hwmKiB: kib('VmHWM') };
}

function spawnChild(what: 'exporter' | 'bridge', file: string, accounts: number, positions: number): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', here, '--child', what, file, String(accounts), String(positions)], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${what} child did not start`)), 30_000);
    child.stdout!.on('data', (d: Buffer) => {
      if (d.toString().includes('ready')) {
        clearTimeout(timer);
        resolve(child);
      }
    });
    child.once('exit', (code) => reject(new Error(`${what} child exited ${code}`)));
  });
}

const WARMUP_S = QUICK ? 2 : 8;
const WINDOW_S = QUICK ? 3 : 20;

async function costRun(old: boolean, accounts: number, positions: number) {
  const dir = mkdtempSync(path.join(tmpdir(), 'bench-cost-'));
  const stops: Array<() => Promise<unknown>> = [];
  try {
    const ports = { exporter: await freePort(), bridge: await freePort(), prometheus: await freePort(), alertmanager: await freePort() };
    const file = path.join(dir, 'config.toml');
    writeFileSync(
      file,
      `[broker]
accounts = ${JSON.stringify(Array.from({ length: accounts }, (_, a) => `DU${1000000 + a}`))}
[exporter]
listen = "127.0.0.1:${ports.exporter}"
[prometheus]
listen = "127.0.0.1:${ports.prometheus}"
${old ? 'scrape_interval_seconds = 5\nevaluation_interval_seconds = 5\n' : ''}[alertmanager]
listen = "127.0.0.1:${ports.alertmanager}"
${old ? 'group_wait_seconds = 10\ngroup_interval_seconds = 60\n' : ''}[alert_bridge]
listen = "127.0.0.1:${ports.bridge}"
data_dir = "bridge-data"
`,
    );
    const loaded: LoadedConfig = loadConfig(file);
    const { files, generated, alertmanager: am, stop } = await startGeneratedStack(loaded, dir, { alertmanagerPort: ports.alertmanager });
    stops.push(stop);
    let promYaml = files.get('prometheus.yml')!.content;
    if (old) {
      // The previous generator: one exporter job scraping everything, no scope.
      const doc = parse(promYaml) as { scrape_configs: Array<Record<string, unknown>> };
      doc.scrape_configs = doc.scrape_configs.filter((s) => s.job_name !== POSITIONS_JOB);
      delete doc.scrape_configs[0].params;
      promYaml = stringify(doc);
    }
    const exporter = await spawnChild('exporter', file, accounts, positions);
    stops.push(async () => exporter.kill('SIGTERM'));
    const bridge = await spawnChild('bridge', file, 0, 0);
    stops.push(async () => bridge.kill('SIGTERM'));
    const prom = await startPrometheus({
      config: promYaml,
      dir: generated,
      port: ports.prometheus,
      storagePath: path.join(dir, 'prom-data'),
    });
    stops.push(() => prom.stop());
    await waitFor(
      'Prometheus scraping the exporter',
      async () => (await promQuery(prom.url, `up{job="${JOBS.exporter}"} == 1`)).length === 1,
      {
        timeoutMs: 30_000,
        intervalMs: 200,
      },
    );
    await sleep(WARMUP_S * 1000);
    const procs = { Prometheus: prom.child.pid!, Alertmanager: am.child.pid!, exporter: exporter.pid!, bridge: bridge.pid! };
    const before = Object.fromEntries(Object.entries(procs).map(([k, pid]) => [k, procStat(pid)]));
    const started = performance.now();
    await sleep(WINDOW_S * 1000);
    const seconds = (performance.now() - started) / 1000;
    const result: Record<string, { cpu: number; rssMiB: number; hwmMiB: number }> = {};
    for (const [k, pid] of Object.entries(procs)) {
      const after = procStat(pid);
      result[k] = {
        cpu: ((after.cpuTicks - before[k].cpuTicks) / CLK_TCK / seconds) * 100,
        rssMiB: after.rssKiB / 1024,
        hwmMiB: after.hwmKiB / 1024,
      };
    }
    const durations = await promQuery(
      prom.url,
      `max by (job) (max_over_time(scrape_duration_seconds{job=~"${JOBS.exporter}|${POSITIONS_JOB}"}[${WINDOW_S + WARMUP_S}s]))`,
    );
    const scrapeMax = durations.map((d) => `${d.metric.job} ${(Number(d.value[1]) * 1000).toFixed(0)} ms`).join(', ');
    return { result, scrapeMax };
  } finally {
    for (const stop of stops.reverse()) await stop().catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
  }
}

async function costPart(): Promise<string[]> {
  const rows: string[] = [];
  const notes: string[] = [];
  for (const [accounts, positions] of [
    [1, 20],
    [10, 1000],
  ]) {
    for (const old of [true, false]) {
      const { result, scrapeMax } = await costRun(old, accounts, positions);
      const d = checkConfigText('', 'defaults.toml').config!;
      const label = old
        ? 'previous (5 s / 5 s / 10 s / 60 s, one exporter job)'
        : `new (${d.prometheus.scrape_interval_seconds} s / ${d.prometheus.evaluation_interval_seconds} s / ${d.alertmanager.group_wait_seconds} s / ${d.alertmanager.group_interval_seconds} s, positions every ${d.prometheus.position_scrape_interval_seconds} s)`;
      for (const [part, r] of Object.entries(result))
        rows.push(
          `| ${accounts} × ${positions} | ${label} | ${part} | ${r.cpu.toFixed(1)} % | ${r.rssMiB.toFixed(0)} MiB | ${r.hwmMiB.toFixed(0)} MiB |`,
        );
      notes.push(`${accounts} × ${positions}, ${old ? 'previous' : 'new'}: slowest exporter scrape in the window ${scrapeMax}`);
    }
  }
  return [
    '#### Cost: CPU and memory',
    '',
    `Each part its own process (exporter and bridge: Node, the exporter fed through its gateway sink with 10 % of the positions repriced every second, no gateway), Prometheus and Alertmanager from the generated files; ${WARMUP_S} s to settle, then CPU over ${WINDOW_S} s from /proc/<pid>/stat (utime + stime; 100 % = one core) and memory from /proc/<pid>/status at the end (VmRSS; VmHWM is the peak).`,
    '',
    '| accounts × positions | defaults | process | CPU | RSS | peak RSS |',
    '| --- | --- | --- | ---: | ---: | ---: |',
    ...rows,
    '',
    ...notes.map((n) => `- ${n}`),
  ];
}

// Child processes of part 3: one exporter or one bridge, each its own process so /proc tells them apart.
if (process.argv[2] === '--child') {
  const [, , , what, file, accounts, positions] = process.argv;
  const loaded = loadConfig(file);
  if (what === 'exporter') {
    const exporter = await startExporter(loaded, { logger: silentLogger, connect: false });
    setInterval(feed(exporter.sink, Number(accounts), Number(positions)), 1000);
  } else {
    await startBridge(loaded, { logger: quiet, watchdogCheckMs: 0 });
  }
  process.stdout.write('ready\n');
  process.on('SIGTERM', () => process.exit(0));
} else {
  await main();
}
