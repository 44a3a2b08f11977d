import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Watchdog } from '../src/watchdog.js';
import { captureLogger, tempDir } from './helpers.js';

describe('watchdog state', () => {
  const dirs: Array<{ remove(): void }> = [];
  afterEach(() => dirs.splice(0).forEach((d) => d.remove()));

  const make = (dir: string, clock: { now(): number }, events: string[]) =>
    new Watchdog({
      dir,
      clock,
      logger: captureLogger(),
      timeoutMs: () => 60_000,
      onDown: async (since) => void events.push(`down@${since}`),
      onBack: async (since, back) => void events.push(`back@${since}->${back}`),
    });

  it('counts the timeout from start when no heartbeat was ever seen, and alarms once across restarts', async () => {
    const tmp = tempDir('watchdog-');
    dirs.push(tmp);
    mkdirSync(path.join(tmp.dir, 'outbox', 'tmp'), { recursive: true });
    const clock = {
      t: 1_000_000,
      now() {
        return this.t;
      },
    };
    const events: string[] = [];
    const first = make(tmp.dir, clock, events);
    await first.load();
    clock.t += 59_000;
    await first.check();
    expect(events).toEqual([]);
    clock.t += 2_000;
    await first.check();
    expect(events).toEqual(['down@1061000']);

    // A restarted bridge remembers the outage: no second alarm, and "back" names the same outage.
    const second = make(tmp.dir, clock, events);
    await second.load();
    expect(second.isDown()).toBe(true);
    clock.t += 120_000;
    await second.check();
    expect(events).toEqual(['down@1061000']);
    await second.beat();
    expect(events).toEqual(['down@1061000', 'back@1061000->1181000']);
    expect(second.lastBeatMs()).toBe(1_181_000);

    // After a restart, a long-silent Watchdog is given one timeout from the new start.
    clock.t += 600_000;
    const third = make(tmp.dir, clock, events);
    await third.load();
    await third.check();
    expect(events).toHaveLength(2);
  });
});
