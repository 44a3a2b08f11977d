/**
 * `traderadmin up`: the whole local stack in the foreground — the IB Gateway emulator (unless a
 * real gateway is configured), the exporter, the alert bridge, Prometheus and Alertmanager with
 * generated configuration — until Ctrl-C, which stops everything cleanly. A part that dies is
 * restarted (stack/supervisor.ts); up's own /metrics count the restarts. The emulator runs
 * inside this process (stack/emulator.ts says why); every other part is a child.
 */
import { Command } from 'commander';
import { copyFileSync, existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';
import {
  ConfigError,
  LOCAL_TOKEN_ENV,
  engineAuthorization,
  enginePassword,
  ensureLocalToken,
  formatProblem,
  loadConfig,
  parseListen,
  tokenFileIn,
  type Config,
  type LoadedConfig,
} from '@traderadmin/config';
import { WEB_CONFIG_FILE } from '@traderadmin/rules-gen';
import { paint, type Output } from '../output.js';
import { BIN, CONFIG_ENV, CONFIG_HELP, EXAMPLE_CONFIG, dataDirFor, defaultConfig } from '../paths.js';
import { startStackEmulator } from '../stack/emulator.js';
import { servePartMetrics } from '../stack/metrics.js';
import { httpReady, Supervisor, type ServiceSpec } from '../stack/supervisor.js';

const PROMETHEUS_BIN = process.env.PROMETHEUS_BIN ?? 'prometheus';
const ALERTMANAGER_BIN = process.env.ALERTMANAGER_BIN ?? 'prometheus-alertmanager';

interface UpOptions {
  config: string;
  dataDir?: string;
}

const url = (listen: string) => {
  const { host, port } = parseListen(listen)!;
  return `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
};

/** The listen addresses this stack will bind, with the config key that sets each. */
function listenAddresses(config: Config): Array<{ key: string; listen: string }> {
  const list = [
    { key: 'exporter.listen', listen: config.exporter.listen },
    { key: 'alert_bridge.listen', listen: config.alert_bridge.listen },
    { key: 'prometheus.listen', listen: config.prometheus.listen },
    { key: 'alertmanager.listen', listen: config.alertmanager.listen },
    { key: 'alerts_page.listen', listen: config.alerts_page.listen },
    { key: 'supervisor.listen', listen: config.supervisor.listen },
  ];
  if (config.broker.mode === 'emulator') {
    list.push({ key: 'broker.port', listen: `${config.broker.host}:${config.broker.port}` });
    list.push({ key: 'emulator.control_listen', listen: config.emulator.control_listen });
  }
  if (config.alertmanager.cluster_listen) list.push({ key: 'alertmanager.cluster_listen', listen: config.alertmanager.cluster_listen });
  return list;
}

function portFree(listen: string): Promise<boolean> {
  const { host, port } = parseListen(listen)!;
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, host, () => server.close(() => resolve(true)));
  });
}

/** Every address that is taken, with what to do about it. */
export async function busyAddresses(config: Config): Promise<string[]> {
  const busy: string[] = [];
  for (const { key, listen } of listenAddresses(config)) {
    if (!(await portFree(listen))) {
      const system =
        key.startsWith('prometheus') || key.startsWith('alertmanager')
          ? ' (a system service installed by apt? stop it with: systemctl stop prometheus prometheus-alertmanager)'
          : '';
      busy.push(`${listen} (${key}) is already in use${system}; stop what uses it or change ${key} in the config`);
    }
  }
  return busy;
}

/** The services of the stack, in start order. */
export function stackServices(loaded: LoadedConfig, dataDir: string, commands: ReadonlySet<string>): ServiceSpec[] {
  const { config } = loaded;
  const node = (name: string, args: string[], ready: ServiceSpec['ready'], at?: string): ServiceSpec => ({
    name,
    command: process.execPath,
    args: [BIN, ...args],
    ready,
    url: at,
  });
  const generated = path.join(dataDir, 'generated');
  // The emulator, in emulator mode, runs inside up itself (stack/emulator.ts), not here.
  const services: ServiceSpec[] = [];
  // One of ours: `traderadmin <name> --config <file>`, ready once its /healthz answers.
  const ours = (name: string, listen: string, shown = url(listen)) =>
    node(name, [name, '--config', loaded.file], httpReady(`${url(listen)}/healthz`), shown);
  services.push(ours('exporter', config.exporter.listen, `${url(config.exporter.listen)}/metrics`));
  if (commands.has('bridge')) services.push(ours('bridge', config.alert_bridge.listen));
  if (commands.has('page')) services.push(ours('page', config.alerts_page.listen));
  // Their own APIs ask for basic auth (the web config generate wrote when there is a token; engineAuth.ts).
  const webConfig = path.join(generated, WEB_CONFIG_FILE);
  const password = existsSync(webConfig) ? enginePassword(loaded) : undefined;
  const webArgs = password ? [`--web.config.file=${webConfig}`] : [];
  const auth = password ? { authorization: engineAuthorization(password) } : undefined;
  const prometheusArgs = [
    `--config.file=${path.join(generated, 'prometheus.yml')}`,
    ...webArgs,
    `--storage.tsdb.path=${path.join(dataDir, 'prometheus')}`,
    `--storage.tsdb.retention.time=${config.prometheus.retention}`,
    `--web.listen-address=${config.prometheus.listen}`,
    // No --web.enable-lifecycle: any local process or web page could POST /-/quit. Reloads go by
    // SIGHUP from this process (see reloadOnHangup).
    '--log.level=warn',
  ];
  if (config.prometheus.external_url) prometheusArgs.push(`--web.external-url=${config.prometheus.external_url}`);
  services.push({
    name: 'prometheus',
    command: PROMETHEUS_BIN,
    args: prometheusArgs,
    cwd: generated,
    ready: httpReady(`${url(config.prometheus.listen)}/-/ready`, auth),
    url: url(config.prometheus.listen),
  });
  const alertmanagerArgs = [
    `--config.file=${path.join(generated, 'alertmanager.yml')}`,
    `--storage.path=${path.join(dataDir, 'alertmanager')}`,
    `--web.listen-address=${config.alertmanager.listen}`,
    ...webArgs,
    `--cluster.listen-address=${config.alertmanager.cluster_listen ?? ''}`,
    ...config.alertmanager.peers.map((peer) => `--cluster.peer=${peer}`),
    '--log.level=warn',
  ];
  if (config.alertmanager.external_url) alertmanagerArgs.push(`--web.external-url=${config.alertmanager.external_url}`);
  services.push({
    name: 'alertmanager',
    command: ALERTMANAGER_BIN,
    args: alertmanagerArgs,
    cwd: generated,
    ready: httpReady(`${url(config.alertmanager.listen)}/-/ready`, auth),
    url: url(config.alertmanager.listen),
  });
  return services;
}

function runToCompletion(command: string, args: string[]): Promise<{ code: number | null; output: string }> {
  return import('node:child_process').then(
    ({ spawn }) =>
      new Promise((resolve) => {
        const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
        let output = '';
        child.stdout.on('data', (d) => (output += d));
        child.stderr.on('data', (d) => (output += d));
        child.on('error', (error) => resolve({ code: null, output: error.message }));
        child.on('close', (code) => resolve({ code, output }));
      }),
  );
}

/**
 * `traderadmin apply` and the page's Apply ask this process to reload Prometheus and
 * Alertmanager: SIGHUP to the pid in data/up.pid, passed on to both (they reload on SIGHUP).
 * Returns the function that removes the pid file and the handler.
 */
function reloadOnHangup(supervisor: Supervisor, pidFile: string, o: Output): () => void {
  writeFileSync(pidFile, `${process.pid}\n`, { mode: 0o600 });
  const onHangup = () => {
    const sent = ['prometheus', 'alertmanager'].filter((name) => supervisor.signal(name, 'SIGHUP'));
    o.out(`SIGHUP: reloading ${sent.join(' and ') || 'nothing (not running)'}`);
  };
  process.on('SIGHUP', onHangup);
  return () => {
    process.off('SIGHUP', onHangup);
    rmSync(pidFile, { force: true });
  };
}

export function upCommand(o: Output, setExit: (code: number) => void): Command {
  return new Command('up')
    .description('run the whole local stack (emulator or gateway, exporter, bridge, Prometheus, Alertmanager) until Ctrl-C')
    .option(
      '-c, --config <file>',
      `${CONFIG_HELP}; created from config/config.example.toml when it is the default and missing`,
      defaultConfig(),
    )
    .option('--data-dir <dir>', 'where generated files and Prometheus/Alertmanager data live (default: data/ beside the config folder)')
    .action(async function (this: Command, opts: UpOptions) {
      if (!existsSync(opts.config) && this.getOptionValueSource('config') === 'default' && !process.env[CONFIG_ENV]) {
        mkdirSync(path.dirname(opts.config), { recursive: true });
        copyFileSync(EXAMPLE_CONFIG, opts.config);
        o.out(`created ${opts.config} from the example: edit it to set your thresholds and channels`);
      }
      let loaded: LoadedConfig;
      try {
        loaded = loadConfig(opts.config);
      } catch (error) {
        if (!(error instanceof ConfigError)) throw error;
        for (const p of error.problems) o.err(formatProblem(p));
        o.err(paint(o, 'red', `✗ ${opts.config} is not valid: nothing was started`));
        return setExit(1);
      }
      for (const w of loaded.warnings) o.err(paint(o, 'yellow', formatProblem(w)));
      const dataDir = path.resolve(opts.dataDir ?? dataDirFor(loaded.file));

      const busy = await busyAddresses(loaded.config);
      if (busy.length > 0) {
        for (const line of busy) o.err(paint(o, 'red', `✗ ${line}`));
        return setExit(1);
      }

      // The local credential: every part and command finds it (here, or through the variable for --data-dir).
      const tokenFile = tokenFileIn(dataDir);
      process.env[LOCAL_TOKEN_ENV] = tokenFile;
      if (ensureLocalToken(tokenFile).created) o.out(`created the local API token ${tokenFile} (readable only by you)`);

      o.out(`generating Prometheus and Alertmanager configuration into ${path.join(dataDir, 'generated')}…`);
      const generation = await runToCompletion(process.execPath, [
        BIN,
        'generate',
        '--config',
        loaded.file,
        '--out',
        path.join(dataDir, 'generated'),
      ]);
      if (generation.code !== 0) {
        o.err(generation.output.trimEnd());
        o.err(paint(o, 'red', '✗ generation failed: nothing was started'));
        return setExit(1);
      }

      const commands = new Set((this.parent?.commands ?? []).map((c) => c.name()));
      const services = stackServices(loaded, dataDir, commands);
      const supervisor = new Supervisor({
        log: (line) => o.out(line),
        crashLoopRestarts: loaded.config.supervisor.crash_loop_restarts,
        crashLoopWindowMs: loaded.config.supervisor.crash_loop_window_seconds * 1000,
      });
      const metricsAt = parseListen(loaded.config.supervisor.listen)!;
      const metricsServer = await servePartMetrics(metricsAt.host, metricsAt.port, () => supervisor.state());
      let emulator: { close(): Promise<void> } | undefined;
      const stopEverything = async () => {
        await supervisor.stopAll();
        await emulator?.close();
        await new Promise((resolve) => metricsServer.close(resolve));
      };
      let interrupted = false;
      const interrupt = new Promise<string>((resolve) => {
        const onSignal = () => {
          if (interrupted) return;
          interrupted = true;
          o.out('stopping…');
          void supervisor.stopAll();
          resolve('');
        };
        process.once('SIGINT', onSignal);
        process.once('SIGTERM', onSignal);
      });
      try {
        if (loaded.config.broker.mode === 'emulator') {
          o.out('starting emulator (in this process)…');
          emulator = await startStackEmulator(loaded, `${url(loaded.config.exporter.listen)}/api/v1/events`, (line) => o.out(line));
        }
        for (const service of services) {
          o.out(`starting ${service.name}…`);
          await supervisor.start(service);
        }
      } catch (error) {
        await stopEverything();
        if (interrupted) return setExit(0);
        o.err(paint(o, 'red', `✗ ${(error as Error).message}: the stack was stopped`));
        return setExit(1);
      }

      const c = loaded.config;
      const account =
        c.broker.mode === 'emulator'
          ? `emulated account${c.emulator.accounts.length > 1 ? 's' : ''} ${c.emulator.accounts.join(', ')}`
          : `gateway ${c.broker.host}:${c.broker.port}`;
      o.out('');
      o.out(paint(o, 'green', `TraderAdmin Monitoring is running (${account})`));
      // performance.now() counts from this process's start, Node's own start-up included.
      o.out(`  ready in ${(performance.now() / 1000).toFixed(1)} s: every part answered`);
      const rows: Array<[string, string | undefined]> = [
        ['Exporter metrics', `${url(c.exporter.listen)}/metrics`],
        ['Account snapshot (JSON)', `${url(c.exporter.listen)}/api/v1/metrics`],
        ['Prometheus', url(c.prometheus.listen)],
        // Debian's Alertmanager ships without its web UI (its root is a blank page): the API answers.
        ['Alertmanager (API)', `${url(c.alertmanager.listen)}/api/v2/alerts`],
        ['Alert bridge', commands.has('bridge') ? url(c.alert_bridge.listen) : undefined],
        ['Console', commands.has('page') ? url(c.alerts_page.listen) : undefined],
        ['Supervisor metrics', `${url(c.supervisor.listen)}/metrics`],
        ['Emulator control API', c.broker.mode === 'emulator' ? `${url(c.emulator.control_listen)}/control/state` : undefined],
        ['Grafana dashboards', 'docker compose up (see README), then http://127.0.0.1:3000'],
      ];
      for (const [what, where] of rows) if (where) o.out(`  ${what.padEnd(26)}${where}`);
      if (existsSync(path.join(dataDir, 'generated', WEB_CONFIG_FILE)))
        o.out(`Prometheus and Alertmanager ask for user traderadmin, password: the token in ${tokenFile}`);
      o.out(`Data in ${dataDir}. Press Ctrl-C to stop.`);
      const pidFile = path.join(dataDir, 'up.pid');
      const stopReloading = reloadOnHangup(supervisor, pidFile, o);

      // A part that dies is restarted by the supervisor: only Ctrl-C / SIGTERM stops the stack.
      await interrupt;
      stopReloading();
      await stopEverything();
      o.out('stopped');
      setExit(0);
    });
}
