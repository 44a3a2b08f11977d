/**
 * The traderadmin command: one entry point for every part of the stack. Each subcommand
 * lives in its own file under commands/ and returns its exit code through setExit.
 */
import { Command, CommanderError } from 'commander';
import { upCommand } from './commands/up.js';
import { serviceCommand } from './commands/service.js';
import { applyCommand } from './commands/apply.js';
import { diffCommand } from './commands/diff.js';
import { explainCommand } from './commands/explain.js';
import { generateCommand } from './commands/generate.js';
import { validateCommand } from './commands/validate.js';
import { bridgeCommand } from './commands/bridge.js';
import { testAlertCommand } from './commands/test-alert.js';
import { silenceCommand } from './commands/silence.js';
import { emulatorCommand } from './commands/emulator.js';
import { exporterCommand } from './commands/exporter.js';
import { pageCommand } from './commands/page.js';
import { terminalOutput, type Output } from './output.js';
import { exitWhenOrphaned } from './stack/orphan.js';

export const VERSION = '0.1.0';

export function buildProgram(o: Output, setExit: (code: number) => void): Command {
  const program = new Command('traderadmin')
    .description('TraderAdmin Monitoring: metrics and alerts for Interactive Brokers traders')
    .version(VERSION)
    .showHelpAfterError('(run with --help for usage)')
    .configureOutput({ writeOut: (s) => o.out(s.trimEnd()), writeErr: (s) => o.err(s.trimEnd()) })
    .exitOverride();
  // In the order `--help` lists them.
  const commands = [
    validateCommand,
    emulatorCommand,
    exporterCommand,
    bridgeCommand,
    testAlertCommand,
    silenceCommand,
    generateCommand,
    explainCommand,
    diffCommand,
    applyCommand,
    upCommand,
    serviceCommand,
    pageCommand,
  ];
  for (const make of commands) program.addCommand(make(o, setExit));
  // addCommand() does not pass on exitOverride and output settings the way command() does.
  for (const command of program.commands) command.copyInheritedSettings(program);
  return program;
}

/** Runs the command line; resolves to the process exit code. */
export async function main(argv: string[], o: Output = terminalOutput()): Promise<number> {
  let code = 0;
  exitWhenOrphaned();
  const program = buildProgram(o, (c) => (code = c));
  try {
    await program.parseAsync(argv);
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode === 0 ? 0 : 2;
    o.err(`traderadmin: ${(error as Error).message}`);
    return 1;
  }
  return code;
}
