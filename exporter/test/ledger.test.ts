import { describe, expect, it } from 'vitest';
import { Ledger, type Fill, type Outcome } from '../src/accounting/ledger.js';
import { ManualClock } from '@traderadmin/kit';
import { seedLedger } from '../src/exporter.js';
import { aaplFill, utc } from './helpers.js';

const T0 = utc('2026-01-15T15:00:00Z'); // 10:00 New York
let n = 0;
const fill = (side: 'BUY' | 'SELL', quantity: number, price: number, extra: Partial<Fill> = {}): Fill =>
  aaplFill(side, quantity, price, { execId: `e${++n}`, time: T0, ...extra });

/** A DU1 stock position whose key is its symbol, bought at 10. */
const stock = (key: string, fields: { quantity: number; marketPrice?: number; unrealizedPnl?: number }) => ({
  account: 'DU1',
  key,
  symbol: key,
  secType: 'STK',
  currency: 'USD',
  avgCost: 10,
  ...fields,
});

function setup(tolerance = 0.01) {
  const clock = new ManualClock(T0);
  const events: Array<[string, string]> = [];
  const ledger = new Ledger({
    clock,
    timeZone: 'America/New_York',
    dayStart: '00:00',
    breakevenTolerance: tolerance,
    hooks: { onExecution: (a, s) => events.push(['exec', s]), onTradeClosed: (a, o: Outcome) => events.push(['trade', o]) },
  });
  return { clock, ledger, events, book: () => ledger.book('DU1') };
}

describe('round trips and realized P&L', () => {
  it('a long bought in two lots and sold in one is one winning round trip at the average cost', () => {
    const { ledger, book, events } = setup();
    ledger.applyFill(fill('BUY', 100, 10));
    ledger.applyFill(fill('BUY', 100, 12)); // average 11
    ledger.applyFill(fill('SELL', 200, 11.5));
    expect(book().realizedPnlToday()).toBeCloseTo(100);
    expect(book().today.trades).toEqual({ win: 1, loss: 0, breakeven: 0 });
    expect(book().today.pnl.win).toBeCloseTo(100);
    expect(events.filter(([k]) => k === 'trade')).toEqual([['trade', 'win']]);
    expect(book().lots.size).toBe(0);
  });

  it('a partial close realizes P&L but the round trip stays open until flat', () => {
    const { ledger, book } = setup();
    ledger.applyFill(fill('BUY', 100, 10));
    ledger.applyFill(fill('SELL', 40, 9));
    expect(book().realizedPnlToday()).toBeCloseTo(-40);
    expect(book().today.trades).toEqual({ win: 0, loss: 0, breakeven: 0 });
    ledger.applyFill(fill('SELL', 60, 10.5));
    expect(book().realizedPnlToday()).toBeCloseTo(-10);
    expect(book().today.trades).toEqual({ win: 0, loss: 1, breakeven: 0 });
    expect(book().today.pnl.loss).toBeCloseTo(-10);
  });

  it('a short is a win when bought back lower', () => {
    const { ledger, book } = setup();
    ledger.applyFill(fill('SELL', 10, 50));
    ledger.applyFill(fill('BUY', 10, 45));
    expect(book().today.pnl.win).toBeCloseTo(50);
  });

  it('a flip closes the round trip and opens the next at the fill price', () => {
    const { ledger, book } = setup();
    ledger.applyFill(fill('BUY', 10, 100));
    ledger.applyFill(fill('SELL', 30, 90)); // closes 10 at -100, opens short 20 at 90
    expect(book().today.trades.loss).toBe(1);
    expect(book().lots.get('265598')).toMatchObject({ qty: -20, avg: 90 });
    ledger.applyFill(fill('BUY', 20, 80));
    expect(book().today.trades).toEqual({ win: 1, loss: 1, breakeven: 0 });
    expect(book().realizedPnlToday()).toBeCloseTo(-100 + 200);
  });

  it.each([
    [0.01, 100.005, 'breakeven'],
    [0.01, 100.02, 'win'],
    [0.01, 99.98, 'loss'],
    [5, 104, 'breakeven'],
    [0, 100, 'breakeven'],
  ])('with tolerance %s, buying 1 at 100 and selling at %s is a %s', (tol, exit, outcome) => {
    const { ledger, book } = setup(tol);
    ledger.applyFill(fill('BUY', 1, 100));
    ledger.applyFill(fill('SELL', 1, exit));
    expect(book().today.trades[outcome as Outcome]).toBe(1);
  });

  it('uses the contract multiplier (an option contract is 100 shares)', () => {
    const { ledger, book } = setup();
    ledger.applyFill(fill('BUY', 2, 1.5, { key: 'opt', secType: 'OPT', multiplier: 100 }));
    ledger.applyFill(fill('SELL', 2, 2.0, { key: 'opt', secType: 'OPT', multiplier: 100 }));
    expect(book().realizedPnlToday()).toBeCloseTo(100);
  });

  it('handles fractional quantities without float dust', () => {
    const { ledger, book } = setup();
    ledger.applyFill(fill('BUY', 0.1, 10));
    ledger.applyFill(fill('BUY', 0.2, 10));
    ledger.applyFill(fill('SELL', 0.3, 11));
    expect(book().today.trades.win).toBe(1);
    expect(book().lots.size).toBe(0);
  });

  it('applies an execution id once (reconciliation replays known fills)', () => {
    const { ledger, book, events } = setup();
    const f = fill('BUY', 10, 100);
    expect(ledger.applyFill(f)).toBe(true);
    expect(ledger.applyFill({ ...f })).toBe(false);
    expect(book().today.executions.buy).toBe(1);
    expect(events).toEqual([['exec', 'buy']]);
  });

  it('subtracts commissions from realized P&L, whichever arrives first', () => {
    const { ledger, book } = setup();
    ledger.applyCommission('c2', 1.25); // before its fill
    ledger.applyFill(fill('BUY', 10, 100, { execId: 'c1' }));
    ledger.applyFill(fill('SELL', 10, 101, { execId: 'c2' }));
    ledger.applyCommission('c1', 1);
    ledger.applyCommission('c1', 1); // duplicate report
    expect(book().realizedPnlToday()).toBeCloseTo(10 - 2.25);
  });

  it('puts opening commissions into the cost basis, as IB does (realized = exit - avgCost incl. commission)', () => {
    const { ledger, book } = setup();
    ledger.applyFill(fill('BUY', 10, 150, { execId: 'o1' }));
    ledger.applyCommission('o1', 1); // avg cost 150.1
    ledger.applyFill(fill('SELL', 5, 151, { execId: 'o2' }));
    ledger.applyCommission('o2', 1);
    expect(book().realizedPnlToday()).toBeCloseTo(3.5);
    expect(book().lots.get('265598')!.avg).toBeCloseTo(150.1);
    // A short's commission lowers its average proceeds.
    ledger.applyFill(fill('SELL', 10, 50, { execId: 's1', key: 'S' }));
    ledger.applyCommission('s1', 2);
    expect(book().lots.get('S')!.avg).toBeCloseTo(49.8);
  });

  it("a closing commission that arrives after the round trip closed still lowers that outcome's P&L", () => {
    const { ledger, book } = setup();
    ledger.applyFill(fill('BUY', 10, 100, { execId: 'w1' }));
    ledger.applyCommission('w1', 1);
    ledger.applyFill(fill('SELL', 10, 101, { execId: 'w2' }));
    ledger.applyCommission('w2', 1);
    expect(book().today.pnl.win).toBeCloseTo(8);
    expect(book().realizedPnlToday()).toBeCloseTo(8);
  });

  it('a rebuild (live: false) rebuilds today but moves no counters', () => {
    const { ledger, book, events } = setup();
    ledger.applyFill(fill('BUY', 10, 100), { live: false });
    ledger.applyFill(fill('SELL', 10, 110), { live: false });
    expect(book().today.trades.win).toBe(1);
    expect(events).toEqual([]);
  });

  it("fills from before today's start change positions but not today's statistics", () => {
    const { ledger, book } = setup();
    ledger.applyFill(fill('BUY', 10, 100, { time: T0 - 86_400_000 }));
    ledger.applyFill(fill('SELL', 10, 103));
    expect(book().today.executions).toEqual({ buy: 0, sell: 1 });
    expect(book().today.pnl.win).toBeCloseTo(30);
  });
});

describe('equity and positions', () => {
  it('tracks start of day, high water and daily P&L', () => {
    const { ledger, book } = setup();
    ledger.setAccountValue('DU1', 'NetLiquidation', 100_000, 'USD');
    ledger.setAccountValue('DU1', 'NetLiquidation', 101_000, 'USD');
    ledger.setAccountValue('DU1', 'NetLiquidation', 99_000, 'USD');
    ledger.setAccountValue('DU1', 'NetLiquidation', 1, 'BASE'); // the BASE row is a duplicate in base currency
    ledger.setAccountValue('DU1', 'BuyingPower', 400_000, 'USD');
    ledger.setAccountValue('DU1', 'TotalCashValue', 50_000, 'USD');
    expect(book()).toMatchObject({
      equity: 99_000,
      equityStartOfDay: 100_000,
      equityHighWater: 101_000,
      currency: 'USD',
      buyingPower: 400_000,
      cash: 50_000,
    });
  });

  it('keeps every other position when one closes (the IBApiNext splice bug does not apply)', () => {
    const { ledger, book } = setup();
    const pos = (key: string, quantity: number) => stock(key, { quantity, marketPrice: 11 });
    for (const k of ['A', 'B', 'C', 'D']) ledger.updatePosition(pos(k, 5));
    ledger.updatePosition(pos('B', 0));
    expect([...book().positions.keys()]).toEqual(['A', 'C', 'D']);
    expect(book().openPositions()).toBe(3);
    expect(book().unrealizedPnl()).toBeCloseTo(15);
  });

  it('daily P&L counts a carried position from its day-start value and a new one from zero', () => {
    const { ledger, book, clock } = setup();
    const pos = (key: string, unrealizedPnl: number, quantity = 10) => stock(key, { quantity, unrealizedPnl });
    ledger.updatePosition(pos('A', 20));
    clock.set(utc('2026-01-16T05:00:00Z')); // midnight: A is carried with +20 already
    ledger.roll();
    ledger.updatePosition(pos('A', 35));
    ledger.updatePosition(pos('B', -5)); // opened today
    expect(book().dailyPnl()).toBeCloseTo(15 - 5);
    // A closes today: its realized P&L includes yesterday's +20, which is not today's.
    ledger.seedLot('DU1', 'A', 10, 10);
    ledger.applyFill(fill('SELL', 10, 13.5, { key: 'A', time: clock.now() }));
    ledger.updatePosition(pos('A', 0, 0));
    expect(book().realizedPnlToday()).toBeCloseTo(35);
    expect(book().dailyPnl()).toBeCloseTo(35 - 20 - 5);
  });

  it('after a restart, a position seeded as carried counts from its first priced value', () => {
    const { ledger, book } = setup();
    seedLedger(ledger, [{ account: 'DU1', key: 'A', symbol: 'A', secType: 'STK', currency: 'USD', quantity: 10, avgCost: 10 }], []);
    ledger.updatePosition({ account: 'DU1', key: 'A', symbol: 'A', secType: 'STK', currency: 'USD', quantity: 10, unrealizedPnl: 50 });
    ledger.updatePosition({ account: 'DU1', key: 'A', symbol: 'A', secType: 'STK', currency: 'USD', quantity: 10, unrealizedPnl: 60 });
    expect(book().dailyPnl()).toBeCloseTo(10);
  });
});

describe('rebuilding today after a restart', () => {
  it("seeds each lot with its position before today's fills, then replays them", () => {
    const { ledger, book } = setup();
    // Yesterday: long 100 at 50. Today: sold 100 at 52 (a win of 200), bought 30 at 51 (open).
    const today = [fill('SELL', 100, 52), fill('BUY', 30, 51)];
    seedLedger(
      ledger,
      [{ account: 'DU1', key: '265598', symbol: 'AAPL', secType: 'STK', currency: 'USD', quantity: 30, avgCost: 50 }],
      today,
    );
    // The gateway's average cost now is that of the open lot; the seed starts from it.
    for (const f of today) ledger.applyFill(f, { live: false });
    expect(book().today.trades).toEqual({ win: 1, loss: 0, breakeven: 0 });
    expect(book().today.pnl.win).toBeCloseTo(200);
    expect(book().lots.get('265598')).toMatchObject({ qty: 30, avg: 51 });
  });
});
