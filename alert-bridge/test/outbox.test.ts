import { existsSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Outbox } from '../src/outbox/store.js';
import { idempotencyKey } from '../src/outbox/key.js';
import type { Notification, OutboxEntry } from '../src/types.js';
import { captureLogger, payload, tempDir } from './helpers.js';

const clock = {
  t: 1_000_000,
  now() {
    return this.t;
  },
};
const notification = (): Notification => {
  const { version: _v, ...p } = payload();
  return { kind: 'alert', ...p };
};
const entry = (recipient: string, n = notification()): OutboxEntry => ({
  id: `id-${recipient}`,
  key: idempotencyKey(n, 'email', recipient),
  channel: 'email',
  recipient,
  notification: n,
  receivedAt: clock.now(),
  attempts: 0,
  nextAttemptAt: clock.now(),
});

describe('outbox', () => {
  const dirs: Array<{ remove(): void }> = [];
  afterEach(() => dirs.splice(0).forEach((d) => d.remove()));
  const open = async () => {
    const tmp = tempDir('outbox-');
    dirs.push(tmp);
    const dir = path.join(tmp.dir, 'outbox');
    return { dir, outbox: await Outbox.open({ dir, clock, logger: captureLogger() }) };
  };

  it('stores one file per entry and finds duplicates, also within one batch', async () => {
    const { dir, outbox } = await open();
    const r1 = await outbox.enqueue([entry('a@x.test'), entry('b@x.test'), entry('a@x.test')]);
    expect(r1.added.map((e) => e.recipient)).toEqual(['a@x.test', 'b@x.test']);
    expect(r1.duplicates).toHaveLength(1);
    expect(readdirSync(path.join(dir, 'pending')).sort()).toEqual(r1.added.map((e) => `${e.key}.json`).sort());
    const r2 = await outbox.enqueue([entry('a@x.test')]);
    expect(r2).toMatchObject({ added: [], duplicates: [{ recipient: 'a@x.test' }] });
    expect(readdirSync(path.join(dir, 'tmp'))).toEqual([]);
  });

  it('stores two simultaneous posts of the same notification once', async () => {
    const { outbox } = await open();
    const [a, b] = await Promise.all([outbox.enqueue([entry('a@x.test')]), outbox.enqueue([entry('a@x.test')])]);
    expect(a.added.length + b.added.length).toBe(1);
    expect(a.duplicates.length + b.duplicates.length).toBe(1);
  });

  it('survives a restart: pending and dead entries come back, delivered keys stay known', async () => {
    const { dir, outbox } = await open();
    const [a, b, c] = [entry('a@x.test'), entry('b@x.test'), entry('c@x.test')];
    await outbox.enqueue([a, b, c]);
    await outbox.markDelivered(a, 'msg-1');
    await outbox.markDead({ ...b, attempts: 3, lastError: 'HTTP 401' });
    const again = await Outbox.open({ dir, clock, logger: captureLogger() });
    expect(again.pending().map((e) => e.recipient)).toEqual(['c@x.test']);
    expect(again.dead()).toMatchObject([{ recipient: 'b@x.test', attempts: 3, lastError: 'HTTP 401' }]);
    expect(again.state(a.key)).toBe('delivered');
    expect((await again.enqueue([entry('a@x.test')])).added).toEqual([]);
  });

  it('drops, at start, a pending entry whose delivery was recorded just before a crash', async () => {
    const { dir, outbox } = await open();
    const a = entry('a@x.test');
    await outbox.enqueue([a]);
    // The crash window: delivered marker written, pending file not yet removed.
    writeFileSync(
      path.join(dir, 'delivered', `${a.key}.json`),
      JSON.stringify({ key: a.key, id: a.id, channel: 'email', at: clock.now() }),
    );
    const again = await Outbox.open({ dir, clock, logger: captureLogger() });
    expect(again.pending()).toEqual([]);
    expect(existsSync(path.join(dir, 'pending', `${a.key}.json`))).toBe(false);
  });

  it('forgets delivered keys after the dedup window', async () => {
    const { outbox } = await open();
    const a = entry('a@x.test');
    await outbox.enqueue([a]);
    await outbox.markDelivered(a);
    clock.t += 60_000;
    expect(await outbox.pruneDelivered(120_000)).toBe(0);
    clock.t += 120_000;
    expect(await outbox.pruneDelivered(120_000)).toBe(1);
    expect(outbox.state(a.key)).toBeUndefined();
  });

  it("takes the same notification after the dedup window as Alertmanager's reminder, before any prune ran", async () => {
    const tmp = tempDir('outbox-');
    dirs.push(tmp);
    const dir = path.join(tmp.dir, 'outbox');
    const windowMs = 50_000;
    const outbox = await Outbox.open({ dir, clock, logger: captureLogger(), dedupWindowMs: () => windowMs });
    const a = entry('a@x.test');
    await outbox.enqueue([a]);
    await outbox.markDelivered(a);
    clock.t += windowMs - 1;
    expect((await outbox.enqueue([entry('a@x.test')])).duplicates).toHaveLength(1);
    // The prune timer has not run: the marker is still on disk, yet the copy is a reminder now.
    clock.t += 2;
    const reminder = entry('a@x.test');
    expect((await outbox.enqueue([reminder])).added).toEqual([reminder]);
    expect(existsSync(path.join(dir, 'delivered', `${a.key}.json`))).toBe(true);
    // The older marker does not make a restart drop the reminder as already delivered.
    const again = await Outbox.open({ dir, clock, logger: captureLogger(), dedupWindowMs: () => windowMs });
    expect(again.pending()).toMatchObject([{ key: a.key, receivedAt: reminder.receivedAt }]);
  });

  it("a dead letter's copy is a duplicate within the dedup window of its death, and is tried anew after it", async () => {
    const tmp = tempDir('outbox-');
    dirs.push(tmp);
    const outbox = await Outbox.open({ dir: path.join(tmp.dir, 'outbox'), clock, logger: captureLogger(), dedupWindowMs: () => 50_000 });
    const a = entry('a@x.test');
    await outbox.enqueue([a]);
    clock.t += 120_000; // retried for two minutes, then given up
    await outbox.markDead({ ...a, attempts: 5, lastError: 'HTTP 401' });
    clock.t += 49_000;
    expect(outbox.state(a.key)).toBe('dead');
    expect((await outbox.enqueue([entry('a@x.test')])).duplicates).toHaveLength(1);
    clock.t += 2000;
    expect((await outbox.enqueue([entry('a@x.test')])).added).toHaveLength(1);
    expect(outbox.dead()).toHaveLength(1);
  });

  it('sets an unreadable file aside instead of failing to start', async () => {
    const { dir } = await open();
    writeFileSync(path.join(dir, 'pending', 'broken.json'), '{"half');
    const logger = captureLogger();
    const again = await Outbox.open({ dir, clock, logger });
    expect(again.pending()).toEqual([]);
    expect(existsSync(path.join(dir, 'pending', 'broken.json.corrupt'))).toBe(true);
    expect(logger.lines.join('\n')).toContain('unreadable outbox file kept aside');
  });

  it('keeps the pending and dead lists bounded: the oldest go first, each counted and logged', async () => {
    const tmp = tempDir('outbox-');
    dirs.push(tmp);
    const dir = path.join(tmp.dir, 'outbox');
    const logger = captureLogger();
    const pruned: string[] = [];
    const outbox = await Outbox.open({
      dir,
      clock,
      logger,
      maxPending: 3,
      maxDead: 1,
      onPrune: (list, e) => pruned.push(`${list}:${e.recipient}`),
    });
    for (const r of ['1', '2', '3', '4', '5']) {
      clock.t += 1000;
      await outbox.enqueue([entry(`${r}@x.test`)]);
    }
    expect(outbox.pending().map((e) => e.recipient)).toEqual(['3@x.test', '4@x.test', '5@x.test']);
    expect(readdirSync(path.join(dir, 'pending'))).toHaveLength(3);
    for (const e of outbox.pending().slice(0, 2)) {
      clock.t += 1000;
      await outbox.markDead(e);
    }
    expect(outbox.dead().map((e) => e.recipient)).toEqual(['4@x.test']);
    expect(pruned).toEqual(['pending:1@x.test', 'pending:2@x.test', 'dead:3@x.test']);
    expect(logger.lines.filter((l) => l.includes('list full: oldest entries pruned'))).toHaveLength(3);
  });

  it('remembers a delivery whose marker cannot be written: never sent again, the failure logged and not ready', async () => {
    const tmp = tempDir('outbox-');
    dirs.push(tmp);
    const dir = path.join(tmp.dir, 'outbox');
    const logger = captureLogger();
    const outbox = await Outbox.open({ dir, clock, logger });
    const a = entry('a@x.test');
    await outbox.enqueue([a]);
    // The markers' folder is gone and a file sits in its place: every marker write fails (as on a full disk).
    rmSync(path.join(dir, 'delivered'), { recursive: true });
    writeFileSync(path.join(dir, 'delivered'), '');
    await outbox.markDelivered(a);
    expect(outbox.pending()).toEqual([]);
    expect(outbox.state(a.key)).toBe('delivered');
    expect(await outbox.enqueue([a])).toMatchObject({ added: [], duplicates: [{ key: a.key }] });
    expect(existsSync(path.join(dir, 'pending', `${a.key}.json`))).toBe(false);
    expect(await outbox.writable()).toBe(false);
    expect(logger.lines.join('\n')).toContain('could not write a delivered marker');
    // A retry state that cannot be written still moves the next attempt: no immediate resend loop.
    const b = entry('b@x.test');
    await outbox.enqueue([b]);
    rmSync(path.join(dir, 'tmp'), { recursive: true });
    writeFileSync(path.join(dir, 'tmp'), '');
    await outbox.update({ ...b, attempts: 1, nextAttemptAt: clock.now() + 60_000 });
    expect(outbox.getPending(b.key)?.nextAttemptAt).toBe(clock.now() + 60_000);
  });

  it('acknowledges and re-queues dead letters', async () => {
    const { outbox } = await open();
    const [a, b] = [entry('a@x.test'), entry('b@x.test')];
    await outbox.enqueue([a, b]);
    await outbox.markDead({ ...a, attempts: 8 });
    await outbox.markDead({ ...b, attempts: 8 });
    expect(await outbox.acknowledgeDead(a.id)).toBe(true);
    expect(await outbox.acknowledgeDead(a.id)).toBe(false);
    const back = await outbox.requeueDead(b.key);
    expect(back).toMatchObject({ attempts: 0, recipient: 'b@x.test' });
    expect(outbox.dead()).toEqual([]);
    expect(outbox.pending().map((e) => e.recipient)).toEqual(['b@x.test']);
  });
});
