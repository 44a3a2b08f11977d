/** bench/latency.ts part 2, our chain: test-support's RunningChain with the peers, the emulator, one exporter, the bridge, Alertmanager and Prometheus. */
import type { LoadedConfig } from '@traderadmin/config';
import type { RunningExporter } from '@traderadmin/exporter';
import { RunningChain, type ManagedProcess, type PeerOf } from '@traderadmin/test-support';
import type { Stops } from '../kit/scratch.js';

export interface OurChain {
  /** The sinks; the stock chain sends to the SMTP and webhook peers too (its webhook on another path). */
  smtp: PeerOf['email'];
  webhook: PeerOf['webhook'];
  slack: PeerOf['slack'];
  exporter: RunningExporter;
  prometheus: ManagedProcess;
  /** The generated files' folder and prometheus.yml, which the stock Prometheus reuses. */
  generated: string;
  promYaml: string;
  config: LoadedConfig['config'];
}

/** Only what differs from config.example.toml: loopback ports (the chain's) and the peers. */
export async function startOurChain(dir: string, stops: Stops): Promise<OurChain> {
  const chain = await RunningChain.start({
    dir,
    peers: { email: {}, slack: {}, webhook: {} },
    config: { broker: { accounts: ['DU1234567'] } },
    emulator: { accounts: ['DU1234567'], seed: 11, tradeIntervalSeconds: 0, eventsToExporter: true },
    exporter: true,
    bridge: true,
    prometheus: true,
  });
  stops.push(() => chain.stop());
  return {
    smtp: chain.peers.email,
    webhook: chain.peers.webhook,
    slack: chain.peers.slack,
    exporter: chain.exporter!,
    prometheus: chain.prometheus!,
    // startGeneratedStack runs Prometheus in the generated folder.
    generated: chain.prometheus!.dir,
    promYaml: chain.files!.get('prometheus.yml')!.content,
    config: chain.loaded.config,
  };
}
