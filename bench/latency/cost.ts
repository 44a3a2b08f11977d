/**
 * bench/latency.ts part 3: CPU and memory of Prometheus, Alertmanager, the exporter and the bridge, each its own
 * process, at the previous defaults (scrape and evaluation 5 s, group_wait 10 s, group_interval 60 s, one exporter
 * job) and at the new ones.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { parse, stringify } from 'yaml';
import { checkConfigText, loadConfig } from '@traderadmin/config';
import { JOBS, POSITIONS_JOB } from '@traderadmin/rules-gen';
import { freePort, promQuery, sleep, startGeneratedStack, startPrometheus, waitFor } from '@traderadmin/test-support';
import { benchAccounts } from '../kit/book.js';
import { withScratch } from '../kit/scratch.js';
import { cpuTicks, TICKS_PER_SECOND } from '../kit/stats.js';
import { QUICK } from './quick.js';

const CHILD = fileURLToPath(new URL('./child.ts', import.meta.url));
const WARMUP_S = QUICK ? 2 : 8;
const WINDOW_S = QUICK ? 3 : 20;

function procStat(pid: number): { cpuTicks: number; rssKiB: number; hwmKiB: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kib = (key: string) => Number(new RegExp(`^${key}:\\s+(\\d+)`, 'm').exec(status)?.[1] ?? NaN);
  return { cpuTicks: cpuTicks(pid), rssKiB: kib('VmRSS'), hwmKiB: kib('VmHWM') };
}

function spawnChild(what: 'exporter' | 'bridge', file: string, accounts: number, positions: number): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', CHILD, what, file, String(accounts), String(positions)], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${what} child did not start`)), 30_000);
    child.stdout!.on('data', (d: Buffer) => {
      if (d.toString().includes('ready')) {
        clearTimeout(timer);
        resolve(child);
      }
    });
    child.once('exit', (code) => reject(new Error(`${what} child exited ${code}`)));
  });
}

const costRun = (old: boolean, accounts: number, positions: number) =>
  withScratch('bench-cost-', async (dir, stops) => {
    const ports = { exporter: await freePort(), bridge: await freePort(), prometheus: await freePort(), alertmanager: await freePort() };
    const file = path.join(dir, 'config.toml');
    writeFileSync(
      file,
      `[broker]
accounts = ${JSON.stringify(benchAccounts(accounts))}
[exporter]
listen = "127.0.0.1:${ports.exporter}"
[prometheus]
listen = "127.0.0.1:${ports.prometheus}"
${old ? 'scrape_interval_seconds = 5\nevaluation_interval_seconds = 5\n' : ''}[alertmanager]
listen = "127.0.0.1:${ports.alertmanager}"
${old ? 'group_wait_seconds = 10\ngroup_interval_seconds = 60\n' : ''}[alert_bridge]
listen = "127.0.0.1:${ports.bridge}"
data_dir = "bridge-data"
`,
    );
    const loaded = loadConfig(file);
    const { files, generated, alertmanager: am, stop } = await startGeneratedStack(loaded, dir, { alertmanagerPort: ports.alertmanager });
    stops.push(stop);
    let promYaml = files.get('prometheus.yml')!.content;
    if (old) {
      // The previous generator: one exporter job scraping everything, no scope.
      const doc = parse(promYaml) as { scrape_configs: Array<Record<string, unknown>> };
      doc.scrape_configs = doc.scrape_configs.filter((s) => s.job_name !== POSITIONS_JOB);
      delete doc.scrape_configs[0].params;
      promYaml = stringify(doc);
    }
    const exporter = await spawnChild('exporter', file, accounts, positions);
    stops.push(async () => exporter.kill('SIGTERM'));
    const bridge = await spawnChild('bridge', file, 0, 0);
    stops.push(async () => bridge.kill('SIGTERM'));
    const prom = await startPrometheus({
      config: promYaml,
      dir: generated,
      port: ports.prometheus,
      storagePath: path.join(dir, 'prom-data'),
    });
    stops.push(() => prom.stop());
    await waitFor(
      'Prometheus scraping the exporter',
      async () => (await promQuery(prom.url, `up{job="${JOBS.exporter}"} == 1`)).length === 1,
      {
        timeoutMs: 30_000,
        intervalMs: 200,
      },
    );
    await sleep(WARMUP_S * 1000);
    const procs = { Prometheus: prom.child.pid!, Alertmanager: am.child.pid!, exporter: exporter.pid!, bridge: bridge.pid! };
    const before = Object.fromEntries(Object.entries(procs).map(([k, pid]) => [k, procStat(pid)]));
    const started = performance.now();
    await sleep(WINDOW_S * 1000);
    const seconds = (performance.now() - started) / 1000;
    const result: Record<string, { cpu: number; rssMiB: number; hwmMiB: number }> = {};
    for (const [k, pid] of Object.entries(procs)) {
      const after = procStat(pid);
      result[k] = {
        cpu: ((after.cpuTicks - before[k].cpuTicks) / TICKS_PER_SECOND / seconds) * 100,
        rssMiB: after.rssKiB / 1024,
        hwmMiB: after.hwmKiB / 1024,
      };
    }
    const durations = await promQuery(
      prom.url,
      `max by (job) (max_over_time(scrape_duration_seconds{job=~"${JOBS.exporter}|${POSITIONS_JOB}"}[${WINDOW_S + WARMUP_S}s]))`,
    );
    const scrapeMax = durations.map((d) => `${d.metric.job} ${(Number(d.value[1]) * 1000).toFixed(0)} ms`).join(', ');
    return { result, scrapeMax };
  });

export async function costPart(): Promise<string[]> {
  const rows: string[] = [];
  const notes: string[] = [];
  for (const [accounts, positions] of [
    [1, 20],
    [10, 1000],
  ]) {
    for (const old of [true, false]) {
      const { result, scrapeMax } = await costRun(old, accounts, positions);
      const d = checkConfigText('', 'defaults.toml').config!;
      const label = old
        ? 'previous (5 s / 5 s / 10 s / 60 s, one exporter job)'
        : `new (${d.prometheus.scrape_interval_seconds} s / ${d.prometheus.evaluation_interval_seconds} s / ${d.alertmanager.group_wait_seconds} s / ${d.alertmanager.group_interval_seconds} s, positions every ${d.prometheus.position_scrape_interval_seconds} s)`;
      for (const [part, r] of Object.entries(result))
        rows.push(
          `| ${accounts} × ${positions} | ${label} | ${part} | ${r.cpu.toFixed(1)} % | ${r.rssMiB.toFixed(0)} MiB | ${r.hwmMiB.toFixed(0)} MiB |`,
        );
      notes.push(`${accounts} × ${positions}, ${old ? 'previous' : 'new'}: slowest exporter scrape in the window ${scrapeMax}`);
    }
  }
  return [
    '#### Cost: CPU and memory',
    '',
    `Each part its own process (exporter and bridge: Node, the exporter fed through its gateway sink with 10 % of the positions repriced every second, no gateway), Prometheus and Alertmanager from the generated files; ${WARMUP_S} s to settle, then CPU over ${WINDOW_S} s from /proc/<pid>/stat (utime + stime; 100 % = one core) and memory from /proc/<pid>/status at the end (VmRSS; VmHWM is the peak).`,
    '',
    '| accounts × positions | defaults | process | CPU | RSS | peak RSS |',
    '| --- | --- | --- | ---: | ---: | ---: |',
    ...rows,
    '',
    ...notes.map((n) => `- ${n}`),
  ];
}
