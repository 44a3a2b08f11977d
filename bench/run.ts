/**
 * `npm run bench`: every benchmark, one after the other (never side by side: they measure
 * time on a shared machine), their tables gathered into one report printed and written to
 * bench/results/<timestamp>.md. Benchmarks are never part of `npm test`.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const BENCHMARKS = [
  { file: 'exporter.ts', title: 'Exporter: /metrics render, memory and events ingest' },
  { file: 'emulator.ts', title: 'IB Gateway emulator: connect, probe, fill fan-out, tick cost' },
  { file: 'alert-bridge.ts', title: 'Alert bridge against Alertmanager’s own webhook receiver' },
  { file: 'scrape.ts', title: 'Prometheus scraping 10 accounts × 1,000 positions' },
  { file: 'storm.ts', title: 'Alert storm: 1,000 alerts in a minute through Alertmanager and the bridge' },
  { file: 'latency.ts', title: 'Breach to notification at the default timings, beside stock Prometheus and Alertmanager; render; cost' },
  { file: 'footprint.ts', title: 'Footprint: memory and CPU of the whole stack, idle' },
  { file: 'console.ts', title: 'Console: refresh cost, first render, bundle' },
];
const only = process.argv.slice(2);
// Benchmarks that start `traderadmin up` run the compiled dist/: build it when stale.
if (spawnSync(process.execPath, [path.join(here, '../scripts/build.mjs'), '--if-stale'], { stdio: 'inherit' }).status !== 0)
  process.exit(1);

const sections: string[] = [
  `# Benchmarks, ${new Date().toISOString()}`,
  '',
  `Machine: ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.versions.node}; load average at start ${os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(', ')}.`,
];
let failed = 0;
for (const bench of BENCHMARKS.filter((b) => only.length === 0 || only.some((o) => b.file.startsWith(o)))) {
  process.stderr.write(`▶ ${bench.file}…\n`);
  const started = Date.now();
  const load = os.loadavg()[0].toFixed(2);
  const run = spawnSync(process.execPath, ['--import', 'tsx', path.join(here, bench.file)], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const seconds = ((Date.now() - started) / 1000).toFixed(0);
  if (run.status !== 0) {
    failed++;
    process.stderr.write(`✖ ${bench.file} failed (exit ${run.status})\n`);
    // What it measured before failing still tells why (a scrape over half its interval, say).
    sections.push('', `## ${bench.title}`, '', `Failed (exit ${run.status}).`, '', run.stdout.trim());
    continue;
  }
  process.stderr.write(`✔ ${bench.file} (${seconds} s)\n`);
  sections.push(
    '',
    `## ${bench.title}`,
    '',
    run.stdout.trim(),
    '',
    `_${bench.file}: ${seconds} s; 1-minute load average when it started: ${load}._`,
  );
}
const report = `${sections.join('\n')}\n`;
const out = path.join(here, 'results');
mkdirSync(out, { recursive: true });
const file = path.join(out, `${new Date().toISOString().replace(/[:.]/g, '-')}.md`);
writeFileSync(file, report);
process.stdout.write(report);
process.stderr.write(`report written to ${path.relative(process.cwd(), file)}\n`);
process.exitCode = failed ? 1 : 0;
