/**
 * `traderadmin bridge --config FILE`: runs the alert bridge in the foreground until SIGINT or
 * SIGTERM (graceful: stops taking webhooks, finishes or persists deliveries in flight);
 * SIGHUP reloads the config. Also the small HTTP client that test-alert and silence use.
 */
import { Command } from 'commander';
import { apiToken, ConfigError, formatProblem, loadConfig, type LoadedConfig } from '@traderadmin/config';
import { paint, type Output } from '../output.js';
import { closeOnSignal } from '../signals.js';
import { configOption } from '../paths.js';

/** Loads the config or prints every problem; undefined means "exit 1". */
export function loadOrReport(file: string, o: Output): LoadedConfig | undefined {
  try {
    const loaded = loadConfig(file);
    for (const w of loaded.warnings) o.err(paint(o, 'yellow', formatProblem(w)));
    return loaded;
  } catch (error) {
    if (error instanceof ConfigError) {
      for (const p of error.problems) o.err(paint(o, 'red', formatProblem(p)));
      return undefined;
    }
    throw error;
  }
}

/**
 * The bridge package, loaded when a command uses it: at the top, its express, prom-client and
 * channel libraries would load into every part the `traderadmin` command runs (issue 19).
 */
const bridgePackage = () => import('@traderadmin/alert-bridge');

/** Calls the running bridge's API with alert_bridge.auth_token, else the local token `traderadmin up` made. */
export async function callBridge(
  loaded: LoadedConfig,
  method: string,
  path: string,
  body?: unknown,
  url?: string,
): Promise<{ status: number; body: unknown; base: string }> {
  const { BridgeClient, BridgeUnreachableError } = await bridgePackage();
  const client = new BridgeClient({
    url: url ?? `http://${loaded.config.alert_bridge.listen}`,
    token: apiToken(loaded, 'bridge'),
  });
  try {
    const res = await client.request(method, path, body);
    return { ...res, base: client.url };
  } catch (error) {
    if (error instanceof BridgeUnreachableError)
      throw new Error(`${error.message}; start it with: traderadmin bridge --config ${loaded.file}`);
    throw error;
  }
}

export function bridgeCommand(o: Output, setExit: (code: number) => void): Command {
  return new Command('bridge')
    .description(
      'run the alert bridge (Alertmanager webhooks to email, Slack, SMS, webhooks) until SIGINT/SIGTERM; SIGHUP reloads the config',
    )
    .addOption(configOption())
    .action(async (opts: { config: string }) => {
      const loaded = loadOrReport(opts.config, o);
      if (!loaded) return setExit(1);
      const { startBridge } = await bridgePackage();
      let bridge;
      try {
        bridge = await startBridge(loaded);
      } catch (error) {
        // Another bridge on this data folder, a port in use: say it in one line, exit 1.
        o.err(paint(o, 'red', `✗ alert bridge: ${(error as Error).message}`));
        return setExit(1);
      }
      o.out(`alert bridge listening on ${bridge.url} (outbox: ${bridge.dataDir})`);
      const onHup = () => {
        void bridge.reload().then((r) => {
          if (r.ok) o.err(`config reloaded${r.warnings.length ? `; ${r.warnings.join('; ')}` : ''}`);
          else o.err(paint(o, 'red', `config reload rejected, keeping the running config:\n${r.problems.join('\n')}`));
        });
      };
      process.on('SIGHUP', onHup);
      await closeOnSignal(o, 'the alert bridge (deliveries in flight finish or stay queued)', () => {
        process.off('SIGHUP', onHup);
        return bridge.close();
      });
      setExit(0);
    });
}
