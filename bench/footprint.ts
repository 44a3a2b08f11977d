/**
 * Footprint benchmark (not a test): `node --import tsx bench/footprint.ts [small|large] [--root DIR] [--via npm]`.
 *
 * Runs the whole stack as a trader does, `traderadmin up` on the emulated account (compiled
 * dist/, real Prometheus and Alertmanager, default scrape and evaluation intervals), and
 * measures every process of it while it sits idle: resident memory (RSS, and PSS, which
 * splits pages shared between processes such as Node's own code) 60 s after "ready", and CPU
 * (user + system time from /proc) over the 30 s before that. Two loads: 1 account × 20
 * positions ("small"), and 10 accounts × 1,000 positions ("large"), seeded by the emulator
 * (emulator.positions). `--root DIR` measures another checkout (an older commit, for the
 * before/after table; it must understand the same config). `--via npm` starts it through
 * `npm start`, whose wrapper processes (npm, sh) are then listed too. `--interval S` sets the
 * scrape and evaluation intervals (default: the example config's). Linux only (/proc).
 * Bounded: about 75 s per load.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort, sleep, waitFor } from '@traderadmin/test-support';
import { cpuTicks, TICKS_PER_SECOND } from './kit/stats.js';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
const flag = (name: string) => (args.includes(name) ? args[args.indexOf(name) + 1] : undefined);
const ROOT = path.resolve(flag('--root') ?? path.join(HERE, '..'));
const VIA_NPM = flag('--via') === 'npm';
const INTERVAL = flag('--interval');
const LOADS = [
  { name: 'small', accounts: 1, positions: 20 },
  { name: 'large', accounts: 10, positions: 1000 },
].filter((l) => !['small', 'large'].some((n) => args.includes(n)) || args.includes(l.name));
const IDLE_SECONDS = 60;
const CPU_WINDOW_SECONDS = 30;
const PAGE_KB = 4;

interface Sample {
  pid: number;
  name: string;
  ticks: number;
}

/** Every descendant of a pid, from /proc. */
function descendants(root: number): number[] {
  const children = new Map<number, number[]>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      children.set(ppid, [...(children.get(ppid) ?? []), Number(entry)]);
    } catch {
      // exited meanwhile
    }
  }
  const out: number[] = [];
  const walk = (pid: number) => {
    for (const child of children.get(pid) ?? []) {
      out.push(child);
      walk(child);
    }
  };
  walk(root);
  return out;
}

/** What a process of the stack is, from its command line. */
function nameOf(pid: number): string {
  const argv = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean);
  const exe = path.basename(argv[0] ?? '?');
  const bin = argv.findIndex((a) => a.endsWith('bin/traderadmin.mjs') || a.endsWith('scripts/start.mjs'));
  if (bin >= 0) return argv[bin].endsWith('start.mjs') ? 'up (npm start)' : (argv[bin + 1] ?? '?');
  // npm sets its process title ("npm start …"), which replaces its command line.
  if (argv[0]?.startsWith('npm') || (exe === 'node' && argv.some((a) => a.endsWith('npm-cli.js')))) return 'npm (wrapper)';
  if (exe === 'sh') return 'sh (wrapper)';
  return exe;
}

const rssKb = (pid: number) => Number(readFileSync(`/proc/${pid}/statm`, 'utf8').split(' ')[1]) * PAGE_KB;
const pssKb = (pid: number) => Number(/^Pss:\s+(\d+)/m.exec(readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8'))?.[1] ?? NaN);

async function scratchConfig(accounts: number, positions: number): Promise<{ dir: string; file: string }> {
  const dir = mkdtempSync(path.join(tmpdir(), 'bench-footprint-'));
  mkdirSync(path.join(dir, 'config'));
  let text = readFileSync(path.join(ROOT, 'config/config.example.toml'), 'utf8');
  const replacements: Array<[string, string]> = [['port = 4002', `port = ${await freePort()}`]];
  for (const port of ['4010', '9464', '9095', '9090', '9093', '9096'])
    replacements.push([`"127.0.0.1:${port}"`, `"127.0.0.1:${await freePort()}"`]);
  const ids = Array.from({ length: accounts }, (_, a) => `DU${1_000_000 + a}`);
  replacements.push(['accounts = ["DU1234567"]', `accounts = ${JSON.stringify(ids)}`], ['positions = 0', `positions = ${positions}`]);
  if (INTERVAL)
    for (const key of ['scrape_interval_seconds', 'evaluation_interval_seconds'])
      replacements.push([new RegExp(`^${key} = \\d+$`, 'm').exec(text)?.[0] ?? `${key} = ?`, `${key} = ${INTERVAL}`]);
  for (const [from, to] of replacements) {
    if (!text.includes(from)) throw new Error(`${ROOT}/config/config.example.toml has no ${from}: cannot set the load`);
    text = text.replace(from, to);
  }
  const file = path.join(dir, 'config/config.toml');
  writeFileSync(file, text);
  return { dir, file };
}

async function measure(load: (typeof LOADS)[number]): Promise<string[]> {
  const { dir, file } = await scratchConfig(load.accounts, load.positions);
  const started = Date.now();
  const child = VIA_NPM
    ? // Its own process group, signalled as a whole below, as Ctrl-C in a terminal does: npm's sh does not pass SIGINT on.
      spawn('npm', ['start', '--', '--config', file], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'], detached: true })
    : spawn(process.execPath, [path.join(ROOT, 'bin/traderadmin.mjs'), 'up', '--config', file], {
        cwd: dir,
        stdio: ['ignore', 'pipe', 'pipe'],
      });
  let output = '';
  child.stdout.on('data', (d) => (output += d));
  child.stderr.on('data', (d) => (output += d));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  try {
    await waitFor('the stack to be ready', () => output.includes('TraderAdmin Monitoring is running'), {
      timeoutMs: 120_000,
      intervalMs: 100,
    });
    const readyMs = Date.now() - started;
    const printed = /ready in ([\d.]+) s/.exec(output)?.[1];
    await sleep((IDLE_SECONDS - CPU_WINDOW_SECONDS) * 1000);
    const before: Sample[] = [child.pid!, ...descendants(child.pid!)].map((pid) => ({ pid, name: nameOf(pid), ticks: cpuTicks(pid) }));
    await sleep(CPU_WINDOW_SECONDS * 1000);
    const rows = before.map((s) => ({
      name: s.name,
      rss: rssKb(s.pid) / 1024,
      pss: pssKb(s.pid) / 1024,
      cpu: ((cpuTicks(s.pid) - s.ticks) / TICKS_PER_SECOND / CPU_WINDOW_SECONDS) * 100,
    }));
    const order = [
      'npm (wrapper)',
      'sh (wrapper)',
      'up',
      'up (npm start)',
      'emulator',
      'exporter',
      'bridge',
      'page',
      'prometheus',
      'prometheus-alertmanager',
    ];
    rows.sort((a, b) => order.indexOf(a.name) - order.indexOf(b.name));
    const wrappers = rows.filter((r) => r.name.endsWith('(wrapper)'));
    const stack = rows.filter((r) => !r.name.endsWith('(wrapper)'));
    const sum = (xs: typeof rows, k: 'rss' | 'pss' | 'cpu') => xs.reduce((t, r) => t + r[k], 0);
    const mb = (v: number) => `${v.toFixed(0)} MB`;
    // CPU time itself, which a busy machine does not inflate the way it stretches wall time.
    const cpuS = (percent: number) => `${((percent / 100) * CPU_WINDOW_SECONDS).toFixed(2)} s`;
    const line = (r: { name: string; rss: number; pss: number; cpu: number }) =>
      `| ${load.accounts} × ${load.positions.toLocaleString('en-US')} | ${r.name} | ${mb(r.rss)} | ${mb(r.pss)} | ${r.cpu.toFixed(2)} % | ${cpuS(r.cpu)} |`;
    return [
      ...stack.map(line),
      `| ${load.accounts} × ${load.positions.toLocaleString('en-US')} | **stack total** (ready in ${printed ?? '?'} s by its own clock, ${(readyMs / 1000).toFixed(1)} s from spawn) | **${mb(sum(stack, 'rss'))}** | **${mb(sum(stack, 'pss'))}** | **${sum(stack, 'cpu').toFixed(2)} %** | **${cpuS(sum(stack, 'cpu'))}** |`,
      ...(wrappers.length
        ? [
            ...wrappers.map(line),
            `| ${load.accounts} × ${load.positions.toLocaleString('en-US')} | total with the npm wrappers | ${mb(sum(rows, 'rss'))} | ${mb(sum(rows, 'pss'))} | ${sum(rows, 'cpu').toFixed(2)} % | ${cpuS(sum(rows, 'cpu'))} |`,
          ]
        : []),
    ];
  } finally {
    const signal = (s: NodeJS.Signals) => {
      try {
        if (VIA_NPM) process.kill(-child.pid!, s);
        else child.kill(s);
      } catch {
        // already gone
      }
    };
    signal('SIGINT');
    await Promise.race([exited, sleep(15_000)]);
    if (child.exitCode === null) signal('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  }
}

const rows: string[] = [];
const load = loadavg()[0];
for (const l of LOADS) rows.push(...(await measure(l)));
console.log(
  [
    `\`${VIA_NPM ? 'npm start' : 'traderadmin up'}\` of ${ROOT === path.resolve(HERE, '..') ? 'this checkout' : ROOT} on the emulated account(s)${INTERVAL ? `, scrape and evaluation every ${INTERVAL} s` : ''}, idle: RSS and PSS ${IDLE_SECONDS} s after ready, CPU (share of one core) over the ${CPU_WINDOW_SECONDS} s before. ${cpus().length} cores; 1-minute load average ${load.toFixed(2)} at the start, ${loadavg()[0].toFixed(2)} at the end (a shared machine: CPU seconds hold up under load, wall-clock times do not).`,
    '',
    `| accounts × positions | process | RSS | PSS | CPU | CPU s in ${CPU_WINDOW_SECONDS} s |`,
    '| --- | --- | ---: | ---: | ---: | ---: |',
    ...rows,
  ].join('\n'),
);
