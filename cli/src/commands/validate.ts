import { Command, Option } from 'commander';
import { ConfigError, formatProblem, loadConfig, type LocatedProblem } from '@traderadmin/config';
import { paint, type Output } from '../output.js';
import { DEFAULT_CONFIG } from '../paths.js';

export interface ValidateResult {
  valid: boolean;
  file: string;
  problems: LocatedProblem[];
}

/** Validates a config file and returns every problem (errors and warnings). */
export function validateFile(file: string): ValidateResult {
  try {
    const loaded = loadConfig(file);
    return { valid: true, file, problems: loaded.warnings };
  } catch (error) {
    if (error instanceof ConfigError) return { valid: false, file, problems: error.problems };
    throw error;
  }
}

export function printValidation(result: ValidateResult, format: 'text' | 'json', o: Output): void {
  if (format === 'json') {
    o.out(JSON.stringify({ valid: result.valid, file: result.file, problems: result.problems }, null, 2));
    return;
  }
  for (const p of result.problems) o.err(p.severity === 'error' ? paint(o, 'red', formatProblem(p)) : paint(o, 'yellow', formatProblem(p)));
  const errors = result.problems.filter((p) => p.severity === 'error').length;
  const warnings = result.problems.length - errors;
  const tail = warnings ? `, ${warnings} warning${warnings === 1 ? '' : 's'}` : '';
  if (result.valid) o.out(paint(o, 'green', `✓ ${result.file} is valid${tail}`));
  else o.err(paint(o, 'red', `✗ ${result.file}: ${errors} problem${errors === 1 ? '' : 's'}${tail}`));
}

export function validateCommand(o: Output, setExit: (code: number) => void): Command {
  return new Command('validate')
    .description('check a config.toml: exit 0 when valid, otherwise exit 1 listing every problem with file, line and key')
    .option('-c, --config <file>', 'config file', DEFAULT_CONFIG)
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'json']).default('text'))
    .action((opts: { config: string; format: 'text' | 'json' }) => {
      const result = validateFile(opts.config);
      printValidation(result, opts.format, o);
      setExit(result.valid ? 0 : 1);
    });
}
