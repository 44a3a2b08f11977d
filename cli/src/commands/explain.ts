import { Command, Option } from 'commander';
import { ConfigError, formatProblem, loadConfig } from '@traderadmin/config';
import { explain, formatExplanation } from '@traderadmin/rules-gen';
import { paint, type Output } from '../output.js';
import { configOption } from '../paths.js';

/** `traderadmin explain`: when each channel would be notified of an alert. */
export function explainCommand(o: Output, setExit: (code: number) => void): Command {
  return new Command('explain')
    .description(
      'show, for each alert, when each channel is notified (for, scrape/evaluation delay, group_wait, cooldown, time intervals, inhibition)',
    )
    .addOption(configOption())
    .option('-a, --alert <name>', 'only this alert, e.g. OrderLatencyHigh')
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'json']).default('text'))
    .action((opts: { config: string; alert?: string; format: 'text' | 'json' }) => {
      try {
        const items = explain(loadConfig(opts.config), opts.alert);
        if (opts.format === 'json') o.out(JSON.stringify(items, null, 2));
        else for (const line of formatExplanation(items)) o.out(line);
        setExit(0);
      } catch (error) {
        if (error instanceof ConfigError) {
          for (const p of error.problems) o.err(paint(o, 'red', formatProblem(p)));
        } else o.err(paint(o, 'red', `traderadmin explain: ${(error as Error).message}`));
        setExit(1);
      }
    });
}
