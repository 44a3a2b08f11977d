import { readFileSync } from 'node:fs';
import { Command, Option } from 'commander';
import { ConfigError, formatProblem, lineOf, loadConfig, locateKeys, type LocatedProblem } from '@traderadmin/config';
import { buildModel, checkGenerated, generate, type ToolRun } from '@traderadmin/rules-gen';
import { paint, type Output } from '../output.js';
import { configOption } from '../paths.js';

export interface ValidateResult {
  valid: boolean;
  file: string;
  problems: LocatedProblem[];
  /** promtool / amtool runs on a temporary generation (empty when the schema check failed or tools were off). */
  tools?: ToolRun[];
}

export interface ValidateOptions {
  /** Also generate into a temporary folder and run promtool / amtool on it (when installed). @default true */
  tools?: boolean;
}

/** Validates a config file and returns every problem (errors and warnings). */
export function validateFile(file: string, options: ValidateOptions = {}): ValidateResult {
  let loaded;
  try {
    loaded = loadConfig(file);
  } catch (error) {
    if (error instanceof ConfigError) return { valid: false, file, problems: error.problems };
    throw error;
  }
  if (options.tools === false) return { valid: true, file, problems: loaded.warnings };
  // The schema is happy; now ask the tools that will read the generated files.
  const { runs, problems } = checkGenerated(buildModel(loaded), generate(loaded));
  const lines = locateKeys(readFileSync(loaded.file, 'utf8'));
  const located: LocatedProblem[] = problems.map((p) => ({
    file,
    line: lineOf(lines, p.key),
    path: p.key,
    severity: 'error',
    message: p.message,
  }));
  return { valid: located.length === 0, file, problems: [...loaded.warnings, ...located], tools: runs };
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
    .description(
      'check a config.toml: exit 0 when valid, otherwise exit 1 listing every problem with file, line and key; ' +
        'also checks the generated files with promtool and amtool when they are installed',
    )
    .addOption(configOption())
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'json']).default('text'))
    .option('--no-tools', 'skip the promtool / amtool checks of the generated files')
    .action((opts: { config: string; format: 'text' | 'json'; tools: boolean }) => {
      const result = validateFile(opts.config, { tools: opts.tools });
      printValidation(result, opts.format, o);
      setExit(result.valid ? 0 : 1);
    });
}
