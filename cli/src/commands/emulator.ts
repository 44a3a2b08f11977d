/**
 * `traderadmin emulator`: runs the IB Gateway emulator in the foreground until SIGINT or
 * SIGTERM, printing where the gateway and its control API listen. With --config, defaults
 * come from [emulator] (and broker.host/port, trading.timezone, exporter.events_token).
 */
import { Command, InvalidArgumentError } from 'commander';
import {
  apiToken,
  ConfigError,
  formatProblem,
  isLoopbackHost,
  loadConfig,
  parseListen,
  type Config,
  type LoadedConfig,
} from '@traderadmin/config';
import { MAX_SERVER_VERSION, MIN_SERVER_VERSION, startEmulator, type EmulatorOptions } from '@traderadmin/emulator';
import { serviceLogger } from '../logging.js';
import { paint, type Output } from '../output.js';
import { closeOnSignal } from '../signals.js';

interface EmulatorFlags {
  listen?: string;
  control?: string;
  seed?: number;
  serverVersion?: number;
  accounts?: string[];
  eventsUrl?: string;
  startingCash?: number;
  tickIntervalMs?: number;
  tradeIntervalSeconds?: number;
  positions?: number;
  config?: string;
  verbose?: boolean;
}

const DEFAULT_LISTEN = '127.0.0.1:4002';
const DEFAULT_CONTROL = '127.0.0.1:4010';

function listenArg(value: string): { host: string; port: number } {
  const parsed = parseListen(value);
  if (!parsed) throw new InvalidArgumentError(`"${value}" is not HOST:PORT (for example "127.0.0.1:4002")`);
  return parsed;
}

/** Validates HOST:PORT at parse time, so that commander reports it like any bad flag. */
function listenFlag(value: string): string {
  listenArg(value);
  return value;
}

function intArg(min: number, max: number) {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < min || n > max)
      throw new InvalidArgumentError(`expected an integer from ${min} to ${max}, got "${value}"`);
    return n;
  };
}

function numArg(min: number) {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isFinite(n) || n < min) throw new InvalidArgumentError(`expected a number >= ${min}, got "${value}"`);
    return n;
  };
}

function accountsArg(value: string): string[] {
  const list = value
    .split(',')
    .map((a) => a.trim())
    .filter(Boolean);
  if (list.length === 0) throw new InvalidArgumentError('expected one or more account ids, e.g. DU1234567,DU7654321');
  for (const a of list) if (!/^[A-Za-z0-9]+$/.test(a)) throw new InvalidArgumentError(`"${a}" is not an account id (letters and digits)`);
  return list;
}

/** The emulator's settings: flags first, then the config file, then the built-in defaults. */
export function emulatorSettings(
  flags: EmulatorFlags,
  config?: Config,
  loaded?: LoadedConfig,
): { options: EmulatorOptions; control: { host: string; port: number } } {
  const gateway = listenArg(flags.listen ?? (config ? `${config.broker.host}:${config.broker.port}` : DEFAULT_LISTEN));
  const control = listenArg(flags.control ?? config?.emulator.control_listen ?? DEFAULT_CONTROL);
  const e = config?.emulator;
  return {
    options: {
      host: gateway.host,
      port: gateway.port,
      accounts: flags.accounts ?? (e ? [...e.accounts] : undefined),
      seed: flags.seed ?? e?.seed,
      serverVersion: flags.serverVersion ?? e?.server_version,
      startingCash: flags.startingCash ?? e?.starting_cash,
      tickIntervalMs: flags.tickIntervalMs ?? e?.tick_interval_ms,
      tradeIntervalSeconds: flags.tradeIntervalSeconds ?? e?.trade_interval_seconds,
      positions: flags.positions ?? e?.positions,
      timeZone: config?.trading.timezone,
      eventsUrl: flags.eventsUrl,
      // exporter.events_token, else the local token of `traderadmin up` (found from the config file).
      eventsToken: loaded ? apiToken(loaded, 'events') : config?.exporter.events_token?.reveal(),
    },
    control,
  };
}

export function emulatorCommand(o: Output, setExit: (code: number) => void): Command {
  return new Command('emulator')
    .description('run the IB Gateway emulator (TWS API on loopback, simulated paper account, control API) until Ctrl-C')
    .option(
      '--listen <host:port>',
      `where the gateway listens (default: broker.host:broker.port with --config, else ${DEFAULT_LISTEN})`,
      listenFlag,
    )
    .option(
      '--control <host:port>',
      `where the control API listens (default: emulator.control_listen, else ${DEFAULT_CONTROL})`,
      listenFlag,
    )
    .option('--seed <n>', 'random seed: the same seed gives the same prices and trades', intArg(0, 2 ** 31 - 1))
    .option(
      '--server-version <v>',
      `TWS API server version (${MIN_SERVER_VERSION}..${MAX_SERVER_VERSION})`,
      intArg(MIN_SERVER_VERSION, MAX_SERVER_VERSION),
    )
    .option('--accounts <a,b>', 'simulated paper accounts, comma-separated', accountsArg)
    .option('--events-url <url>', "post order round trips to this events API (the exporter's /api/v1/events)")
    .option('--starting-cash <n>', 'cash each account starts with', numArg(1))
    .option('--tick-interval-ms <n>', 'how often prices move', intArg(10, 60_000))
    .option('--trade-interval-seconds <n>', 'mean time between built-in strategy orders; 0 disables it', numArg(0))
    .option('--positions <n>', 'open positions each account holds at start (load tests)', intArg(0, 10_000))
    .option('-c, --config <file>', 'config.toml to take defaults from ([emulator], broker.host/port)')
    .option('-v, --verbose', 'log debug details (requests ignored, events API failures)')
    .action(async (flags: EmulatorFlags) => {
      let config: Config | undefined;
      let loaded: LoadedConfig | undefined;
      if (flags.config) {
        try {
          loaded = loadConfig(flags.config);
          config = loaded.config;
        } catch (error) {
          if (!(error instanceof ConfigError)) throw error;
          for (const p of error.problems) o.err(paint(o, 'red', formatProblem(p)));
          setExit(1);
          return;
        }
      }
      const { options, control } = emulatorSettings(flags, config, loaded);
      if (flags.eventsUrl) {
        try {
          new URL(flags.eventsUrl);
        } catch {
          o.err(paint(o, 'red', `--events-url: "${flags.eventsUrl}" is not a URL`));
          setExit(2);
          return;
        }
      }
      for (const [what, host] of [
        ['gateway', options.host!],
        ['control API', control.host],
      ] as const) {
        if (!isLoopbackHost(host))
          o.err(
            paint(o, 'yellow', `warning: the emulator ${what} listens on ${host}, beyond loopback; the control API has no authentication`),
          );
      }
      let emu;
      try {
        emu = await startEmulator({
          ...options,
          logger: serviceLogger(loaded, { verbose: flags.verbose, secrets: [options.eventsToken] }),
        });
      } catch (error) {
        o.err(paint(o, 'red', `emulator: cannot start the gateway on ${options.host}:${options.port}: ${(error as Error).message}`));
        setExit(1);
        return;
      }
      let controlServer;
      try {
        controlServer = await emu.startControlServer(control);
      } catch (error) {
        await emu.close();
        o.err(paint(o, 'red', `control API: cannot listen on ${control.host}:${control.port}: ${(error as Error).message}`));
        setExit(1);
        return;
      }
      const state = emu.control.state();
      o.out(
        `IB Gateway emulator listening on ${emu.host}:${emu.port} (server version ${state.serverVersion}, accounts ${state.accounts.map((a) => a.account).join(', ')})`,
      );
      o.out(`control API on ${controlServer.url}/control (GET ${controlServer.url}/control/state)`);
      if (options.eventsUrl) o.out(`posting order round trips to ${options.eventsUrl}`);
      o.out('press Ctrl-C to stop');
      await closeOnSignal(o, 'the emulator', () => emu.close());
      setExit(0);
    });
}
