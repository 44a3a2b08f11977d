/**
 * `traderadmin test-alert --channel email|slack|sms|webhook|telegram|discord|pagerduty|all [--config FILE] [--message TEXT]`: asks the running
 * bridge to send a sample notification through a channel now, and prints what happened for
 * every recipient (the design's TestAlertNotification(channelType, message)).
 */
import { Command, Option } from 'commander';
import type { TestAlertResult } from '@traderadmin/alert-bridge';
import { CHANNELS } from '@traderadmin/config';
import { paint, type Output } from '../output.js';
import { configOption } from '../paths.js';
import { callBridge, loadOrReport } from './bridge.js';

export function testAlertCommand(o: Output, setExit: (code: number) => void): Command {
  return new Command('test-alert')
    .description('send a sample notification through a channel now, through the running bridge, and show the result per recipient')
    .addOption(new Option('--channel <channel>', 'channel to test').choices([...CHANNELS, 'all']).default('all'))
    .addOption(configOption())
    .option('-m, --message <text>', 'message text', 'This is a test alert from TraderAdmin.')
    .option('--url <url>', 'bridge URL (default: http://<alert_bridge.listen>)')
    .option('--json', 'print the JSON answer')
    .action(async (opts: { channel: string; config: string; message: string; url?: string; json?: boolean }) => {
      const loaded = loadOrReport(opts.config, o);
      if (!loaded) return setExit(1);
      const res = await callBridge(loaded, 'POST', '/api/v1/test-alert', { channel: opts.channel, message: opts.message }, opts.url);
      const body = res.body as { results?: TestAlertResult[]; error?: string };
      if (opts.json) o.out(JSON.stringify(body, null, 2));
      if (!body?.results) {
        o.err(paint(o, 'red', `✗ ${body?.error ?? `bridge answered ${res.status}`}`));
        return setExit(1);
      }
      if (!opts.json) {
        if (body.results.length === 0) {
          o.err(paint(o, 'red', `✗ ${body.error ?? 'no channel enabled'}`));
          const page = loaded.config.alerts_page.listen;
          o.err(`  edit it on the alerts page (traderadmin page, http://${page}/) or in ${loaded.file}, then run: traderadmin apply`);
        }
        for (const r of body.results) {
          if (r.ok) o.out(paint(o, 'green', `✓ ${r.channel} → ${r.recipient}${r.providerId ? ` (${r.providerId})` : ''}`));
          else o.err(paint(o, 'red', `✗ ${r.channel} → ${r.recipient}: ${r.error}`));
        }
      }
      setExit(body.results.length > 0 && body.results.every((r) => r.ok) ? 0 : 1);
    });
}
