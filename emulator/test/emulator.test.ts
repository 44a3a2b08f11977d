/**
 * The assembled emulator driven by a ManualClock: deterministic for a seed, and every
 * metric of the contract moves within a few simulated minutes.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { InputError, ManualClock, startEmulator, type Emulator, type EmulatorState } from '../src/index.js';

const started: Emulator[] = [];
afterEach(async () => {
  for (const e of started.splice(0)) await e.close();
});

async function runFor(seed: number, minutes: number, snapshotsEverySeconds = 60): Promise<EmulatorState[]> {
  const clock = new ManualClock(Date.UTC(2026, 0, 6, 15, 0, 0));
  const emu = await startEmulator({ seed, clock, accounts: ['DU1', 'DU2'] });
  started.push(emu);
  const states = [emu.control.state()];
  for (let s = 0; s < minutes * 60; s += snapshotsEverySeconds) {
    clock.advance(snapshotsEverySeconds * 1000);
    states.push(emu.control.state());
  }
  return states;
}

describe('the simulated paper account', () => {
  it('is deterministic: the same seed gives the same state, another seed another one', async () => {
    const a = await runFor(42, 5);
    const b = await runFor(42, 5);
    const strip = (s: EmulatorState[]) => s.map(({ gateway: _g, ...rest }) => rest);
    expect(strip(b)).toEqual(strip(a));
    const c = await runFor(7, 5);
    expect(strip(c).at(-1)!.prices).not.toEqual(strip(a).at(-1)!.prices);
  });

  it('moves every metric within ten minutes: equity, cash, buying power, P&L, positions, executions', async () => {
    const states = await runFor(42, 10);
    const first = states[0];
    const last = states.at(-1)!;
    for (const key of ['netLiquidation', 'cash', 'buyingPower', 'availableFunds'] as const) {
      expect(new Set(states.flatMap((s) => s.accounts.map((a) => a[key]))).size, key).toBeGreaterThan(2);
    }
    const realized = states.flatMap((s) => s.accounts.map((a) => a.realizedPnlToday));
    expect(realized.some((r) => r > 0) || realized.some((r) => r < 0)).toBe(true);
    expect(states.some((s) => s.accounts.some((a) => a.unrealizedPnl !== 0))).toBe(true);
    expect(states.some((s) => s.accounts.some((a) => a.dailyPnl !== 0))).toBe(true);
    expect(new Set(states.map((s) => s.accounts.reduce((n, a) => n + a.positions.length, 0))).size).toBeGreaterThan(1);
    expect(last.executions.total).toBeGreaterThan(first.executions.total + 10);
    expect(last.accounts.every((a) => a.commissionsToday > 0)).toBe(true);
    expect(Object.values(last.prices)).not.toEqual(Object.values(first.prices));
  });
});

describe('options', () => {
  it.each([
    [{ serverVersion: 120 }, 'invalid emulator options: serverVersion must be 135..193, got 120'],
    [{ accounts: [] }, 'invalid emulator options: at least one account is required'],
    [{ accounts: ['DU1', 'DU1'] }, 'invalid emulator options: accounts must be unique'],
    [{ accounts: ['DU 1'] }, 'invalid emulator options: account "DU 1" must be letters and digits'],
    [{ port: 70000 }, 'invalid emulator options: port must be 0..65535, got 70000'],
    [{ tickIntervalMs: 1 }, 'invalid emulator options: tickIntervalMs must be an integer >= 10, got 1'],
    [{ timeZone: 'Mars/Olympus' }, 'invalid emulator options: unknown time zone "Mars/Olympus"'],
    [{ eventsUrl: 'ftp://x' }, 'eventsUrl must be http(s), got ftp:'],
  ])('refuses %j with a clear message', async (options, message) => {
    await expect(startEmulator(options)).rejects.toThrow(message);
  });

  it('validates control input in-process too', async () => {
    const emu = await startEmulator({ tradeIntervalSeconds: 0 });
    started.push(emu);
    await expect(emu.control.fill({ symbol: 'AAPL', side: 'BUY', quantity: 1, price: 1, latencyMs: -5 })).rejects.toThrow(InputError);
    expect(() => emu.control.error({ code: 1.5, message: 'x' })).toThrow('"code" must be an integer, got 1.5');
    expect(() => emu.control.connectivityRestored('yes' as never)).toThrow('"dataLost" must be true or false');
    expect(emu.host).toBe('127.0.0.1');
  });
});
