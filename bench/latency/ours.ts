/** bench/latency.ts part 2, our chain: the peers, the emulator, one exporter, the bridge, and Prometheus and Alertmanager on the generated files. */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { loadConfig, type LoadedConfig } from '@traderadmin/config';
import { startEmulator } from '@traderadmin/emulator';
import { silentLogger, startExporter, type RunningExporter } from '@traderadmin/exporter';
import { startBridge } from '@traderadmin/alert-bridge';
import {
  freePort,
  peerChannelsToml,
  startGeneratedStack,
  startSlackPeer,
  startSmtpPeer,
  startWebhookPeer,
  type ManagedProcess,
} from '@traderadmin/test-support';
import type { Stops } from '../kit/scratch.js';

export interface OurChain {
  /** The sinks; the stock chain sends to the SMTP and webhook peers too (its webhook on another path). */
  smtp: Awaited<ReturnType<typeof startSmtpPeer>>;
  webhook: Awaited<ReturnType<typeof startWebhookPeer>>;
  slack: Awaited<ReturnType<typeof startSlackPeer>>;
  exporter: RunningExporter;
  prometheus: ManagedProcess;
  /** The generated files' folder and prometheus.yml, which the stock Prometheus reuses. */
  generated: string;
  promYaml: string;
  config: LoadedConfig['config'];
}

export async function startOurChain(dir: string, stops: Stops): Promise<OurChain> {
  const smtp = await startSmtpPeer();
  stops.push(() => smtp.stop());
  const webhook = await startWebhookPeer();
  stops.push(() => webhook.stop());
  const slack = await startSlackPeer();
  stops.push(() => slack.stop());
  const ports = { exporter: await freePort(), bridge: await freePort(), prometheus: await freePort(), alertmanager: await freePort() };
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
  const exporter = await startExporter(loaded, { logger: silentLogger });
  stops.push(() => exporter.close());
  const bridge = await startBridge(loaded, { logger: silentLogger, watchdogCheckMs: 0 });
  stops.push(() => bridge.close());
  const stack = await startGeneratedStack(loaded, dir, { alertmanagerPort: ports.alertmanager, prometheusPort: ports.prometheus });
  stops.push(stack.stop);
  return {
    smtp,
    webhook,
    slack,
    exporter,
    prometheus: stack.prometheus!,
    generated: stack.generated,
    promYaml: stack.files.get('prometheus.yml')!.content,
    config: loaded.config,
  };
}
