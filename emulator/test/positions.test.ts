import { describe, expect, it } from 'vitest';
import { ManualClock, startEmulator } from '../src/index.js';

describe('seeded positions (emulator.positions, for load tests)', () => {
  it('opens that many positions in every account, from before today, beyond the built-in symbols', async () => {
    const emu = await startEmulator({
      accounts: ['DU1', 'DU2'],
      positions: 20,
      tradeIntervalSeconds: 0,
      clock: new ManualClock(Date.UTC(2026, 0, 5, 15)),
    });
    try {
      const state = emu.control.state();
      for (const account of state.accounts) {
        expect(account.positions).toHaveLength(20);
        expect(new Set(account.positions.map((p) => p.symbol)).size).toBe(20);
        expect(account.positions.map((p) => p.symbol)).toContain('AAPL');
        expect(account.positions.map((p) => p.symbol)).toContain('SIM0020');
        expect(account.positions.every((p) => p.quantity === 10)).toBe(true);
        // Held since before today: no realized P&L and no trades today.
        expect(account.realizedPnlToday).toBe(0);
        expect(account.netLiquidation).toBeGreaterThan(account.cash);
      }
    } finally {
      await emu.close();
    }
  });

  it('refuses a count out of range', async () => {
    await expect(startEmulator({ positions: 10_001 })).rejects.toThrow('positions must be an integer 0..10000, got 10001');
    await expect(startEmulator({ positions: 1.5 })).rejects.toThrow('positions must be an integer');
  });
});
