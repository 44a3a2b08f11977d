/**
 * Runs the real tools on a generation in a private temporary folder: `promtool check
 * config` (which also loads the rules), `promtool check rules --lint-fatal`, `amtool
 * check-config`, and optionally the generated `promtool test rules` suites. Tool messages are
 * mapped back to the config key that produced the failing part, so `traderadmin validate`
 * can point at a line of config.toml.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { GeneratedFiles } from './generate.js';
import { EXCHANGE_HOLIDAYS, MARKET_HOURS, RESTART_WINDOW, routingCases } from './alertmanager.js';
import type { Model } from './model.js';
import { writeGenerated } from './write.js';

export type Tool = 'promtool' | 'amtool';

export interface ToolRun {
  tool: Tool;
  /** What was checked, e.g. "check rules". */
  what: string;
  /** false when the tool is not installed. */
  ran: boolean;
  ok: boolean;
  output: string;
}

export interface CheckProblem {
  tool: Tool;
  what: string;
  message: string;
  /** Dotted config key the failing part came from. */
  key: string;
}

export interface CheckResult {
  runs: ToolRun[];
  problems: CheckProblem[];
}

export interface CheckOptions {
  /** Also run the generated promtool test suites. @default false */
  tests?: boolean;
  promtool?: string;
  amtool?: string;
  /** Per tool run. @default 60000 */
  timeoutMs?: number;
}

/** True when a command is on PATH (or is a path that exists and runs). */
export function toolAvailable(bin: string): boolean {
  return spawnSync(bin, ['--version'], { stdio: 'ignore', timeout: 10_000 }).status === 0;
}

/** Where in config.toml a tool message most likely comes from. */
export function keyForMessage(model: Model, tool: Tool, message: string): string {
  for (const rule of model.alerts) if (message.includes(rule.alert)) return rule.source;
  if (/remote_write/.test(message)) return 'prometheus.remote_write';
  if (tool === 'amtool') {
    for (const ch of model.channels) if (message.includes(ch.receiver)) return `alerts_config.notifications.${ch.channel}`;
    if (message.includes(EXCHANGE_HOLIDAYS)) return 'trading.market_holidays';
    if (message.includes(MARKET_HOURS)) return 'trading';
    if (message.includes(RESTART_WINDOW)) return 'broker.restart_window_start';
    if (/repeat_interval|group_interval/.test(message)) return 'alerts_config.cooldown_minutes';
    if (/location|time zone|timezone/i.test(message)) return 'trading.timezone';
    return 'alertmanager';
  }
  if (/scrape|evaluation/.test(message)) return 'prometheus.scrape_interval_seconds';
  return 'alerts_config';
}

/** Checks generated files with the real tools (each skipped when not installed). */
export function checkGenerated(model: Model, files: GeneratedFiles, options: CheckOptions = {}): CheckResult {
  const promtool = options.promtool ?? process.env.PROMTOOL_BIN ?? 'promtool';
  const amtool = options.amtool ?? process.env.AMTOOL_BIN ?? 'amtool';
  const timeout = options.timeoutMs ?? 60_000;
  const dir = mkdtempSync(path.join(tmpdir(), 'traderadmin-check-'));
  const runs: ToolRun[] = [];
  const problems: CheckProblem[] = [];
  try {
    writeGenerated(dir, files);
    const run = (tool: Tool, bin: string, what: string, args: string[]) => {
      const available = toolAvailable(bin);
      if (!available) {
        runs.push({ tool, what, ran: false, ok: true, output: `${bin} not installed` });
        return;
      }
      const res = spawnSync(bin, args, { cwd: dir, encoding: 'utf8', timeout });
      const output = `${res.stdout ?? ''}${res.stderr ?? ''}`.replaceAll(dir, '.').trim();
      const ok = res.status === 0;
      runs.push({ tool, what, ran: true, ok, output });
      if (!ok) {
        const lines = output
          .split('\n')
          .map((l) => l.trim())
          .filter((l) => /FAILED|error|err=|invalid|unknown|cannot|not /i.test(l) && !/^Checking/.test(l));
        const message = (lines.length ? lines.join('; ') : output || `exit ${res.status ?? res.signal}`).slice(0, 2000);
        problems.push({ tool, what, message: `${tool} ${what}: ${message}`, key: keyForMessage(model, tool, output) });
      }
    };
    run('promtool', promtool, 'check config', ['check', 'config', 'prometheus.yml']);
    run('promtool', promtool, 'check rules', ['check', 'rules', '--lint-fatal', 'rules.yml']);
    run('amtool', amtool, 'check-config', ['check-config', 'alertmanager.yml']);
    // Routing: every alert reaches exactly the receivers its severity asks for.
    if (toolAvailable(amtool)) {
      const wrong: string[] = [];
      for (const rc of routingCases(model)) {
        const labels = Object.entries(rc.labels).map(([k, v]) => `${k}=${v}`);
        const res = spawnSync(amtool, ['config', 'routes', 'test', '--config.file=alertmanager.yml', ...labels], {
          cwd: dir,
          encoding: 'utf8',
          timeout,
        });
        const got = (res.stdout ?? '').trim();
        if (got !== rc.receivers.join(','))
          wrong.push(`${rc.labels.alertname} (${rc.labels.severity}) goes to ${got || 'nothing'}, expected ${rc.receivers.join(',')}`);
      }
      runs.push({ tool: 'amtool', what: 'config routes test', ran: true, ok: wrong.length === 0, output: wrong.join('\n') });
      for (const w of wrong)
        problems.push({
          tool: 'amtool',
          what: 'config routes test',
          message: `amtool config routes test: ${w}`,
          key: 'alerts_config.notifications',
        });
    }
    if (options.tests) {
      const suites = [...files.keys()].filter((p) => p.startsWith('tests/'));
      run('promtool', promtool, 'test rules', ['test', 'rules', ...suites]);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return { runs, problems };
}
