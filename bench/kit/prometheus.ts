/** A real Prometheus on a config's generated prometheus.yml and rules, for the benches that need no Alertmanager. */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { LoadedConfig } from '@traderadmin/config';
import { generate, writeGenerated, type GeneratedFiles } from '@traderadmin/rules-gen';
import { startPrometheus, type ManagedProcess } from '@traderadmin/test-support';

export interface GeneratedPrometheus {
  files: GeneratedFiles;
  /** The folder the generated files are written to (<dir>/generated). */
  generated: string;
  prometheus: ManagedProcess;
}

export async function startGeneratedPrometheus(loaded: LoadedConfig, dir: string, port: number): Promise<GeneratedPrometheus> {
  const generated = path.join(dir, 'generated');
  mkdirSync(generated, { recursive: true });
  const files = generate(loaded);
  writeGenerated(generated, files);
  const prometheus = await startPrometheus({
    config: files.get('prometheus.yml')!.content,
    dir: generated,
    port,
    storagePath: path.join(dir, 'prom-data'),
  });
  return { files, generated, prometheus };
}
