/**
 * Telegram, Discord and PagerDuty: each notifier against its local peer (the peers hold the
 * providers' payload rules), the rate-limit answers, the Telegram command bot (authorised
 * chats only, silence buttons, 429 on an answer) with an injected stack, and redaction of
 * secrets that travel in URLs.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Secret } from '@traderadmin/config';
import {
  assertContainsEach,
  startDiscordPeer,
  startPagerDutyPeer,
  startTelegramPeer,
  telegramHtmlProblems,
  type DiscordPeer,
  type PagerDutyPeer,
  type TelegramPeer,
} from '@traderadmin/test-support';
import { renderTelegram } from '../src/format/telegram.js';
import { renderDiscord, SEVERITY_COLOURS } from '../src/format/discord.js';
import { dedupKey } from '../src/format/pagerduty.js';
import { Redactor } from '@traderadmin/kit';
import { discordNotifier } from '../src/notifiers/discord.js';
import { pagerdutyNotifier } from '../src/notifiers/pagerduty.js';
import { telegramNotifier } from '../src/notifiers/telegram.js';
import type { SilenceRequest } from '../src/silences.js';
import type { StackReader } from '../src/stack.js';
import { startTelegramBot } from '../src/telegram/bot.js';
import { SilenceKeys } from '../src/telegram/keys.js';
import { tomorrowAt } from '../src/telegram/time.js';
import type { Notification, OutgoingMessage } from '../src/types.js';
import { alert, captureLogger, payload } from './helpers.js';

const links = { alertmanagerUrl: 'http://am.test', grafanaUrl: 'http://grafana.test', consoleUrl: 'http://console.test' };
const clock = { now: () => Date.now() };
const note = (over: Partial<Notification> = {}, alerts = [alert()]): Notification => {
  const { version: _v, ...p } = payload({}, alerts);
  return { kind: 'alert', ...p, ...over };
};
const message = (channel: OutgoingMessage['channel'], recipient: string, notifications = [note()]): OutgoingMessage => ({
  id: 'n1',
  key: 'k1',
  channel,
  recipient,
  notifications,
});
const signal = () => AbortSignal.timeout(10_000);
const CHAT = '123456789';

let telegram: TelegramPeer;
let discord: DiscordPeer;
let pagerduty: PagerDutyPeer;
beforeAll(async () => {
  [telegram, discord, pagerduty] = await Promise.all([
    startTelegramPeer({ chats: [CHAT, '-1001'], maxPollSeconds: 2 }),
    startDiscordPeer({ limit: 2, windowMs: 600 }),
    startPagerDutyPeer(),
  ]);
});
afterAll(async () => {
  await Promise.all([telegram?.stop(), discord?.stop(), pagerduty?.stop()]);
});

const telegramConfig = (token = telegram.token) => ({
  enabled: true,
  bot_token: new Secret(token),
  chat_ids: [CHAT, '-1001'],
  api_base_url: telegram.url,
  commands: true,
  daily_summary_at: undefined,
  min_severity: 'warning' as const,
});

describe('telegram (grammY → Bot API peer)', () => {
  it('sends escaped HTML with the two silence buttons and remembers the labels behind them', async () => {
    const keys = new SilenceKeys();
    const hostile = alert({ annotations: { summary: 'P&L <script>alert(1)</script> "quoted" & done' } });
    const r = await telegramNotifier({ config: telegramConfig(), links, fetch, clock, keys }).notify(
      message('telegram', CHAT, [note({}, [hostile])]),
      signal(),
    );
    expect(r, JSON.stringify(telegram.lastProblems())).toMatchObject({ status: 'sent', providerId: expect.stringMatching(/^\d+$/) });
    const sent = telegram.sent.at(-1)!;
    expect(sent.parse_mode).toBe('HTML');
    expect(sent.text).toContain('P&amp;L &lt;script&gt;alert(1)&lt;/script&gt; &quot;quoted&quot; &amp; done');
    expect(sent.reply_markup?.inline_keyboard[0].map((b) => b.text)).toEqual(['Silence 1 h', 'Silence until tomorrow']);
    expect(sent.reply_markup?.inline_keyboard[0].map((b) => b.callback_data)).toEqual(['s:1h:a1b2c3d4e5f60718', 's:tm:a1b2c3d4e5f60718']);
    expect(keys.labels('a1b2c3d4e5f60718')).toMatchObject({ alertname: 'OrderLatencyHigh', account: 'DU1234567' });
  });

  it('keeps a storm of 300 alerts within 4096 characters, whole alerts only, "+N more" and at most 4 button rows', () => {
    const many = Array.from({ length: 300 }, (_, i) => alert({ fingerprint: `f${i}`, labels: { account: `DU${1000000 + i}` } }));
    const out = renderTelegram([note({}, many)], links, 'n1');
    const checked = telegramHtmlProblems(out.text);
    expect(checked.problems).toEqual([]);
    expect(out.text.length).toBeLessThanOrEqual(4096);
    expect(out.text).toMatch(/\+\d+ more alerts not shown/);
    expect(out.buttons.length).toBe(4);
    expect(out.buttons.flat().every((b) => Buffer.byteLength(b.callback_data) <= 64)).toBe(true);
  });

  it('maps 429 to a retry after retry_after, a wrong token to auth and an unknown chat to a permanent recipient error', async () => {
    const n = telegramNotifier({ config: telegramConfig(), links, fetch, clock });
    telegram.rateLimit('sendMessage', 7);
    expect(await n.notify(message('telegram', CHAT), signal())).toMatchObject({
      status: 'retry',
      reason: 'rate_limited',
      retryAfterMs: 7000,
    });
    expect(await n.notify(message('telegram', CHAT), signal())).toMatchObject({ status: 'sent' });
    const wrong = await telegramNotifier({ config: telegramConfig('1:wrong'), links, fetch, clock }).notify(
      message('telegram', CHAT),
      signal(),
    );
    expect(wrong).toMatchObject({ status: 'permanent', reason: 'auth' });
    expect(await n.notify(message('telegram', '999'), signal())).toMatchObject({ status: 'permanent', reason: 'invalid_recipient' });
  });
});

describe('discord (webhook peer)', () => {
  const config = () => ({
    enabled: true,
    webhook_url: new Secret(discord.webhookUrl),
    daily_summary_at: undefined,
    min_severity: 'warning' as const,
  });

  it('sends one embed per alert coloured by severity, with mentions escaped and allowed_mentions empty', async () => {
    const loud = alert({ annotations: { summary: '@everyone look <@123456> and @here' } });
    const crit = alert({ fingerprint: 'ffff', labels: { alertname: 'DrawdownTodayExceeded', severity: 'critical' } });
    const r = await discordNotifier({ config: config(), links, fetch, clock }).notify(
      message('discord', 'discord', [note({}, [loud, crit])]),
      signal(),
    );
    expect(r, JSON.stringify(discord.lastProblems())).toMatchObject({ status: 'sent', providerId: expect.stringMatching(/^\d+$/) });
    const body = discord.messages().at(-1)!;
    expect(body.allowed_mentions).toEqual({ parse: [] });
    expect(body.embeds!.map((e) => e.color)).toEqual([SEVERITY_COLOURS.warning, SEVERITY_COLOURS.critical]);
    expect(JSON.stringify(body)).not.toMatch(/@everyone|@here|<@123456>/);
  });

  it('fits a storm in 10 embeds and 6000 characters', () => {
    const many = Array.from({ length: 80 }, (_, i) => alert({ fingerprint: `f${i}` }));
    const out = renderDiscord([note({}, many)], links, 'n1');
    expect(out.embeds.length).toBe(10);
    expect(out.embeds.at(-1)!.title).toMatch(/^\+\d+ more alerts not shown$/);
    const total = out.embeds.reduce(
      (s, e) =>
        s +
        e.title.length +
        (e.description?.length ?? 0) +
        (e.footer?.text.length ?? 0) +
        (e.fields ?? []).reduce((t, f) => t + f.name.length + f.value.length, 0),
      0,
    );
    expect(total).toBeLessThanOrEqual(6000);
  });

  it('holds the next message when X-RateLimit-Remaining is 0, and retries a 429 after its retry_after', async () => {
    const n = discordNotifier({ config: config(), links, fetch, clock });
    await new Promise((r) => setTimeout(r, 650)); // a fresh window of 2
    const first = await n.notify(message('discord', 'discord'), signal());
    const second = await n.notify(message('discord', 'discord'), signal());
    expect(first).toMatchObject({ status: 'sent' });
    expect(first.status === 'sent' && first.holdMs).toBeUndefined();
    expect(second.status === 'sent' && second.holdMs).toBeGreaterThan(0);
    const third = await n.notify(message('discord', 'discord'), signal());
    expect(third).toMatchObject({ status: 'retry', reason: 'rate_limited', retryAfterMs: expect.any(Number) });
    expect(third.status === 'retry' && third.retryAfterMs).toBeLessThanOrEqual(600);
  });
});

describe('pagerduty (Events API v2 peer)', () => {
  const config = (key = pagerduty.routingKey) => ({
    enabled: true,
    routing_key: new Secret(key),
    api_base_url: pagerduty.url,
    min_severity: 'critical' as const,
  });

  it('triggers with the group dedup key and mapped severity, then resolves the same incident', async () => {
    const crit = alert({ labels: { alertname: 'DrawdownTodayExceeded', severity: 'critical' } });
    const firing = note({}, [crit]);
    const n = pagerdutyNotifier({ config: config(), links, fetch, clock });
    expect(await n.notify(message('pagerduty', 'pagerduty', [firing]), signal())).toMatchObject({
      status: 'sent',
      providerId: dedupKey(firing.groupKey),
    });
    const trigger = pagerduty.events().at(-1)!;
    expect(trigger).toMatchObject({ event_action: 'trigger', dedup_key: dedupKey(firing.groupKey), payload: { severity: 'critical' } });
    expect(trigger.payload!.summary).toContain('DrawdownTodayExceeded');
    expect(pagerduty.incidents().get(dedupKey(firing.groupKey))).toBe('triggered');
    const resolved = note({ status: 'resolved' }, [{ ...crit, status: 'resolved', endsAt: '2026-11-21T10:05:00Z' }]);
    expect(await n.notify(message('pagerduty', 'pagerduty', [resolved]), signal())).toMatchObject({ status: 'sent' });
    expect(pagerduty.events().at(-1)).toMatchObject({ event_action: 'resolve', dedup_key: dedupKey(firing.groupKey) });
    expect(pagerduty.incidents().get(dedupKey(firing.groupKey))).toBe('resolved');
  });

  it('treats an invalid key as permanent and a 429 as a retry', async () => {
    const bad = await pagerdutyNotifier({ config: config('x'.repeat(32)), links, fetch, clock }).notify(
      message('pagerduty', 'pagerduty'),
      signal(),
    );
    expect(bad).toMatchObject({ status: 'permanent', reason: 'client_error' });
    pagerduty.behave({ fail: { status: 429, retryAfter: '3', times: 1 } });
    const limited = await pagerdutyNotifier({ config: config(), links, fetch, clock }).notify(message('pagerduty', 'pagerduty'), signal());
    expect(limited).toMatchObject({ status: 'retry', reason: 'rate_limited', retryAfterMs: 3000 });
  });
});

describe('telegram command bot (long polling, injected stack)', () => {
  const created: SilenceRequest[] = [];
  const stack: StackReader = {
    snapshot: async () => ({
      timestamp: '2026-11-21T15:00:00Z',
      tradingDayStart: '2026-11-21T05:00:00Z',
      accounts: {
        DU1234567: {
          portfolio: {
            equity: 101234.5,
            realizedPnlToday: 300,
            unrealizedPnl: -25.5,
            dailyPnl: 274.5,
            openPositionsCount: 1,
            currency: 'USD',
          },
          trades: { executedCount: 4, winCount: 3, lossCount: 1, breakevenCount: 0, winRate: 0.75 },
          system: { brokerConnected: true, maxOrderLatencyMs: 120 },
          positions: [{ symbol: 'AAPL', quantity: 100, unrealizedPnl: -25.5, currency: 'USD' }],
        },
      },
    }),
    alerts: async () => [
      {
        labels: { alertname: 'OrderLatencyHigh', severity: 'warning', account: 'DU1234567', instance: 'x' },
        annotations: { summary: 'slow <order>' },
        fingerprint: 'cafe0123',
        startsAt: '2026-11-21T14:59:00Z',
        status: { state: 'active', silencedBy: [], inhibitedBy: [] },
      },
    ],
    query: async () => [],
  };
  const silences = {
    list: async () => [],
    create: async (req: SilenceRequest) => {
      created.push(req);
      return { silenceID: `sil-${created.length}`, endsAt: req.endsAt ?? new Date(Date.now() + 3_600_000).toISOString() };
    },
    expire: async () => undefined,
  };
  const log = captureLogger();
  let bot: { stop(): Promise<void> };
  const NOW = Date.parse('2026-11-21T15:00:00Z');
  beforeAll(() => {
    bot = startTelegramBot({
      config: telegramConfig(),
      token: telegram.token,
      fetch,
      logger: log,
      stack,
      silences,
      keys: new SilenceKeys(),
      now: () => NOW,
      timeZone: () => 'America/New_York',
      marketOpen: () => '09:30',
      maxRetryAfterMs: 1500,
    });
  });
  afterAll(async () => bot?.stop());

  it('answers /status with the exporter figures and what fires, escaped', async () => {
    const before = telegram.sent.length;
    telegram.sendCommand(CHAT, '/status');
    await telegram.drained();
    const reply = telegram.sent.slice(before).find((m) => m.chat_id === CHAT)!;
    expect(telegramHtmlProblems(reply.text).problems).toEqual([]);
    assertContainsEach(reply.text, [
      'Equity $101,234.50',
      'Daily P&amp;L +$274.50 (realized +$300.00',
      'AAPL 100',
      '75% won',
      '<b>OrderLatencyHigh</b> •••4567',
      'slow &lt;order&gt;',
    ]);
  });

  it('ignores and logs a command and a button press from a chat not in chat_ids', async () => {
    const before = telegram.sent.length;
    const answers = telegram.callbackAnswers.length;
    telegram.sendCommand('555', '/status');
    telegram.pressButton({ message_id: 1, chat_id: '555', text: 'x', at: 0 }, 's:1h:cafe0123');
    await telegram.drained();
    expect(telegram.sent.length).toBe(before);
    expect(telegram.callbackAnswers.length).toBe(answers);
    expect(created.length).toBe(0);
    expect(
      log
        .records()
        .filter((r) => r.msg === 'telegram update from a chat not in chat_ids ignored')
        .map((r) => r.kind),
    ).toEqual(['message', 'callback_query']);
  });

  it('makes the silence from a button with every label as a matcher, until tomorrow at market open', async () => {
    const sent = {
      message_id: 7,
      chat_id: CHAT,
      text: 'alert',
      at: 0,
      reply_markup: { inline_keyboard: [[{ text: 'Silence 1 h', callback_data: 's:tm:cafe0123' }]] },
    };
    telegram.sent.push(sent);
    telegram.pressButton(sent, 's:tm:cafe0123');
    await telegram.drained();
    expect(created).toHaveLength(1);
    expect(created[0].matchers).toEqual(
      expect.arrayContaining([
        { name: 'alertname', value: 'OrderLatencyHigh', isRegex: false, isEqual: true },
        { name: 'instance', value: 'x', isRegex: false, isEqual: true },
      ]),
    );
    expect(created[0].endsAt).toBe(new Date(tomorrowAt(NOW, '09:30', 'America/New_York')).toISOString());
    expect(created[0].endsAt).toBe('2026-11-22T14:30:00.000Z');
    expect(telegram.callbackAnswers.at(-1)!.text).toMatch(/^Silenced until 2026-11-22 09:30 America\/New_York/);
    expect(sent.reply_markup.inline_keyboard).toEqual([]);
  });

  it('parses /silence <alert> [account] <duration>, and waits out a 429 on its answer', async () => {
    telegram.rateLimit('sendMessage', 1);
    const t0 = Date.now();
    telegram.sendCommand(CHAT, '/silence ApiErrorsExcessive DU1234567 2h');
    await telegram.drained();
    expect(Date.now() - t0).toBeGreaterThanOrEqual(900);
    expect(created.at(-1)).toMatchObject({ alertname: 'ApiErrorsExcessive', account: 'DU1234567', duration: '2h' });
    expect(telegram.sent.at(-1)!.text).toContain('<b>ApiErrorsExcessive</b> for account •••4567 silenced until');
    telegram.sendCommand(CHAT, '/silence OrderLatencyHigh forever');
    await telegram.drained();
    expect(telegram.sent.at(-1)!.text).toContain('forever is not a duration');
  });
});

describe('redaction of secrets in URLs', () => {
  it('hides the bot token inside a Bot API URL, raw and percent-encoded', async () => {
    const { secretValues } = await import('@traderadmin/config');
    const { loadConfig } = await import('@traderadmin/config');
    const { mkdtempSync, writeFileSync } = await import('node:fs');
    const dir = mkdtempSync('/tmp/chat-redact-');
    writeFileSync(
      `${dir}/config.toml`,
      `[alerts_config.notifications.telegram]\nenabled = true\nbot_token = "env:TG"\nchat_ids = ["1"]\n[alerts_config.notifications.pagerduty]\nenabled = true\nrouting_key = "env:PD"\n[alerts_config.notifications.discord]\nenabled = true\nwebhook_url = "env:DC"\n`,
    );
    const env = { TG: telegram.token, PD: pagerduty.routingKey, DC: discord.webhookUrl };
    const loaded = loadConfig(`${dir}/config.toml`, { env });
    const r = new Redactor();
    r.set(secretValues(loaded.config, env));
    const line = `GET ${telegram.url}/bot${telegram.token}/getUpdates failed; retry ${telegram.url}/bot${encodeURIComponent(telegram.token)}/sendMessage; key ${pagerduty.routingKey}; ${discord.webhookUrl.replace(discord.url, 'https://discord.com')}`;
    const out = r.redact(line);
    for (const s of [telegram.token, encodeURIComponent(telegram.token), pagerduty.routingKey, 'discordWebhookSecretToken_0123456789'])
      expect(out).not.toContain(s);
    expect(out).toContain('/getUpdates');
  });
});
