import { Given, Then, When } from '@cucumber/cucumber';
import assert from 'node:assert/strict';
import { promQuery, type TelegramSentMessage } from '@traderadmin/test-support';
import { ACCOUNT, TELEGRAM_CHAT, between } from '../support/chain.js';
import { noticePattern } from '../support/notices.js';
import type { TraderWorld } from '../support/world.js';

const OTHER_CHAT = '555000111';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface AmSilence {
  id: string;
  matchers: Array<{ name: string; value: string; isRegex: boolean; isEqual: boolean }>;
  startsAt: string;
  endsAt: string;
  createdBy: string;
  status: { state: string };
}

async function amGet<T>(world: TraderWorld, path: string): Promise<T> {
  const chain = await world.ensureChain();
  const res = await fetch(`${chain.alertmanager.url}/api/v2${path}`);
  assert.equal(res.status, 200, `Alertmanager ${path}: ${res.status}`);
  return (await res.json()) as T;
}

async function until(what: string, probe: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await probe())) {
    if (Date.now() > deadline) assert.fail(`timed out waiting for ${what}`);
    await sleep(250);
  }
}

const firingCount = async (world: TraderWorld) => {
  const chain = await world.ensureChain();
  return chain.count('telegram', noticePattern('telegram', 'OrderLatencyHigh', 'firing'));
};

Given('Telegram is the alert channel', function (this: TraderWorld) {
  this.chainOptions.channels = ['telegram'];
  // One slow order keeps OrderLatencyHigh firing for this long: short, so it can resolve and fire again.
  this.chainOptions.latencyWindowSeconds = 8;
});

Given('Prometheus scrapes the exporter', async function (this: TraderWorld) {
  const chain = await this.ensureChain();
  // The slow order counts for latency_window_seconds only: make sure a scrape will see it.
  await until(
    'a first scrape of the exporter',
    async () => (await promQuery(chain.prometheus.url, 'trader_exporter_build_info')).length > 0,
    30_000,
  );
});

Then(
  'the Telegram chat gets OrderLatencyHigh with the buttons {string} and {string}',
  async function (this: TraderWorld, one: string, two: string) {
    const chain = await this.ensureChain();
    const from = this.notes.pushedAt as number;
    await chain.want('telegram', between(from, from + 30), noticePattern('telegram', 'OrderLatencyHigh', 'firing'));
    const message = chain.telegram!.sent.find((m) => m.chat_id === TELEGRAM_CHAT && /^<b>FIRING [a-z]+: OrderLatencyHigh/.test(m.text))!;
    assert.match(message.text, /250\s?ms/);
    assert.match(message.text, /•••4567/);
    const buttons = message.reply_markup?.inline_keyboard.flat() ?? [];
    assert.deepEqual(
      buttons.map((b) => b.text),
      [one, two],
    );
    this.notes.telegramMessage = message;
  },
);

When('the trader presses {string} under it', async function (this: TraderWorld, label: string) {
  const chain = await this.ensureChain();
  const message = this.notes.telegramMessage as TelegramSentMessage;
  const button = message.reply_markup!.inline_keyboard.flat().find((b) => b.text === label)!;
  this.notes.buttonData = button.callback_data;
  this.notes.pressedAt = Date.now();
  chain.telegram!.pressButton(message, button.callback_data!);
  await chain.telegram!.drained();
});

Then('Alertmanager has a one-hour silence on every label of that alert, made from Telegram', async function (this: TraderWorld) {
  const chain = await this.ensureChain();
  const alerts = await amGet<Array<{ labels: Record<string, string> }>>(this, '/alerts?filter=alertname%3D%22OrderLatencyHigh%22');
  assert.equal(alerts.length, 1, JSON.stringify(alerts));
  let silences: AmSilence[] = [];
  await until(
    'the silence in Alertmanager',
    async () => (silences = (await amGet<AmSilence[]>(this, '/silences')).filter((s) => s.status.state === 'active')).length > 0,
    5000,
  );
  assert.equal(silences.length, 1);
  const s = silences[0];
  assert.match(s.createdBy, /^telegram:@trader$/);
  const matchers = Object.fromEntries(s.matchers.map((m) => [m.name, m.value]));
  assert.deepEqual(matchers, alerts[0].labels);
  assert.ok(s.matchers.every((m) => m.isEqual && !m.isRegex));
  const minutes = (Date.parse(s.endsAt) - Date.parse(s.startsAt)) / 60_000;
  assert.ok(Math.abs(minutes - 60) < 1, `silence lasts ${minutes} min`);
  // The button was answered, taken off the message, and the chat was told who silenced it.
  assert.match(chain.telegram!.callbackAnswers.at(-1)!.text ?? '', /^Silenced until /);
  assert.deepEqual((this.notes.telegramMessage as TelegramSentMessage).reply_markup?.inline_keyboard, []);
  assert.ok(chain.telegram!.sent.some((m) => /OrderLatencyHigh<\/b> for account •••4567 silenced by @trader/.test(m.text)));
  this.notes.silenceCount = silences.length;
});

Then('when OrderLatencyHigh resolves and fires again, Telegram gets no new OrderLatencyHigh message', async function (this: TraderWorld) {
  const chain = await this.ensureChain();
  const firing = () => promQuery(chain.prometheus.url, `ALERTS{alertname="OrderLatencyHigh",alertstate="firing",account="${ACCOUNT}"}`);
  await until('OrderLatencyHigh to resolve', async () => (await firing()).length === 0, 20_000);
  const before = await firingCount(this);
  assert.equal(before, 1);
  const price = (await chain.emulator.control.state()).prices.MSFT;
  await chain.emulator.control.fill({ account: ACCOUNT, symbol: 'MSFT', side: 'BUY', quantity: 10, price, latencyMs: 300 });
  await until('OrderLatencyHigh to fire again', async () => (await firing()).length > 0, 20_000);
  // Alertmanager has it again, muted by the silence; unmuted it would reach Telegram within
  // group_wait + group_interval (1 s each in the chain) of arriving.
  const suppressed = async () =>
    (
      await amGet<Array<{ status: { state: string; silencedBy: string[] } }>>(this, '/alerts?filter=alertname%3D%22OrderLatencyHigh%22')
    ).some((a) => a.status.state === 'suppressed' && a.status.silencedBy.length === 1);
  await until('Alertmanager to hold the alert again, silenced', suppressed, 10_000);
  await sleep(3000);
  assert.equal(await firingCount(this), before, chain.describeReceived());
});

When('the trader sends {string}', async function (this: TraderWorld, text: string) {
  const chain = await this.ensureChain();
  this.notes.sentBefore = chain.telegram!.sent.length;
  chain.telegram!.sendCommand(TELEGRAM_CHAT, text);
  await chain.telegram!.drained();
});

Then('the answer shows the equity, daily P&L and open positions the exporter reports', async function (this: TraderWorld) {
  const chain = await this.ensureChain();
  const answer = chain.telegram!.sent.slice(this.notes.sentBefore as number).find((m) => m.chat_id === TELEGRAM_CHAT);
  assert.ok(answer, 'no answer to /status');
  const snap = (await (await fetch(`${chain.exporter.url}/api/v1/metrics`)).json()) as {
    accounts: Record<string, { portfolio: { equity: number; openPositionsCount: number; realizedPnlToday: number } }>;
  };
  const p = snap.accounts[ACCOUNT].portfolio;
  const equity = /Equity \$([\d,]+\.\d\d)/.exec(answer.text);
  assert.ok(equity, answer.text);
  // Prices tick every second: the figure is the exporter's, a moment earlier.
  const shown = Number(equity[1].replace(/,/g, ''));
  assert.ok(Math.abs(shown - p.equity) / p.equity < 0.01, `equity ${shown} vs the exporter's ${p.equity}`);
  assert.match(answer.text, /Daily P&amp;L [+-]?\$[\d,]+\.\d\d \(realized [+-]?\$[\d,]+\.\d\d/);
  assert.match(answer.text, new RegExp(`Open positions: ${p.openPositionsCount}\\n\\s+MSFT 20 `));
  assert.match(answer.text, /Broker: connected/);
  assert.match(answer.text, /🔥 <b>OrderLatencyHigh<\/b>|silenced or waiting/);
});

When('a chat that is not in chat_ids sends {string} and presses the button', async function (this: TraderWorld, text: string) {
  const chain = await this.ensureChain();
  this.notes.sentBefore = chain.telegram!.sent.length;
  this.notes.answersBefore = chain.telegram!.callbackAnswers.length;
  chain.telegram!.sendCommand(OTHER_CHAT, text, { id: 999, username: 'stranger' });
  const message = this.notes.telegramMessage as TelegramSentMessage;
  chain.telegram!.pressButton(message, 's:tm:' + (this.notes.buttonData as string).slice(5), { id: 999, username: 'stranger' }, OTHER_CHAT);
  await chain.telegram!.drained();
});

Then('the bot answers nothing, makes no silence, and logs the chat as ignored', async function (this: TraderWorld) {
  const chain = await this.ensureChain();
  assert.equal(chain.telegram!.sent.length, this.notes.sentBefore, 'the bot answered a stranger');
  assert.equal(chain.telegram!.callbackAnswers.length, this.notes.answersBefore);
  const silences = (await amGet<AmSilence[]>(this, '/silences')).filter((s) => s.status.state === 'active');
  assert.equal(silences.length, this.notes.silenceCount);
  const ignored = chain.bridgeLog.filter(
    (l) => l.includes('telegram update from a chat not in chat_ids ignored') && l.includes(OTHER_CHAT),
  );
  assert.equal(ignored.length, 2, chain.bridgeLog.slice(-10).join('\n'));
});

Then('the bot token appears in no line the bridge logged', async function (this: TraderWorld) {
  const chain = await this.ensureChain();
  const token = chain.telegram!.token;
  assert.ok(chain.bridgeLog.length > 0);
  assert.deepEqual(
    chain.bridgeLog.filter((l) => l.includes(token) || l.includes(token.split(':')[1])),
    [],
  );
});
