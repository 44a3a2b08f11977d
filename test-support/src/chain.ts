/**
 * The one builder of test and bench stacks: it starts the loopback peers a caller names, writes
 * its config.toml (the caller's tables over the free ports picked here and the peers' channel
 * tables), then starts the parts it asks for in chain order: emulator, exporter, alert bridge
 * (in process or as the `traderadmin bridge` child), Alertmanager and Prometheus on the
 * generated files. stop() stops everything in reverse order; a failed start stops what had
 * started before it throws. features/support/chain.ts, alert-bridge/test/stormKit.ts,
 * rules-gen/test/cluster.test.ts, bench/alert-bridge.ts and bench/latency/ build on it.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { stringify } from 'smol-toml';
import { CHANNELS, loadConfig, type ChannelName, type LoadedConfig } from '@traderadmin/config';
import type { GenerateOptions, GeneratedFiles } from '@traderadmin/rules-gen';
import { silentLogger } from '@traderadmin/kit';
import type { Emulator, EmulatorOptions } from '@traderadmin/emulator';
import type { ExporterDeps, RunningExporter } from '@traderadmin/exporter';
import type { BridgeDeps, RunningBridge } from '@traderadmin/alert-bridge';
import { startBridgeProcess, type BridgeProcess } from './bridgeProcess.js';
import { freePort } from './ports.js';
import { startAlertmanager, startPrometheus, type AlertmanagerOptions, type ManagedProcess, type PrometheusOptions } from './processes.js';
import { startGeneratedStack } from './stack.js';
import {
  peerChannels,
  startDiscordPeer,
  startPagerDutyPeer,
  startSlackPeer,
  startSmtpPeer,
  startTelegramPeer,
  startTwilioPeer,
  startWebhookPeer,
  type TomlTable,
} from './peers/index.js';

/** Each channel's peer, keyed by the channel it stands in for (typed by channel: tsc fails when one is missing). */
export const PEER_STARTERS = {
  email: startSmtpPeer,
  slack: startSlackPeer,
  sms: startTwilioPeer,
  webhook: startWebhookPeer,
  telegram: startTelegramPeer,
  discord: startDiscordPeer,
  pagerduty: startPagerDutyPeer,
} satisfies Record<ChannelName, (options?: never) => Promise<{ stop(): Promise<void> }>>;

export type PeerOf = { [C in ChannelName]: Awaited<ReturnType<(typeof PEER_STARTERS)[C]>> };
/** Peers to start, by channel, each with its peer's options ({} for the defaults). */
export type PeerSpecs = { [C in ChannelName]?: NonNullable<Parameters<(typeof PEER_STARTERS)[C]>[0]> };
export type StartedPeers<P extends PeerSpecs> = { [C in keyof P]: C extends ChannelName ? PeerOf[C] : never };

/** Free loopback ports picked for every part; the config names those of the parts started. */
export interface ChainPorts {
  gateway: number;
  exporter: number;
  bridge: number;
  alertmanager: number;
  prometheus: number;
  console: number;
}

export interface ChainSpec<P extends PeerSpecs> {
  /** Scratch folder: config.toml, generated/, data folders. The caller removes it. */
  dir: string;
  peers?: P;
  /**
   * config.toml tables, merged over the chain's: the listen address of every part started,
   * broker.port, alert_bridge.data_dir, and each started peer's channel table (enabled).
   */
  config?: TomlTable;
  /** Added to process.env and the peers' secrets (env: references of the config). */
  env?: NodeJS.ProcessEnv;
  /** Start the emulator on broker.port; `eventsToExporter` sends its order_latency events to the chain's exporter. */
  emulator?: Omit<EmulatorOptions, 'port' | 'eventsUrl'> & { eventsToExporter?: boolean };
  exporter?: ExporterDeps | true;
  /** The bridge in process (its deps), or `{ process }`: `traderadmin bridge` as a child, each output line to onLine. */
  bridge?: BridgeDeps | true | { process: { onLine?: (line: string) => void } };
  alertmanager?: boolean;
  /** Prometheus (with Alertmanager) on the generated files; args: more flags. */
  prometheus?: { args?: string[] } | true;
  /** Reserve alerts_page.listen for a console the caller starts. */
  console?: boolean;
  generate?: GenerateOptions;
}

const isTable = (v: unknown): v is TomlTable => typeof v === 'object' && v !== null && !Array.isArray(v);

/** `over` merged into `base`, table by table; arrays and values are replaced. */
export function mergeTables(base: TomlTable, over: TomlTable): TomlTable {
  const out: TomlTable = { ...base };
  for (const [key, value] of Object.entries(over)) {
    const had = out[key];
    out[key] = isTable(had) && isTable(value) ? mergeTables(had, value) : value;
  }
  return out;
}

const sleep = (seconds: number) => new Promise((r) => setTimeout(r, seconds * 1000));

/** A started chain: what runs, where, and how to restart or stop it. */
export class RunningChain<P extends PeerSpecs = PeerSpecs> {
  emulator?: Emulator;
  exporter?: RunningExporter;
  bridge?: RunningBridge;
  /** The bridge child, when spec.bridge.process. */
  bridgeProcess?: BridgeProcess;
  /** Restarts replace these two: read them again after one. */
  alertmanager?: ManagedProcess;
  prometheus?: ManagedProcess;
  files?: GeneratedFiles;
  /** Where the bridge listens, in process or child. */
  readonly bridgeUrl: string;
  private alertmanagerOptions?: AlertmanagerOptions;
  private prometheusOptions?: PrometheusOptions;
  private readonly stops: Array<() => Promise<unknown>> = [];

  private constructor(
    private readonly spec: ChainSpec<P>,
    readonly configFile: string,
    readonly loaded: LoadedConfig,
    /** process.env, the peers' secrets and the spec's env: what the parts were started with. */
    readonly env: NodeJS.ProcessEnv,
    readonly ports: ChainPorts,
    readonly peers: StartedPeers<P>,
  ) {
    this.bridgeUrl = `http://${loaded.config.alert_bridge.listen}`;
  }

  get dir(): string {
    return this.spec.dir;
  }

  /** Starts what `spec` asks for; on a failed start, stops what had started and throws. */
  static async start<P extends PeerSpecs = Record<never, never>>(spec: ChainSpec<P>): Promise<RunningChain<P>> {
    const stops: Array<() => Promise<unknown>> = [];
    let chain: RunningChain<P> | undefined;
    try {
      const peers = await startPeers(spec.peers ?? {}, stops);
      const ports: ChainPorts = {
        gateway: await freePort(),
        exporter: await freePort(),
        bridge: await freePort(),
        alertmanager: await freePort(),
        prometheus: await freePort(),
        console: await freePort(),
      };
      const channels = peerChannels(peers);
      const env: NodeJS.ProcessEnv = { ...process.env, ...channels.env, ...spec.env };
      mkdirSync(spec.dir, { recursive: true });
      const configFile = path.join(spec.dir, 'config.toml');
      writeFileSync(configFile, stringify(mergeTables(chainTables(spec, ports, channels.tables), spec.config ?? {})));
      const loaded = loadConfig(configFile, { env });
      chain = new RunningChain(spec, configFile, loaded, env, ports, peers as StartedPeers<P>);
      chain.stops.push(...stops);
      await chain.startParts();
      return chain;
    } catch (error) {
      if (chain) await chain.stop();
      else for (const s of stops.reverse()) await s().catch(() => undefined);
      throw error;
    }
  }

  private async startParts(): Promise<void> {
    const { spec, loaded, env, ports } = this;
    if (spec.emulator) {
      const { eventsToExporter, ...options } = spec.emulator;
      const { startEmulator } = await import('@traderadmin/emulator');
      const emulator = (this.emulator = await startEmulator({
        ...options,
        port: ports.gateway,
        eventsUrl: eventsToExporter ? `http://${loaded.config.exporter.listen}/api/v1/events` : undefined,
      }));
      this.stops.push(() => emulator.close());
    }
    if (spec.exporter) {
      // Imported only when asked: a bridge-only stack never loads @stoqey/ib.
      const { startExporter } = await import('@traderadmin/exporter');
      const deps = spec.exporter === true ? {} : spec.exporter;
      const exporter = (this.exporter = await startExporter(loaded, { logger: silentLogger, env, ...deps }));
      this.stops.push(() => exporter.close());
    }
    if (isProcessBridge(spec.bridge)) {
      await this.startBridgeProcess();
      this.stops.push(() => this.killBridge('SIGTERM'));
    } else if (spec.bridge) {
      const { startBridge } = await import('@traderadmin/alert-bridge');
      const deps = spec.bridge === true ? {} : spec.bridge;
      const bridge = (this.bridge = await startBridge(loaded, { env, logger: silentLogger, watchdogCheckMs: 0, ...deps }));
      this.stops.push(() => bridge.close());
    }
    if (spec.alertmanager || spec.prometheus) {
      const stack = await startGeneratedStack(loaded, spec.dir, {
        alertmanagerPort: ports.alertmanager,
        prometheusPort: spec.prometheus ? ports.prometheus : undefined,
        prometheusArgs: spec.prometheus === true ? undefined : spec.prometheus?.args,
        generate: { env, ...spec.generate },
      });
      this.files = stack.files;
      this.alertmanager = stack.alertmanager;
      this.alertmanagerOptions = stack.alertmanagerOptions;
      this.prometheus = stack.prometheus;
      this.prometheusOptions = stack.prometheusOptions;
      // Whichever runs at the end: a restart replaces them.
      this.stops.push(
        () => this.alertmanager!.stop(),
        async () => this.prometheus?.stop(),
      );
    }
  }

  /** Stops Alertmanager (SIGTERM: it saves silences and its notification log) and starts it again on the same port and data. */
  async restartAlertmanager(downSeconds = 0): Promise<void> {
    await this.alertmanager!.stop();
    await sleep(downSeconds);
    this.alertmanager = await startAlertmanager(this.alertmanagerOptions!);
  }

  /** Stops Prometheus (SIGTERM) and starts it again: same port, data folder and rules. */
  async restartPrometheus(downSeconds = 0): Promise<void> {
    await this.prometheus!.stop();
    await sleep(downSeconds);
    this.prometheus = await startPrometheus(this.prometheusOptions!);
  }

  /** Starts the bridge child (again, after killBridge) on the same port and data folder. */
  async startBridgeProcess(): Promise<void> {
    const onLine = isProcessBridge(this.spec.bridge) ? this.spec.bridge.process.onLine : undefined;
    this.bridgeProcess = await startBridgeProcess({
      configFile: this.configFile,
      cwd: this.dir,
      env: this.env,
      url: this.bridgeUrl,
      onLine,
    });
  }

  /** Kills the bridge child (SIGKILL by default: no chance to finish anything) and waits for it to exit. */
  async killBridge(signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
    await this.bridgeProcess?.kill(signal);
  }

  /** Registers the stop of something the caller started on top of the chain: it runs before the chain's own. */
  defer(stop: () => Promise<unknown>): void {
    this.stops.push(stop);
  }

  /** Stops everything, last started first. */
  async stop(): Promise<void> {
    for (const stop of this.stops.reverse()) await stop().catch(() => undefined);
    this.stops.length = 0;
  }
}

const isProcessBridge = (b: ChainSpec<PeerSpecs>['bridge']): b is { process: { onLine?: (line: string) => void } } =>
  typeof b === 'object' && 'process' in b;

async function startPeers(specs: PeerSpecs, stops: Array<() => Promise<unknown>>): Promise<Partial<PeerOf>> {
  const peers: Record<string, { stop(): Promise<void> }> = {};
  for (const channel of CHANNELS) {
    const options = specs[channel];
    if (!options) continue;
    const peer = await (PEER_STARTERS[channel] as (o: unknown) => Promise<{ stop(): Promise<void> }>)(options);
    peers[channel] = peer;
    stops.push(() => peer.stop());
  }
  return peers as Partial<PeerOf>;
}

/** The chain's own tables: the listen address of each part started, and each peer's channel. */
function chainTables(spec: ChainSpec<PeerSpecs>, ports: ChainPorts, channels: Record<string, TomlTable>): TomlTable {
  const listen = (port: number) => `127.0.0.1:${port}`;
  return {
    ...(Object.keys(channels).length ? { alerts_config: { notifications: channels } } : {}),
    ...(spec.emulator ? { broker: { port: ports.gateway } } : {}),
    ...(spec.exporter ? { exporter: { listen: listen(ports.exporter) } } : {}),
    ...(spec.prometheus ? { prometheus: { listen: listen(ports.prometheus) } } : {}),
    ...(spec.alertmanager || spec.prometheus ? { alertmanager: { listen: listen(ports.alertmanager) } } : {}),
    ...(spec.bridge ? { alert_bridge: { listen: listen(ports.bridge), data_dir: 'bridge-data' } } : {}),
    ...(spec.console ? { alerts_page: { listen: listen(ports.console) } } : {}),
  };
}
