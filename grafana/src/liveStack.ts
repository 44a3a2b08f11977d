/**
 * A live monitoring stack on loopback for end-to-end checks of the dashboards and the panel:
 * the IB Gateway emulator, the exporter connected to it through the real TWS protocol, and a
 * real Prometheus scraping the exporter with the generated recording and alert rules.
 */
import { createHash } from 'node:crypto';
import { checkConfigText, type Config } from '@traderadmin/config';
import { startEmulator, silentLogger, type Emulator } from '@traderadmin/emulator';
import { startExporter, silentLogger as exporterSilent, type RunningExporter } from '@traderadmin/exporter';
import { generate, JOBS } from '@traderadmin/rules-gen';
import { freePort, startPrometheus, waitFor, promQuery, type ManagedProcess } from '@traderadmin/test-support';

/** Options of {@link startLiveStack}. */
export interface LiveStackOptions {
  /** @default 'DU1234567' */
  account?: string;
  /** Emulator seed. @default 7 */
  seed?: number;
  /** Prometheus scrape and rule evaluation interval in seconds (production uses 5). @default 1 */
  scrapeIntervalSeconds?: number;
  /** Mean seconds between the emulator strategy's orders (fills for the trade markers). @default 4 */
  tradeIntervalSeconds?: number;
}

/** A running stack; `stop()` ends every part it started. */
export interface LiveStack {
  account: string;
  prometheusUrl: string;
  exporterUrl: string;
  emulator: Emulator;
  exporter: RunningExporter;
  prometheus: ManagedProcess;
  config: Config;
  stop(): Promise<void>;
}

function configText(o: { account: string; brokerPort: number; exporterPort: number }): string {
  return `
[broker]
mode = "emulator"
host = "127.0.0.1"
port = ${o.brokerPort}
client_id = 17
accounts = ["${o.account}"]
probe_interval_seconds = 1
probe_timeout_seconds = 1
reconnect_min_seconds = 0.5
reconnect_max_seconds = 1

[exporter]
listen = "127.0.0.1:${o.exporterPort}"
`;
}

/**
 * Starts emulator, exporter and Prometheus, and waits until Prometheus has the account's
 * equity. Everything binds 127.0.0.1 on free ports; on failure whatever started is stopped.
 */
export async function startLiveStack(options: LiveStackOptions = {}): Promise<LiveStack> {
  const account = options.account ?? 'DU1234567';
  const scrape = options.scrapeIntervalSeconds ?? 1;
  const stops: Array<() => Promise<void>> = [];
  const stop = async () => {
    for (const s of stops.reverse()) await s().catch(() => undefined);
  };
  try {
    const exporterPort = await freePort();
    const emulator = await startEmulator({
      port: 0,
      accounts: [account],
      seed: options.seed ?? 7,
      tickIntervalMs: 500,
      tradeIntervalSeconds: options.tradeIntervalSeconds ?? 4,
      // Order round trips reach the exporter's events API, so the latency panels have data.
      eventsUrl: `http://127.0.0.1:${exporterPort}/api/v1/events`,
      logger: silentLogger,
    });
    stops.push(() => emulator.close());

    const text = configText({ account, brokerPort: emulator.port, exporterPort });
    const { config, problems } = checkConfigText(text, 'live-stack.toml', { env: {} });
    if (!config) throw new Error(`live stack config invalid: ${problems.map((p) => `${p.path}: ${p.message}`).join('; ')}`);
    const exporter = await startExporter(config, { logger: exporterSilent });
    stops.push(() => exporter.close());
    await waitFor('exporter ready', async () => (await fetch(`${exporter.url}/readyz`)).status === 200, { timeoutMs: 20_000 });

    // The generated rules, so recording rules the dashboards read (account:trader_win_rate_today:ratio, ...) exist.
    const sha256 = createHash('sha256').update(text).digest('hex');
    const rules = generate({ config, sha256, file: 'live-stack.toml' }, { env: {} }).get('rules.yml')?.content;
    if (!rules) throw new Error('rules-gen produced no rules.yml');
    const prometheus = await startPrometheus({
      config: [
        'global:',
        `  scrape_interval: ${scrape}s`,
        `  evaluation_interval: ${scrape}s`,
        'rule_files: [rules.yml]',
        'scrape_configs:',
        `  - job_name: ${JOBS.exporter}`,
        '    static_configs:',
        `      - targets: ['${new URL(exporter.url).host}']`,
        '',
      ].join('\n'),
      files: { 'rules.yml': rules },
    });
    stops.push(() => prometheus.stop());
    await waitFor(
      'trader_equity in Prometheus',
      async () => (await promQuery(prometheus.url, `trader_equity{account="${account}"}`)).length > 0,
      {
        timeoutMs: 30_000,
        intervalMs: 250,
      },
    );
    return { account, prometheusUrl: prometheus.url, exporterUrl: exporter.url, emulator, exporter, prometheus, config, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
