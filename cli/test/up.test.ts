/**
 * `traderadmin up` on one real stack that every case shares (a start costs seconds on a shared
 * 2-core machine), in an order where each case leaves the stack as the next one needs it:
 * what it runs and answers, what a page or a process without the token can do to it (nothing);
 * then up as a service manager: kill -9 of each part in turn and it comes back (counted at up's
 * /metrics), an alert raised while the bridge is dead is delivered once after it is back; then
 * Ctrl-C stops everything; and up started again on the same folder, kill -9 of up itself leaves
 * no part running and every port free within seconds.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { engineAuthorization } from '@traderadmin/config';
import { promQuery, rawGet, rawPost, startWebhookPeer, waitFor, type WebhookPeer } from '@traderadmin/test-support';
import { BIN, NO_TYPESCRIPT, scratchConfig, traderadmin } from './helpers.js';

/** The command, without blocking this process (the running stack writes to our pipes meanwhile). */
function run(args: string[], cwd: string): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve) => {
    const c = spawn(process.execPath, [BIN, ...args], { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    c.stdout.on('data', (d) => (out += d));
    c.stderr.on('data', (d) => (out += d));
    c.on('exit', (code) => resolve({ code, out }));
  });
}

/**
 * What a web page or a local process without the token can do to the running stack: nothing.
 * The commands find the local token by themselves, and apply reloads through up's SIGHUP.
 */
async function securityChecks(dir: string, file: string, ports: Record<string, number>): Promise<void> {
  const tokenFile = path.join(dir, 'data/secrets/token');
  expect(statSync(tokenFile).mode & 0o777).toBe(0o600);
  const token = readFileSync(tokenFile, 'utf8').trim();
  expect(token.length).toBeGreaterThanOrEqual(40);
  const bridge = `http://127.0.0.1:${ports.bridge}`;
  const exporter = `http://127.0.0.1:${ports.exporter}`;
  const prometheus = `http://127.0.0.1:${ports.prometheus}`;
  const silence = JSON.stringify({
    matchers: [{ name: 'alertname', value: 'Watchdog', isRegex: false, isEqual: false }],
    endsAt: new Date(Date.now() + 10 * 365 * 86400_000).toISOString(),
    createdBy: 'evil',
    comment: 'evil',
  });
  const json = { 'content-type': 'application/json' };
  const bearer = { authorization: `Bearer ${token}` };
  for (const [headers, status] of [
    [json, 401], // a local process without the token
    [{ 'content-type': 'text/plain', ...bearer }, 415],
    [{ ...json, ...bearer, origin: 'http://evil.example' }, 403],
    [{ ...json, ...bearer, host: `evil.example:${ports.bridge}` }, 421],
  ] as const) {
    expect((await rawPost(bridge, '/api/v1/silences', headers, silence)).status).toBe(status);
    expect((await rawPost(exporter, '/api/v1/events', headers, '{"type":"heartbeat","component":"orchestrator"}')).status).toBe(status);
  }
  const engine = { authorization: engineAuthorization(token) };
  const silences = (await (await fetch(`http://127.0.0.1:${ports.alertmanager}/api/v2/silences`, { headers: engine })).json()) as unknown[];
  expect(silences).toEqual([]);
  expect((await rawPost(exporter, '/api/v1/events', { ...json, ...bearer }, '{"type":"heartbeat","component":"scanner"}')).status).toBe(
    200,
  );
  // No lifecycle API: nobody can stop Prometheus (and with it the stack) over HTTP, not even with the credential.
  expect((await rawPost(prometheus, '/-/quit', {}, '')).status).toBe(401);
  expect((await rawPost(prometheus, '/-/quit', engine, '')).status).toBe(403);
  expect((await fetch(`${prometheus}/-/ready`, { headers: engine })).ok).toBe(true);

  const listed = await run(['silence', 'list', '--config', file], dir);
  expect(listed.code, listed.out).toBe(0);
  writeFileSync(file, readFileSync(file, 'utf8').replace('max_order_latency_ms = 1000', 'max_order_latency_ms = 777'));
  const applied = await run(['apply', '--config', file], dir);
  expect(applied.code, applied.out).toBe(0);
  expect(applied.out).toContain('(SIGHUP)');
  // diff generates with the local token too: the files up and apply wrote are no change.
  const diffed = await run(['diff', '--config', file], dir);
  expect(diffed.out.trim()).toBe('no changes');
  expect(diffed.code).toBe(0);
  const rules = (await (await fetch(`${prometheus}/api/v1/rules`, { headers: engine })).json()) as {
    data: { groups: Array<{ rules: Array<{ query: string }> }> };
  };
  expect(JSON.stringify(rules.data.groups)).toContain('above the 777 ms limit');
}

/** Processes whose parent is `pid`, with their command lines. */
function childrenOf(pid: number): Array<{ pid: number; cmd: string }> {
  const out: Array<{ pid: number; cmd: string }> = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid === pid) out.push({ pid: Number(entry), cmd: readFileSync(`/proc/${entry}/cmdline`, 'utf8').replace(/\0/g, ' ') });
    } catch {
      // exited meanwhile
    }
  }
  return out;
}

const portFree = (port: number) =>
  new Promise<boolean>((resolve) => {
    const server = createServer().once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });

const answers = async (url: string) => {
  try {
    // Prometheus and Alertmanager ask for the credential; the other parts ignore it.
    const res = await fetch(url, { headers: engine(), signal: AbortSignal.timeout(1000) });
    await res.body?.cancel();
    return res.ok;
  } catch {
    return false;
  }
};

let dir: string;
let file: string;
let ports: Record<string, number>;
let peer: WebhookPeer;
let up: ChildProcess;
let output = '';
let exited: Promise<number | null>;
const at = (name: string) => `http://127.0.0.1:${ports[name]}`;
/** The credential Prometheus and Alertmanager ask for: the local token up made. */
const engine = () => ({ authorization: engineAuthorization(readFileSync(path.join(dir, 'data/secrets/token'), 'utf8').trim()) });

/** `up` on the scratch config; resolves once it says it is running. */
async function startUp(): Promise<void> {
  output = '';
  // Every Node part inherits NODE_OPTIONS: one that loads TypeScript or a transpiler fails.
  const env = { ...process.env, NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --import ${NO_TYPESCRIPT}`.trim() };
  const child = spawn(process.execPath, [BIN, 'up', '--config', file], { cwd: dir, env, stdio: ['ignore', 'pipe', 'pipe'] });
  up = child;
  child.stdout!.on('data', (d) => (output += d));
  child.stderr!.on('data', (d) => (output += d));
  exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  await waitFor('the stack to be running', () => output.includes('TraderAdmin Monitoring is running'), { timeoutMs: 90_000 });
}

beforeAll(async () => {
  peer = await startWebhookPeer();
  const scratch = await scratchConfig((text) =>
    text
      .replace(
        /\[alerts_config\.notifications\.webhook\]\n(#.*\n)*enabled = false\n(#.*\n)*urls = \["https:\/\/example.com\/hook"\]/,
        `[alerts_config.notifications.webhook]\nenabled = true\nurls = ["${peer.url}/hook"]`,
      )
      .replace('group_wait_seconds = 10', 'group_wait_seconds = 1'),
  );
  expect(readFileSync(scratch.file, 'utf8')).toContain(`urls = ["${peer.url}/hook"]`);
  ({ dir, file, ports } = scratch);
  await startUp();
}, 120_000);
afterAll(async () => {
  up?.kill('SIGKILL');
  await peer?.stop();
});

describe('traderadmin up', () => {
  it('runs the whole stack on the emulated account and answers queries; nothing without the token gets in', async () => {
    expect(output).toMatch(/ready in \d+\.\d s: every part answered/);
    expect(output).not.toContain('no-typescript');
    expect(output).toContain(`Prometheus                http://127.0.0.1:${ports.prometheus}`);
    expect(existsSync(path.join(dir, 'data/generated/rules.yml'))).toBe(true);

    // The chain is real: emulator → exporter → Prometheus, with the generated rules loaded.
    const equity = await waitFor(
      'trader_equity in Prometheus',
      async () => (await promQuery(`http://127.0.0.1:${ports.prometheus}`, 'trader_equity', engine()))[0],
      { timeoutMs: 30_000 },
    );
    expect(equity.metric).toMatchObject({ account: 'DU1234567', currency: 'USD', job: 'trader-exporter' });
    expect(Number(equity.value[1])).toBeGreaterThan(0);
    const rules = (await (await fetch(`http://127.0.0.1:${ports.prometheus}/api/v1/rules`, { headers: engine() })).json()) as {
      data: { groups: Array<{ rules: Array<{ name: string }> }> };
    };
    expect(rules.data.groups.flatMap((g) => g.rules.map((r) => r.name))).toContain('OrderLatencyHigh');
    const amStatus = await fetch(`http://127.0.0.1:${ports.alertmanager}/api/v2/status`, { headers: engine() });
    expect(amStatus.ok).toBe(true);
    expect((await fetch(`http://127.0.0.1:${ports.bridge}/healthz`)).ok).toBe(true);
    expect(output).toMatch(new RegExp(`Console +http://127\\.0\\.0\\.1:${ports.page}`));
    expect((await fetch(`http://127.0.0.1:${ports.page}/healthz`)).ok).toBe(true);

    // Every address it prints opens something (Prometheus and Alertmanager with the credential): no "not found", no error page.
    const printed = [...output.matchAll(/^ {2}\S.{25}(http:\/\/\S+)$/gm)].map((m) => m[1]);
    expect(printed.length).toBeGreaterThanOrEqual(7);
    for (const address of printed) {
      const res = await fetch(address, { headers: engine() });
      const text = await res.text();
      expect(`${address} ${res.status}`).toBe(`${address} 200`);
      expect(text, address).not.toContain('not found');
    }

    await securityChecks(dir, file, ports);
  }, 90_000);

  it('a start pages nobody: ExporterDown does not fire while Prometheus finds its first targets', async () => {
    const prometheus = at('prometheus');
    // Prometheus runs its rules from its first second; its first scrape comes about 5 s later.
    await waitFor(
      'the first scrape of the exporter',
      async () => (await promQuery(prometheus, 'up{job="trader-exporter"}', engine())).length > 0,
      {
        timeoutMs: 30_000,
      },
    );
    const fired = await promQuery(prometheus, 'ALERTS{alertname="ExporterDown",alertstate="firing"}[10m]', engine());
    expect(fired).toEqual([]);
    expect(peer.accepted().filter((r) => JSON.stringify(r.body).includes('ExporterDown'))).toEqual([]);
  });

  it('Prometheus and Alertmanager answer 401 without the credential: nothing read, no silence made', async () => {
    const prometheus = at('prometheus');
    const alertmanager = at('alertmanager');
    const webConfig = path.join(dir, 'data/generated/secrets/web.yml');
    expect(statSync(webConfig).mode & 0o777).toBe(0o600);
    expect(readFileSync(webConfig, 'utf8')).toMatch(/^ {2}traderadmin: \$2b\$10\$/m);
    const wrong = { authorization: engineAuthorization('not-the-token-of-this-stack') };
    for (const headers of [{}, wrong]) {
      const read = await rawGet(prometheus, '/api/v1/query?query=trader_equity', headers);
      expect(read.status).toBe(401);
      expect(read.body).not.toContain('trader_equity');
      expect((await rawGet(prometheus, '/-/ready', headers)).status).toBe(401);
    }
    const silence = JSON.stringify({
      matchers: [{ name: 'alertname', value: '.+', isRegex: true, isEqual: true }],
      startsAt: new Date().toISOString(),
      endsAt: new Date(Date.now() + 10 * 365 * 86400_000).toISOString(),
      createdBy: 'evil',
      comment: 'evil',
    });
    // A page's simple request (text/plain, no preflight), a local process's JSON, and a wrong password.
    for (const headers of [
      { 'content-type': 'text/plain' },
      { 'content-type': 'application/json' },
      { 'content-type': 'application/json', ...wrong },
    ])
      expect((await rawPost(alertmanager, '/api/v2/silences', headers, silence)).status).toBe(401);
    expect((await rawGet(alertmanager, '/api/v2/alerts')).status).toBe(401);
    const silences = (await (await fetch(`${alertmanager}/api/v2/silences`, { headers: engine() })).json()) as unknown[];
    expect(silences).toEqual([]);

    // The page reads both with the credential: its alerts view names neither as failing.
    const view = (await (await fetch(`${at('page')}/api/alerts`)).json()) as { problems: Record<string, string> };
    expect(view.problems).not.toHaveProperty('prometheus');
    expect(view.problems).not.toHaveProperty('alertmanager');

    // Prometheus itself has the credential (password_file): it scrapes both (a 401 is an error). That
    // Alertmanager takes its alerts is checked where one fires (the bridge test below): a start fires
    // none but the Watchdog, whose first send Prometheus drops before it has found Alertmanager.
    const value = async (q: string) => Number((await promQuery(prometheus, q, engine()))[0]?.value[1]);
    for (const job of ['prometheus', 'alertmanager'])
      await waitFor(`up{job="${job}"} = 1`, async () => (await value(`up{job="${job}"}`)) === 1, { timeoutMs: 30_000 });
  }, 60_000);

  describe('as a service manager', () => {
    /** The pid of the part whose command line matches. */
    const partPid = (match: RegExp) => childrenOf(up.pid!).find((c) => match.test(c.cmd))?.pid;
    const restarts = async (part: string) => {
      const text = await (await fetch(`${at('supervisor')}/metrics`)).text();
      return Number(text.match(new RegExp(`traderadmin_part_restarts_total\\{part="${part}"\\} (\\d+)`))?.[1] ?? NaN);
    };
    // The emulator runs inside up (cli/src/stack/emulator.ts): not a part to kill.
    const PARTS: Array<{ part: string; match: RegExp; ready: () => string }> = [
      { part: 'exporter', match: / exporter --config/, ready: () => `${at('exporter')}/healthz` },
      { part: 'page', match: / page --config/, ready: () => `${at('page')}/healthz` },
      { part: 'prometheus', match: /^prometheus /, ready: () => `${at('prometheus')}/-/ready` },
      { part: 'alertmanager', match: /^prometheus-alertmanager /, ready: () => `${at('alertmanager')}/-/ready` },
    ];

    it('runs the emulator in its own process, not as a child; the other Node parts are children', async () => {
      const children = childrenOf(up.pid!).map((c) => c.cmd);
      expect(children.filter((cmd) => / emulator --config/.test(cmd))).toEqual([]);
      for (const part of ['exporter', 'bridge', 'page'])
        expect(
          children.some((cmd) => cmd.includes(` ${part} --config`)),
          part,
        ).toBe(true);
      expect(await answers(`${at('control')}/control/state`)).toBe(true);
      expect(await (await fetch(`${at('supervisor')}/metrics`)).text()).not.toContain('part="emulator"');
    });

    it('kill -9 of each part in turn: each comes back, is counted, and the stack keeps running', async () => {
      for (const { part, match } of PARTS) {
        const pid = partPid(match);
        expect(pid, `${part} is a child of up`).toBeGreaterThan(0);
        process.kill(pid!, 'SIGKILL');
        await waitFor(`${part} restarted`, async () => (await restarts(part)) === 1, { timeoutMs: 15_000 });
      }
      for (const { part, ready } of PARTS) await waitFor(`${part} answers again`, () => answers(ready()), { timeoutMs: 30_000 });
      expect(output).toMatch(/prometheus exited unexpectedly \(SIGKILL\); restart 1 in 1 s/);
      expect(output).not.toContain('stopping the stack');
      expect(up.exitCode).toBeNull();
    }, 90_000);

    it('an alert raised while the bridge is dead is delivered once after it is back', async () => {
      process.kill(partPid(/ bridge --config/)!, 'SIGKILL');
      await waitFor('the bridge is down', async () => !(await answers(`${at('bridge')}/healthz`)), { timeoutMs: 5000 });
      // One slow order fires OrderLatencyHigh at the next evaluation; Alertmanager sends it to the dead bridge, and retries.
      const res = await fetch(`${at('exporter')}/api/v1/events`, {
        method: 'POST',
        // The local token up writes for the events API.
        headers: {
          'content-type': 'application/json',
          authorization: `Bearer ${readFileSync(path.join(dir, 'data/secrets/token'), 'utf8').trim()}`,
        },
        body: JSON.stringify({ type: 'order_latency', account: 'DU1234567', stage: 'fill', latency_ms: 5000 }),
      });
      expect(res.status).toBe(200);
      const latency = () => peer.accepted().filter((r) => JSON.stringify(r.body).includes('OrderLatencyHigh'));
      await waitFor('OrderLatencyHigh at the webhook', () => latency().length > 0, { timeoutMs: 60_000 });
      // Prometheus sent it to Alertmanager with the credential, or it would have stopped there (401).
      const amMetrics = await (await fetch(`${at('alertmanager')}/metrics`, { headers: engine() })).text();
      expect(amMetrics).toMatch(/^alertmanager_alerts_received_total\{status="firing",version="v2"\} [1-9]/m);
      expect(await restarts('bridge')).toBe(1);
      await new Promise((r) => setTimeout(r, 3000));
      expect(latency()).toHaveLength(1);
    }, 90_000);
  });

  it('stops everything on Ctrl-C: exit 0, and every port is free again', async () => {
    up.kill('SIGINT');
    expect(await exited).toBe(0);
    expect(output).toContain('stopped');
    // Nothing was left running.
    for (const port of Object.values(ports)) expect(await portFree(port), `port ${port} free`).toBe(true);
  }, 30_000);

  it('kill -9 of up leaves no part running: every port is free within seconds', async () => {
    // Up again, on the same folder: the case above stopped it.
    await startUp();
    const parts = childrenOf(up.pid!).map((c) => c.pid);
    // Exporter, bridge, page, Prometheus, Alertmanager; the emulator's ports close with up itself.
    expect(parts.length).toBeGreaterThanOrEqual(5);
    up.kill('SIGKILL');
    const started = Date.now();
    await waitFor(
      'every port free',
      async () => {
        for (const port of Object.values(ports)) if (!(await portFree(port))) return false;
        return true;
      },
      { timeoutMs: 15_000, intervalMs: 200 },
    );
    const seconds = (Date.now() - started) / 1000;
    expect(seconds).toBeLessThan(10);
    // Gone, or a zombie waiting for init to reap it: either way it runs no more.
    const running = (pid: number) => {
      try {
        return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
      } catch {
        return false;
      }
    };
    await waitFor('every part exited', () => parts.every((pid) => !running(pid)), { timeoutMs: 10_000 });
    expect((Date.now() - started) / 1000).toBeLessThan(10);
  }, 120_000);

  it('refuses an invalid config and starts nothing, writes nothing', async () => {
    const { dir, file } = await scratchConfig();
    writeFileSync(file, readFileSync(file, 'utf8').replace('max_order_latency_ms = 1000', 'max_order_latency_ms = "fast"'));
    const r = traderadmin(['up', '--config', file], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('alerts_config.thresholds.max_order_latency_ms: expected an integer, got a string "fast"');
    expect(r.stderr).toContain('nothing was started');
    expect(existsSync(path.join(dir, 'data'))).toBe(false);
  });

  it('names the address that is already taken and the key that sets it', async () => {
    const { dir, file, ports } = await scratchConfig();
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(ports.prometheus, '127.0.0.1', resolve));
    try {
      const r = traderadmin(['up', '--config', file], { cwd: dir });
      expect(r.code).toBe(1);
      expect(r.stderr).toContain(`127.0.0.1:${ports.prometheus} (prometheus.listen) is already in use`);
      expect(existsSync(path.join(dir, 'data'))).toBe(false);
    } finally {
      blocker.close();
    }
  });
});
