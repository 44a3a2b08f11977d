/**
 * Bad input: broken config files for the CLI, broken or oversized requests to the exporter and
 * the bridge, wrong tokens. Each is refused with a clear answer and changes nothing: files are
 * compared byte for byte, metrics and the bridge's outbox before and after.
 */
import { Given, Then, When, type DataTable } from '@cucumber/cucumber';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { cpSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { startAlertsPage } from '@traderadmin/console';
import type { Chain } from '../support/chain.js';
import { ROOT, TRADERADMIN } from '../support/cli.js';
import type { CommandResult, TraderWorld } from '../support/world.js';

/** Every file under `dir` with the sha256 of its bytes. */
function tree(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      const full = path.join(d, name);
      if (statSync(full).isDirectory()) walk(full);
      else out[path.relative(dir, full)] = createHash('sha256').update(readFileSync(full)).digest('hex');
    }
  };
  walk(dir);
  return out;
}

/** Runs `traderadmin ARGS`; kills it after `timeoutMs` (an `up` that accepted the file would run forever). */
function run(args: string[], cwd: string, timeoutMs = 60_000): Promise<CommandResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [TRADERADMIN, ...args], { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code: code ?? -1, stdout, stderr });
    });
  });
}

/** The broken config files a trader (or a bad editor, or a disk error) produces. */
const BROKEN: Record<string, () => string | Buffer> = {
  'a TOML syntax error': () => '[alerts_config]\ncooldown_minutes = 15\n[alerts_config.thresholds\nmax_order_latency_ms = 1000\n',
  // Not valid UTF-8, NULs, control bytes; fixed bytes so the error position is stable.
  'binary garbage': () =>
    Buffer.concat([
      Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0xff, 0xfe]),
      createHash('sha512').update('garbage').digest(),
    ]),
  '5 MB long, with one bad value at the end': () => `${'# padding\n'.repeat(500_000)}[alerts_config]\ncooldown_minutes = "x"\n`,
  'nested 2000 tables deep': () => `a = ${'{ b = '.repeat(2000)}1${' }'.repeat(2000)}\n`,
  'wrong types in every section': () =>
    [
      '[alerts_config]',
      'enabled = "yes"',
      'cooldown_minutes = "15"',
      '[alerts_config.thresholds]',
      'max_order_latency_ms = "fast"',
      'min_daily_realized_pnl = true',
      'max_portfolio_drawdown_percentage_today = [5]',
      'max_api_errors_per_hour = 1.5',
      'max_data_staleness_seconds = { s = 1 }',
      '[broker]',
      'port = "4002"',
      'client_id = -1',
      '[exporter]',
      'listen = 9464',
      '[alert_bridge]',
      'listen = true',
      '',
    ].join('\n'),
  'full of unknown sections': () =>
    '[alerts_config]\ncooldown_minutes = 15\n[alerting]\nfoo = 1\n[alerts_config.notifications.pager]\nenabled = true\n',
};

Given('a config.toml that is {string}, beside the files generated from the last good one', function (this: TraderWorld, kind: string) {
  const make = BROKEN[kind];
  assert.ok(make, `no broken config called "${kind}"`);
  // The layout of `traderadmin up`: etc/config.toml, data/ beside it, data/generated from an earlier run.
  mkdirSync(this.scratch('etc'));
  writeFileSync(this.scratch('etc/config.toml'), make());
  cpSync(path.join(ROOT, 'prometheus/examples/default'), this.scratch('data/generated'), { recursive: true });
  this.notes.before = tree(this.dir);
});

When('the trader runs validate, generate and up on it', async function (this: TraderWorld) {
  const config = 'etc/config.toml';
  const [validate, generate, up] = await Promise.all([
    run(['validate', '--config', config], this.dir),
    run(['generate', '--config', config, '--out', 'data/generated'], this.dir),
    run(['up', '--config', config], this.dir),
  ]);
  this.notes.results = { validate, generate, up };
});

Then('each refuses it with exit code 1, saying {string}', function (this: TraderWorld, says: string) {
  const results = this.notes.results as Record<string, CommandResult>;
  for (const [command, r] of Object.entries(results)) {
    const output = `${r.stdout}${r.stderr}`;
    assert.equal(r.code, 1, `${command} exited ${r.code}\n${output.slice(0, 2000)}`);
    assert.ok(output.includes(says), `${command} does not say "${says}":\n${output.slice(0, 2000)}`);
    // A file full of problems lists each, not a stack trace.
    assert.doesNotMatch(output, /\n\s+at .+\(.+:\d+:\d+\)/, `${command} printed a stack trace`);
  }
});

Then('each lists exactly {int} problem(s) with file and line', function (this: TraderWorld, count: number) {
  const results = this.notes.results as Record<string, CommandResult>;
  for (const [command, r] of Object.entries(results)) {
    const problems = `${r.stdout}${r.stderr}`.split('\n').filter((l) => /^etc\/config\.toml:\d+(:\d+)?: error: /.test(l));
    assert.equal(problems.length, count, `${command}:\n${problems.join('\n')}`);
  }
});

Then('nothing was written: config.toml and every generated file are byte-identical', function (this: TraderWorld) {
  assert.deepEqual(tree(this.dir), this.notes.before);
});

// ---- The exporter's events API and the bridge's webhook ----

Given('tokens are set for the events API, the bridge and the alerts page', function (this: TraderWorld) {
  this.chainOptions.tokens = {
    events: `ev-${randomBytes(12).toString('hex')}`,
    bridge: `br-${randomBytes(12).toString('hex')}`,
    page: `pg-${randomBytes(12).toString('hex')}`,
  };
});

/** The exporter's series that events move (IB's own codes excluded: the gateway may send a notice any time). */
async function eventSeries(chain: Chain): Promise<string> {
  const text = await (await fetch(`${chain.exporter.url}/metrics`)).text();
  return text
    .split('\n')
    .filter((l) => /^trader_(api_errors_total|order_latency_|component_last_heartbeat|last_data_sync)/.test(l))
    .filter((l) => !l.includes('component="ibkr"') && !l.includes('source="ibkr"'))
    .join('\n');
}

/** The bridge's counters and its outbox folder. */
async function bridgeState(chain: Chain): Promise<string> {
  const text = await (await fetch(`${chain.bridgeUrl}/metrics`)).text();
  const counters = text.split('\n').filter((l) => /^alert_bridge_(notifications_received_total|queue_depth|dead_letters)/.test(l));
  const outbox = path.join(chain.dir, 'bridge-data/outbox');
  return [...counters, JSON.stringify(tree(outbox))].join('\n');
}

const auth = (token?: string): Record<string, string> => (token ? { authorization: `Bearer ${token}` } : {});

/** Bodies the tables name; big ones are made here rather than written out. */
function bodyOf(text: string): string {
  const big = /^(\d+) MB of (events|alerts)$/.exec(text);
  if (!big) return text;
  const size = Number(big[1]) * 1024 * 1024;
  const item =
    big[2] === 'events'
      ? '{"type":"heartbeat","component":"scanner"},'
      : '{"status":"firing","labels":{"alertname":"Flood"},"annotations":{},"startsAt":"2026-01-01T00:00:00Z","fingerprint":"f"},';
  const items = item.repeat(Math.ceil(size / item.length)).slice(0, -1);
  return big[2] === 'events'
    ? `{"events":[${items}]}`
    : `{"version":"4","status":"firing","receiver":"r","groupKey":"g","groupLabels":{},"commonLabels":{},"commonAnnotations":{},"externalURL":"","alerts":[${items}]}`;
}

When(
  /^a script posts these (?:event batches to the exporter|webhooks to the bridge):$/,
  async function (this: TraderWorld, table: DataTable) {
    const chain = await this.ensureChain();
    const tokens = this.chainOptions.tokens ?? {};
    this.notes.exporterBefore = await eventSeries(chain);
    this.notes.bridgeBefore = await bridgeState(chain);
    this.notes.receivedBefore = chain.received().length;
    const answers: Array<{ row: Record<string, string>; status: number; body: string }> = [];
    for (const row of table.hashes()) {
      const toBridge = 'channel' in row;
      const url = toBridge ? `${chain.bridgeUrl}/api/v1/alertmanager/${row.channel}` : `${chain.exporter.url}/api/v1/events`;
      const res = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...auth(toBridge ? tokens.bridge : tokens.events) },
        body: bodyOf(row.body),
      });
      answers.push({ row, status: res.status, body: await res.text() });
    }
    this.notes.answers = answers;
  },
);

Then('each is refused with the status and the message of its row', function (this: TraderWorld) {
  const answers = this.notes.answers as Array<{ row: Record<string, string>; status: number; body: string }>;
  for (const { row, status, body } of answers) {
    assert.equal(status, Number(row.status), `${row.body.slice(0, 80)} → ${status} ${body.slice(0, 300)}`);
    if (row.says)
      assert.ok(body.includes(row.says), `${row.body.slice(0, 80)}: the answer does not say "${row.says}": ${body.slice(0, 300)}`);
  }
});

Then('no metric of the exporter moved', async function (this: TraderWorld) {
  const chain = await this.ensureChain();
  assert.equal(await eventSeries(chain), this.notes.exporterBefore);
});

Then('the bridge stored nothing and sent nothing', async function (this: TraderWorld) {
  const chain = await this.ensureChain();
  await new Promise((r) => setTimeout(r, 1000));
  assert.equal(await bridgeState(chain), this.notes.bridgeBefore);
  assert.equal(chain.received().length, this.notes.receivedBefore, chain.describeReceived());
});

Then('a valid batch with the token is still accepted and counted', async function (this: TraderWorld) {
  // The refusals above were not a broken API: the same exporter takes a good event.
  const chain = await this.ensureChain();
  await chain.pushEvents([{ type: 'error', component: 'orchestrator', code: 'E1', class: 'other' }]);
  assert.match(await eventSeries(chain), /trader_api_errors_total\{component="orchestrator",code="E1",class="other"[^}]*\} 1/);
});

// ---- Wrong tokens ----

When('someone calls the events API, the bridge and the alerts page with a wrong token and with none', async function (this: TraderWorld) {
  const chain = await this.ensureChain();
  const page = await startAlertsPage({
    configFile: chain.configFile,
    listen: '127.0.0.1:0',
    env: chain.env,
    out: path.join(chain.dir, 'generated'),
  });
  this.cleanups.push(() => page.close());
  this.notes.exporterBefore = await eventSeries(chain);
  this.notes.bridgeBefore = await bridgeState(chain);
  this.notes.configBefore = readFileSync(chain.configFile, 'utf8');
  this.notes.receivedBefore = chain.received().length;
  const wrong = `wrong-${randomBytes(8).toString('hex')}`;
  this.notes.wrong = wrong;
  const event = JSON.stringify({ type: 'error', component: 'intruder', code: 'X', class: 'other' });
  const webhook = JSON.stringify({ version: '4', status: 'firing', receiver: 'r', groupKey: 'g', alerts: [] });
  const answers: Array<{ what: string; status: number; body: string }> = [];
  for (const token of [wrong, undefined]) {
    const label = token ? 'wrong token' : 'no token';
    const call = async (what: string, url: string, init: RequestInit) => {
      const res = await fetch(url, init);
      answers.push({ what: `${what} (${label})`, status: res.status, body: `${JSON.stringify([...res.headers])}${await res.text()}` });
    };
    const json = { 'content-type': 'application/json', ...auth(token) };
    await call('events API', `${chain.exporter.url}/api/v1/events`, { method: 'POST', headers: json, body: event });
    await call('bridge webhook', `${chain.bridgeUrl}/api/v1/alertmanager/email`, { method: 'POST', headers: json, body: webhook });
    await call('bridge test alert', `${chain.bridgeUrl}/api/v1/test-alert`, {
      method: 'POST',
      headers: json,
      body: '{"channel":"all","message":"x"}',
    });
    await call('alerts page apply', `${page.url}api/apply`, { method: 'POST', headers: json, body: '{"draft":{"cooldown_minutes":1}}' });
    await call('alerts page login', `${page.url}login`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: `token=${encodeURIComponent(token ?? '')}`,
    });
  }
  this.notes.answers = answers;
});

Then('every call is answered 401 and no answer contains a token', function (this: TraderWorld) {
  const answers = this.notes.answers as Array<{ what: string; status: number; body: string }>;
  const tokens = this.chainOptions.tokens!;
  for (const a of answers) {
    assert.equal(a.status, 401, `${a.what} → ${a.status} ${a.body.slice(0, 300)}`);
    for (const secret of [tokens.events!, tokens.bridge!, tokens.page!, this.notes.wrong as string])
      assert.ok(!a.body.includes(secret), `${a.what} echoed a token`);
  }
});

Then('nothing changed: the metrics, the outbox and config.toml are as before', async function (this: TraderWorld) {
  const chain = await this.ensureChain();
  assert.equal(await eventSeries(chain), this.notes.exporterBefore);
  assert.equal(await bridgeState(chain), this.notes.bridgeBefore);
  assert.equal(readFileSync(chain.configFile, 'utf8'), this.notes.configBefore);
  // Nothing reached any channel either (the test alert was refused).
  assert.equal(chain.received().length, this.notes.receivedBefore, chain.describeReceived());
});
