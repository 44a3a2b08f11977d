/**
 * The half of a test or bench stack that every one of them builds the same way once its
 * config.toml is loaded: rules-gen's files written to `<dir>/generated`, Alertmanager on the
 * generated alertmanager.yml and, given a port, Prometheus on the generated prometheus.yml and
 * rules, each with its data folder in `dir`. features/support/chain.ts,
 * alert-bridge/test/stormKit.ts and bench/latency.ts start their Alertmanager and Prometheus here.
 */
import path from 'node:path';
import type { LoadedConfig } from '@traderadmin/config';
import { generate, writeGenerated, type GenerateOptions, type GeneratedFiles } from '@traderadmin/rules-gen';
import { startAlertmanager, startPrometheus, type AlertmanagerOptions, type ManagedProcess, type PrometheusOptions } from './processes.js';

export interface GeneratedStackOptions {
  alertmanagerPort: number;
  /** Start Prometheus too, on this port. */
  prometheusPort?: number;
  /** More Prometheus flags, e.g. "--rules.alert.resend-delay=1s". */
  prometheusArgs?: string[];
  generate?: GenerateOptions;
}

export interface GeneratedStack {
  files: GeneratedFiles;
  /** Where the files were written. */
  generated: string;
  alertmanager: ManagedProcess;
  prometheus?: ManagedProcess;
  /** How each was started: start it again with these for the same port, files and data. */
  alertmanagerOptions: AlertmanagerOptions;
  prometheusOptions?: PrometheusOptions;
  /** Stops Prometheus, then Alertmanager. */
  stop(): Promise<void>;
}

export async function startGeneratedStack(loaded: LoadedConfig, dir: string, o: GeneratedStackOptions): Promise<GeneratedStack> {
  const generated = path.join(dir, 'generated');
  const files = generate(loaded, o.generate);
  writeGenerated(generated, files);
  const alertmanagerOptions: AlertmanagerOptions = {
    config: files.get('alertmanager.yml')!.content,
    dir: generated,
    port: o.alertmanagerPort,
    storagePath: path.join(dir, 'alertmanager-data'),
  };
  const alertmanager = await startAlertmanager(alertmanagerOptions);
  const stack: GeneratedStack = {
    files,
    generated,
    alertmanager,
    alertmanagerOptions,
    async stop() {
      await stack.prometheus?.stop();
      await alertmanager.stop();
    },
  };
  if (o.prometheusPort === undefined) return stack;
  stack.prometheusOptions = {
    config: files.get('prometheus.yml')!.content,
    dir: generated,
    port: o.prometheusPort,
    storagePath: path.join(dir, 'prometheus-data'),
    args: o.prometheusArgs,
  };
  try {
    stack.prometheus = await startPrometheus(stack.prometheusOptions);
  } catch (error) {
    await alertmanager.stop();
    throw error;
  }
  return stack;
}
