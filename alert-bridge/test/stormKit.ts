/**
 * An alert storm through the real Alertmanager and the real bridge, shared by bench/storm.ts
 * (full scale) and alert-bridge/test/storm.test.ts (bounded).
 *
 * Alerts are POSTed to Alertmanager's /api/v2/alerts as Prometheus would (many distinct label
 * sets over `accounts` accounts and several alert names); Alertmanager runs the generated
 * alertmanager.yml, which routes to the bridge, which delivers to loopback SMTP, Slack, Twilio
 * and webhook peers with its default rate limits and digest threshold. What the peers received
 * is then accounted for: every alert (by its unique `symbol` label) in the webhook bodies, the
 * notification count of every message on every channel, the arrival rate per destination,
 * SMS segments, and the dead-letter list.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { RunningBridge } from '../src/index.js';
import { RunningChain, sleep, type PeerSpecs } from '@traderadmin/test-support';

export type StormChannel = 'email' | 'slack' | 'sms' | 'webhook';
export const STORM_CHANNELS: StormChannel[] = ['email', 'slack', 'sms', 'webhook'];

/** Alert names and severities used by the storm (SMS gets the critical ones only, as by default). */
const NAMES: Array<[string, string]> = [
  ['OrderLatencyHigh', 'warning'],
  ['ApiErrorsExcessive', 'warning'],
  ['DailyRealizedPnlBelowLimit', 'critical'],
  ['DrawdownTodayExceeded', 'critical'],
];

export interface StormOptions {
  /** Alerts to post, spread evenly over `seconds`. */
  alerts: number;
  seconds: number;
  accounts: number;
  /** Alertmanager timings (the stack's defaults are 10 s and 60 s). */
  groupWaitSeconds: number;
  groupIntervalSeconds: number;
  /** Give up waiting for the last alert this long after the last POST. */
  drainTimeoutSeconds: number;
}

export interface ChannelStats {
  /** Messages the peer accepted. */
  messages: number;
  /** Notifications those messages carry (1, or N for a digest "N notifications: …"). */
  notifications: number;
  /** Notifications the bridge stored for this channel (alert_bridge_notifications_received_total). */
  stored: number;
  /** Notifications the bridge reports delivered (alert_bridge_notifications_sent_total). */
  sent: number;
  digests: number;
  /** Most messages seen within any 1 s window, and the shortest gap between two, ms. */
  maxPerSecond: number;
  minGapMs: number;
  /** Seconds from the first POST to the last message. */
  lastAt: number;
}

export interface StormResult {
  posted: number;
  postSeconds: number;
  /** Distinct alerts (by label set) found in the webhook bodies. */
  seenInWebhook: number;
  missing: string[];
  /** Seconds from the first POST until the last alert was first delivered at the webhook sink. */
  lastAlertDeliveredAt: number;
  channels: Record<StormChannel, ChannelStats>;
  /** Largest SMS in segments (independent GSM-7 / UCS-2 count). */
  maxSmsSegments: number;
  smsBodies: string[];
  slackBodies: unknown[];
  deadLetters: number;
  pendingAtEnd: number;
  /** Slack messages the peer rejected (Block Kit limits), and any other non-2xx answer per channel. */
  rejected: Record<StormChannel, number>;
}

const GSM =
  '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà';
const GSM_EXT = '^{}\\[~]|€\f';

/** SMS segments as the network counts them (3GPP TS 23.038): GSM-7 160 / 153, else UCS-2 70 / 67. */
export function countSegments(text: string): number {
  let gsm = true;
  let septets = 0;
  for (const ch of text) {
    if (GSM.includes(ch)) septets += 1;
    else if (GSM_EXT.includes(ch)) septets += 2;
    else gsm = false;
  }
  const units = gsm ? septets : text.length;
  const [single, multi] = gsm ? [160, 153] : [70, 67];
  return units <= single ? 1 : Math.ceil(units / multi);
}

/** Notifications a rendered message carries: N for a digest titled "N notifications: …", else 1. */
function carried(text: string): { n: number; digest: boolean } {
  const m = /DIGEST\]? ?:? ?(\d+) notifications:/.exec(text);
  return m ? { n: Number(m[1]), digest: true } : { n: 1, digest: false };
}

function rateStats(times: number[]): { maxPerSecond: number; minGapMs: number } {
  const t = [...times].sort((a, b) => a - b);
  let maxPerSecond = t.length ? 1 : 0;
  let minGapMs = Infinity;
  let lo = 0;
  for (let i = 0; i < t.length; i++) {
    if (i > 0) minGapMs = Math.min(minGapMs, t[i] - t[i - 1]);
    while (t[i] - t[lo] >= 1000) lo++;
    maxPerSecond = Math.max(maxPerSecond, i - lo + 1);
  }
  return { maxPerSecond, minGapMs };
}

async function bridgeCounters(bridge: RunningBridge, name: string): Promise<Record<string, number>> {
  const text = await (await fetch(`${bridge.url}/metrics`)).text();
  const out: Record<string, number> = {};
  for (const line of text.split('\n')) {
    const m = new RegExp(`^${name}\\{channel="(\\w+)"\\} (\\S+)$`).exec(line);
    if (m) out[m[1]] = Number(m[2]);
  }
  return out;
}

const STORM_PEERS = { email: {}, slack: {}, sms: {}, webhook: {} } satisfies PeerSpecs;

/** Runs one storm and accounts for what arrived. Everything it starts is stopped before it returns. */
export async function runStorm(o: StormOptions): Promise<StormResult> {
  const dir = mkdtempSync(path.join(tmpdir(), 'storm-'));
  try {
    // The bridge's defaults: rate limits (Slack and SMS 1/s, email 5/s, webhook 20/s), digest_threshold 5.
    const chain = await RunningChain.start({
      dir,
      peers: STORM_PEERS,
      config: { alertmanager: { group_wait_seconds: o.groupWaitSeconds, group_interval_seconds: o.groupIntervalSeconds } },
      bridge: true,
      alertmanager: true,
    });
    try {
      return await storm(chain, o);
    } finally {
      await chain.stop();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function storm(chain: RunningChain<typeof STORM_PEERS>, o: StormOptions): Promise<StormResult> {
  const { email: smtp, slack, sms: twilio, webhook } = chain.peers;
  const bridge = chain.bridge!;
  const am = chain.alertmanager!;

  // Email has no arrival time in the peer: timestamp it by polling.
  const mailTimes: number[] = [];
  const poll = setInterval(() => {
    while (mailTimes.length < smtp.mails.length) mailTimes.push(Date.now());
  }, 20);
  chain.defer(async () => clearInterval(poll));

  // Post the storm: alert k at k × step, alert k in group k mod (names × accounts), so every
  // group opens in the first seconds and keeps growing for the whole storm.
  const accounts = Array.from({ length: o.accounts }, (_, a) => `DU${7000001 + a}`);
  const groups = NAMES.length * accounts.length;
  const step = (o.seconds * 1000) / o.alerts;
  const expected = new Set<string>();
  const t0 = Date.now();
  let next = 0;
  while (next < o.alerts) {
    const due = Math.min(o.alerts, Math.floor((Date.now() - t0) / step) + 1);
    const batch: unknown[] = [];
    for (; next < due; next++) {
      const g = next % groups;
      const [alertname, severity] = NAMES[g % NAMES.length];
      const account = accounts[Math.floor(g / NAMES.length)];
      const symbol = `S${String(next).padStart(5, '0')}`;
      expected.add(symbol);
      batch.push({
        labels: { alertname, severity, account, symbol },
        annotations: { summary: `${alertname} ${symbol} on ${account}`, description: `Storm alert ${next} (${symbol}).` },
        startsAt: new Date().toISOString(),
        endsAt: new Date(Date.now() + 30 * 60_000).toISOString(),
        generatorURL: 'http://127.0.0.1:9090/graph',
      });
    }
    if (batch.length) {
      const res = await fetch(`${am.url}/api/v2/alerts`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(batch),
      });
      if (res.status !== 200) throw new Error(`Alertmanager answered ${res.status}: ${await res.text()}`);
    }
    await sleep(50);
  }
  const postSeconds = (Date.now() - t0) / 1000;

  // Wait until every alert reached the webhook sink and the bridge's outbox is empty.
  const firstSeen = new Map<string, number>();
  let parsed = 0;
  const scan = () => {
    for (; parsed < webhook.requests.length; parsed++) {
      const r = webhook.requests[parsed];
      if (r.status !== 200) continue;
      const body = JSON.parse(r.body) as { alerts: Array<{ labels: Record<string, string> }> };
      for (const a of body.alerts) {
        const s = a.labels.symbol;
        if (s && !firstSeen.has(s)) firstSeen.set(s, r.at);
      }
    }
  };
  const deadline = Date.now() + o.drainTimeoutSeconds * 1000;
  while (Date.now() < deadline) {
    scan();
    if (firstSeen.size >= expected.size && bridge.outbox.pending().length === 0) break;
    await sleep(200);
  }
  // A little longer, so a late duplicate or flood would show in the rates.
  await sleep(2000);
  scan();

  const received = await bridgeCounters(bridge, 'alert_bridge_notifications_received_total');
  const sent = await bridgeCounters(bridge, 'alert_bridge_notifications_sent_total');
  const deadRes = await fetch(`${bridge.url}/api/v1/dead-letters`);
  if (!deadRes.ok) throw new Error(`dead-letters answered ${deadRes.status}`);
  const deadLetters = ((await deadRes.json()) as unknown[]).length;

  const texts: Record<StormChannel, Array<{ at: number; text: string }>> = {
    email: smtp.mails.map((m, i) => ({ at: mailTimes[i] ?? Date.now(), text: m.parsed.subject ?? '' })),
    slack: slack.requests.filter((r) => r.status === 200).map((r) => ({ at: r.at, text: JSON.stringify(JSON.parse(r.body)) })),
    sms: twilio.requests.filter((r) => r.status === 201).map((r) => ({ at: r.at, text: new URLSearchParams(r.body).get('Body') ?? '' })),
    webhook: webhook.requests
      .filter((r) => r.status === 200)
      .map((r) => {
        const b = JSON.parse(r.body) as { notifications: number };
        return { at: r.at, text: b.notifications > 1 ? `DIGEST ${b.notifications} notifications:` : '' };
      }),
  };
  const rejected: Record<StormChannel, number> = {
    email: 0,
    slack: slack.requests.filter((r) => r.status !== 200).length,
    sms: twilio.requests.filter((r) => r.status !== 201).length,
    webhook: webhook.requests.filter((r) => r.status !== 200).length,
  };
  const channels = {} as Record<StormChannel, ChannelStats>;
  for (const ch of STORM_CHANNELS) {
    const list = texts[ch];
    const c = list.map((m) => carried(m.text));
    channels[ch] = {
      messages: list.length,
      notifications: c.reduce((s, x) => s + x.n, 0),
      digests: c.filter((x) => x.digest).length,
      stored: received[ch] ?? 0,
      sent: sent[ch] ?? 0,
      ...rateStats(list.map((m) => m.at)),
      lastAt: list.length ? (Math.max(...list.map((m) => m.at)) - t0) / 1000 : NaN,
    };
  }
  const smsBodies = texts.sms.map((m) => m.text);
  return {
    posted: expected.size,
    postSeconds,
    seenInWebhook: [...expected].filter((s) => firstSeen.has(s)).length,
    missing: [...expected].filter((s) => !firstSeen.has(s)),
    lastAlertDeliveredAt: firstSeen.size ? (Math.max(...firstSeen.values()) - t0) / 1000 : NaN,
    channels,
    maxSmsSegments: Math.max(0, ...smsBodies.map(countSegments)),
    smsBodies,
    slackBodies: slack.messages(),
    deadLetters,
    pendingAtEnd: bridge.outbox.pending().length,
    rejected,
  };
}
