/**
 * One emulator per test, for the test files that drive it through its control actions: start
 * it with `emulator()`, connect clients with `client()`, register what else to close in
 * `cleanups`. After each test every client must have decoded everything (no 505) and all is closed.
 */
import { afterEach, expect } from 'vitest';
import { startEmulator, type Emulator, type EmulatorOptions } from '../src/index.js';
import { connectClient, type TestClient } from './helpers.js';

export interface PerTestEmulator {
  /** Starts this test's emulator: no strategy trades, fast ticks, unless `options` say otherwise. */
  emulator(options?: EmulatorOptions): Promise<Emulator>;
  /** The emulator this test started last. */
  readonly emu: Emulator;
  /** Connects a client to this test's emulator, checked and closed after the test. */
  client(id: number, opts?: { reconnectInterval?: number }): Promise<TestClient>;
  /** Clients connected by hand (`connectClient`) that the test hands over to be checked and closed. */
  clients: TestClient[];
  /** Run after the test, before the emulator closes. */
  cleanups: Array<() => unknown>;
}

/** Registers the afterEach that closes what a test started; call once at the top of a test file. */
export function emulatorPerTest(): PerTestEmulator {
  let emu: Emulator | undefined;
  const clients: TestClient[] = [];
  const cleanups: Array<() => unknown> = [];
  afterEach(async () => {
    for (const c of clients.splice(0)) {
      expect(c.decodeErrors).toEqual([]);
      c.disconnect();
    }
    for (const f of cleanups.splice(0)) await f();
    await emu?.close();
    emu = undefined;
  });
  const started = (): Emulator => {
    if (!emu) throw new Error('no emulator started in this test: call emulator() first');
    return emu;
  };
  return {
    get emu() {
      return started();
    },
    async emulator(options = {}) {
      emu = await startEmulator({ tradeIntervalSeconds: 0, tickIntervalMs: 50, ...options });
      return emu;
    },
    async client(id, opts = {}) {
      const c = await connectClient(started(), id, opts);
      clients.push(c);
      return c;
    },
    clients,
    cleanups,
  };
}
