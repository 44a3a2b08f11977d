/**
 * Alert storm benchmark (not a test): `node --import tsx bench/storm.ts`.
 *
 * 1,000 alerts in a minute over 10 accounts and 4 alert names (40 Alertmanager groups), POSTed
 * to the real Alertmanager's /api/v2/alerts with the stack's default timings (config.example.toml:
 * group_wait 0 s, group_interval 1 s) and the generated alertmanager.yml, routed to the real bridge with its
 * default rate limits and digest threshold, delivered to loopback SMTP, Slack, Twilio and
 * webhook peers. Reports messages per channel, the highest rate seen per destination, SMS
 * segments, and how long until the last alert was delivered. Exits 1 if anything was lost,
 * flooded or dead-lettered. Bounded: about 1.5 minutes.
 */
import { checkConfigText } from '@traderadmin/config';
import { STORM_CHANNELS, runStorm } from '../alert-bridge/test/stormKit.js';

const defaults = checkConfigText('', 'defaults.toml').config!.alertmanager;
const GROUP_WAIT_S = defaults.group_wait_seconds;
const GROUP_INTERVAL_S = defaults.group_interval_seconds;

const N = 1000;
const r = await runStorm({
  alerts: N,
  seconds: 60,
  accounts: 10,
  groupWaitSeconds: GROUP_WAIT_S,
  groupIntervalSeconds: GROUP_INTERVAL_S,
  drainTimeoutSeconds: 150,
});

const out: string[] = [];
out.push(
  `${r.posted} alerts POSTed to Alertmanager in ${r.postSeconds.toFixed(1)} s (10 accounts × 4 alert names = 40 groups; group_wait ${GROUP_WAIT_S} s, group_interval ${GROUP_INTERVAL_S} s (the defaults); bridge defaults: digest_threshold 5, Slack/SMS 1 msg/s, email 5/s, webhook 20/s).`,
  '',
  '| channel | messages | of which digests | notifications carried | stored by bridge | sent by bridge | max msgs in any 1 s | min gap | last message at | rejected by peer |',
  '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
);
for (const ch of STORM_CHANNELS) {
  const c = r.channels[ch];
  out.push(
    `| ${ch} | ${c.messages} | ${c.digests} | ${c.notifications} | ${c.stored} | ${c.sent} | ${c.maxPerSecond} | ${Number.isFinite(c.minGapMs) ? `${c.minGapMs} ms` : '–'} | ${c.lastAt.toFixed(1)} s | ${r.rejected[ch]} |`,
  );
}
const ok =
  r.missing.length === 0 &&
  r.deadLetters === 0 &&
  r.pendingAtEnd === 0 &&
  r.maxSmsSegments <= 2 &&
  r.channels.slack.maxPerSecond <= 1 &&
  r.channels.sms.maxPerSecond <= 1 &&
  STORM_CHANNELS.every((ch) => r.channels[ch].notifications === r.channels[ch].stored && r.rejected[ch] === 0);
out.push(
  '',
  `| storm result | value |`,
  `| --- | --- |`,
  `| alerts found in webhook bodies | ${r.seenInWebhook} of ${r.posted}${r.missing.length ? ` (missing: ${r.missing.slice(0, 5).join(', ')}…)` : ''} |`,
  `| last alert first delivered (webhook) | ${r.lastAlertDeliveredAt.toFixed(1)} s after the first POST |`,
  `| largest SMS | ${r.maxSmsSegments} segment(s) |`,
  `| dead letters / still queued | ${r.deadLetters} / ${r.pendingAtEnd} |`,
  `| verdict | ${ok ? 'none lost, within rate limits' : 'FAILED'} |`,
);
console.log(out.join('\n'));
if (!ok) process.exitCode = 1;
