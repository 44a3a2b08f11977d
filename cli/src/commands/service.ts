/**
 * `traderadmin service install|uninstall|status`: runs `traderadmin up` as a systemd service on
 * the trader's server, so the stack starts at boot, comes back when up itself fails
 * (Restart=on-failure; up restarts its own parts) and logs to the journal. Only the unit file is
 * written here; enabling it is one systemctl command, printed, so nothing changes behind the
 * user's back.
 */
import { Command } from 'commander';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import path from 'node:path';
import { paint, type Output } from '../output.js';
import { BIN, ROOT, configOption } from '../paths.js';

interface UnitOptions {
  config: string;
  name: string;
  user: boolean;
  unitDir?: string;
  dryRun?: boolean;
}

/** Where the unit goes: the system's folder as root, the user's (`systemctl --user`) otherwise. */
function unitDir(o: UnitOptions): string {
  if (o.unitDir) return path.resolve(o.unitDir);
  return o.user ? path.join(homedir(), '.config/systemd/user') : '/etc/systemd/system';
}

/** The unit file itself: <unit dir>/<name>.service. */
const unitPath = (o: UnitOptions) => path.join(unitDir(o), `${o.name}.service`);

/** systemd quoting: every argument in double quotes, with \ and " escaped. */
const quote = (arg: string) => `"${arg.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;

/** The unit file text for `traderadmin up --config FILE`. */
export function unitFile(options: { config: string; user: boolean; node?: string; bin?: string; workingDirectory?: string }): string {
  const config = path.resolve(options.config);
  const exec = [options.node ?? process.execPath, options.bin ?? BIN, 'up', '--config', config].map(quote).join(' ');
  return `# Written by "traderadmin service install"; remove with "traderadmin service uninstall".
[Unit]
Description=TraderAdmin Monitoring (traderadmin up: exporter, alert bridge, Prometheus, Alertmanager)
Documentation=file://${path.join(ROOT, 'README.md')}
After=network-online.target
Wants=network-online.target

[Service]
Type=simple
WorkingDirectory=${options.workingDirectory ?? path.dirname(path.dirname(config))}
ExecStart=${exec}
# up restarts a part that dies; systemd restarts up itself when it fails.
Restart=on-failure
RestartSec=5
# SIGTERM: up stops every part in order; the bridge keeps what it has not delivered.
KillSignal=SIGTERM
TimeoutStopSec=30
StandardOutput=journal
StandardError=journal
SyslogIdentifier=traderadmin
# Secrets written as env:NAME in config.toml: NAME=value lines in this file (chmod 600), optional.
EnvironmentFile=-${path.join(path.dirname(config), 'traderadmin.env')}

[Install]
WantedBy=${options.user ? 'default.target' : 'multi-user.target'}
`;
}

const common = (c: Command) =>
  c
    .addOption(configOption())
    .option('--name <name>', 'unit name', 'traderadmin')
    .option('--user', 'a user unit (~/.config/systemd/user, systemctl --user) instead of a system one', false)
    .option('--unit-dir <dir>', 'write the unit into this folder instead (tests, packaging)');

export function serviceCommand(o: Output, setExit: (code: number) => void): Command {
  const service = new Command('service').description('run "traderadmin up" as a systemd service: install, uninstall, status');
  const systemctl = (opts: UnitOptions) => `systemctl${opts.user ? ' --user' : ''}`;

  const install = (opts: UnitOptions, file: string): number => {
    if (!existsSync(opts.config)) {
      o.err(paint(o, 'red', `✗ ${opts.config} does not exist: create it first (cp config/config.example.toml config/config.toml)`));
      return 1;
    }
    const text = unitFile({ config: opts.config, user: opts.user });
    if (opts.dryRun) {
      o.out(text.trimEnd());
      return 0;
    }
    try {
      mkdirSync(path.dirname(file), { recursive: true });
      writeFileSync(file, text, { mode: 0o644 });
    } catch (error) {
      o.err(paint(o, 'red', `✗ cannot write ${file}: ${(error as Error).message} (system units need root: sudo, or --user)`));
      return 1;
    }
    o.out(paint(o, 'green', `✓ wrote ${file}`));
    o.out(`start it now and at every boot:  ${systemctl(opts)} daemon-reload && ${systemctl(opts)} enable --now ${opts.name}`);
    o.out(`its log:                         journalctl${opts.user ? ' --user' : ''} -u ${opts.name} -f`);
    return 0;
  };

  const uninstall = (opts: UnitOptions, file: string): number => {
    if (!existsSync(file)) {
      o.out(`${file} is not installed: nothing to do`);
      return 0;
    }
    rmSync(file);
    o.out(paint(o, 'green', `✓ removed ${file}`));
    o.out(`if it was running:  ${systemctl(opts)} disable --now ${opts.name}; ${systemctl(opts)} daemon-reload`);
    return 0;
  };

  const status = (opts: UnitOptions, file: string): number => {
    if (!existsSync(file)) {
      o.out(`not installed (${file}); install it with: traderadmin service install`);
      return 3;
    }
    const exec = readFileSync(file, 'utf8').match(/^ExecStart=(.*)$/m)?.[1];
    o.out(`installed: ${file}`);
    o.out(`runs:      ${exec ?? '(no ExecStart)'}`);
    const active = spawnSync('systemctl', [...(opts.user ? ['--user'] : []), 'is-active', opts.name], { encoding: 'utf8' });
    o.out(`systemd:   ${active.error ? 'systemctl not available here' : active.stdout.trim() || active.stderr.trim()}`);
    return 0;
  };

  /** A subcommand on the unit --name, --user and --unit-dir pick; `run` answers its exit code. */
  const unit = (name: string, description: string, run: (opts: UnitOptions, file: string) => number) =>
    common(new Command(name))
      .description(description)
      .action((opts: UnitOptions) => setExit(run(opts, unitPath(opts))));
  service.addCommand(
    unit('install', 'write the systemd unit for "traderadmin up" (Restart=on-failure, logs to the journal)', install).option(
      '--dry-run',
      'print the unit, write nothing',
    ),
  );
  service.addCommand(unit('uninstall', 'remove the systemd unit (stop it first: systemctl disable --now traderadmin)', uninstall));
  service.addCommand(unit('status', 'whether the unit is installed, what it runs, and whether systemd runs it', status));
  return service;
}
