/**
 * `traderadmin silence list|add|expire`: Alertmanager silences through the running bridge.
 *   traderadmin silence add --alert OrderLatencyHigh --account DU1234567 --duration 1h --comment "broker maintenance"
 */
import { Command } from 'commander';
import { paint, type Output } from '../output.js';
import { configOption } from '../paths.js';
import { callBridge, loadOrReport } from './bridge.js';

interface Silence {
  id: string;
  status: { state: string };
  matchers: Array<{ name: string; value: string; isRegex: boolean; isEqual?: boolean }>;
  startsAt: string;
  endsAt: string;
  createdBy: string;
  comment: string;
}

const matcherText = (m: Silence['matchers'][number]) => `${m.name}${m.isEqual === false ? '!' : ''}${m.isRegex ? '~' : '='}"${m.value}"`;

function common(cmd: Command): Command {
  return cmd.addOption(configOption()).option('--url <url>', 'bridge URL (default: http://<alert_bridge.listen>)');
}

export function silenceCommand(o: Output, setExit: (code: number) => void): Command {
  const silence = new Command('silence').description('list, add and expire Alertmanager silences (through the alert bridge)');

  common(silence.command('list').description('list active and pending silences'))
    .option('--all', 'include expired silences')
    .option('--json', 'print JSON')
    .action(async (opts: { config: string; url?: string; all?: boolean; json?: boolean }) => {
      const loaded = loadOrReport(opts.config, o);
      if (!loaded) return setExit(1);
      const res = await callBridge(loaded, 'GET', `/api/v1/silences${opts.all ? '?all=true' : ''}`, undefined, opts.url);
      if (res.status !== 200) {
        o.err(paint(o, 'red', `✗ ${(res.body as { error?: string })?.error ?? `bridge answered ${res.status}`}`));
        return setExit(1);
      }
      const list = res.body as Silence[];
      if (opts.json) o.out(JSON.stringify(list, null, 2));
      else if (list.length === 0) o.out('no silences');
      else
        for (const s of list)
          o.out(
            `${s.id}  ${s.status.state.padEnd(7)}  until ${s.endsAt}  {${s.matchers.map(matcherText).join(', ')}}  ${s.createdBy}: ${s.comment}`,
          );
      setExit(0);
    });

  common(silence.command('add').description('mute alerts, for example: --alert OrderLatencyHigh --account DU1234567 --duration 1h'))
    .option('--alert <name>', 'alert name (alertname label)')
    .option('--account <id>', 'account id (account label)')
    .option(
      '--matcher <name=value>',
      'further label matcher (repeatable; name=~regex for a regex)',
      (v: string, acc: string[]) => [...acc, v],
      [] as string[],
    )
    .option('-d, --duration <duration>', 'how long: 30m, 1h, 1h30m, 2d', '1h')
    .option('--comment <text>', 'why', 'muted with traderadmin silence add')
    .option('--author <name>', 'created by', process.env.USER ?? 'traderadmin')
    .action(
      async (opts: {
        config: string;
        url?: string;
        alert?: string;
        account?: string;
        matcher: string[];
        duration: string;
        comment: string;
        author: string;
      }) => {
        const matchers = [];
        for (const m of opts.matcher) {
          const r = /^([A-Za-z_][A-Za-z0-9_]*)(=~|!=|!~|=)(.*)$/.exec(m);
          if (!r) {
            o.err(paint(o, 'red', `✗ --matcher ${m}: expected name=value, name!=value, name=~regex or name!~regex`));
            return setExit(2);
          }
          matchers.push({ name: r[1], value: r[3], isRegex: r[2].endsWith('~'), isEqual: !r[2].startsWith('!') });
        }
        const loaded = loadOrReport(opts.config, o);
        if (!loaded) return setExit(1);
        const res = await callBridge(
          loaded,
          'POST',
          '/api/v1/silences',
          {
            alertname: opts.alert,
            account: opts.account,
            matchers,
            duration: opts.duration,
            comment: opts.comment,
            createdBy: opts.author,
          },
          opts.url,
        );
        const body = res.body as { silenceID?: string; endsAt?: string; error?: string };
        if (res.status !== 201 || !body.silenceID) {
          o.err(paint(o, 'red', `✗ ${body?.error ?? `bridge answered ${res.status}`}`));
          return setExit(1);
        }
        o.out(paint(o, 'green', `✓ silence ${body.silenceID} until ${body.endsAt}`));
        setExit(0);
      },
    );

  common(silence.command('expire').description('end a silence now').argument('<id>', 'silence id')).action(
    async (id: string, opts: { config: string; url?: string }) => {
      const loaded = loadOrReport(opts.config, o);
      if (!loaded) return setExit(1);
      const res = await callBridge(loaded, 'DELETE', `/api/v1/silences/${encodeURIComponent(id)}`, undefined, opts.url);
      if (res.status !== 200) {
        o.err(paint(o, 'red', `✗ ${(res.body as { error?: string })?.error ?? `bridge answered ${res.status}`}`));
        return setExit(1);
      }
      o.out(paint(o, 'green', `✓ silence ${id} expired`));
      setExit(0);
    },
  );
  return silence;
}
