import { describe, expect, it } from 'vitest';
import { Account, commissionFor } from '../src/sim/account.js';
import { ManualClock } from '@traderadmin/kit';
import { InputError, Simulation, type SimEvent } from '../src/sim/engine.js';
import { Market } from '../src/sim/market.js';
import { Random } from '../src/sim/random.js';
import { connectionTimeText, dayKey, executionTimeText, msToNextTradingDay, parseFilterTime } from '../src/sim/time.js';

const NY = 'America/New_York';

/** A control-API order of DU1 for AAPL that fills at once; tests override what they are about. */
function order(overrides: Partial<Parameters<Simulation['submit']>[0]> = {}): Parameters<Simulation['submit']>[0] {
  return {
    account: 'DU1',
    symbol: 'AAPL',
    side: 'BUY',
    quantity: 1,
    price: 1,
    ackLatencyMs: 0,
    fillLatencyMs: 0,
    orderRef: '',
    source: 'control',
    reportLatency: false,
    ...overrides,
  };
}

function sim(overrides: Partial<ConstructorParameters<typeof Simulation>[0]> = {}) {
  const clock = new ManualClock(Date.UTC(2026, 0, 5, 15, 0, 0)); // Monday 10:00 New York
  const s = new Simulation({
    accounts: ['DU1', 'DU2'],
    seed: 42,
    startingCash: 100_000,
    tickIntervalMs: 1000,
    tradeIntervalSeconds: 20,
    timeZone: NY,
    clock,
    ...overrides,
  });
  return { s, clock };
}

describe('Random', () => {
  it('gives the same sequence for the same seed and a different one for another seed', () => {
    const a = new Random(7);
    const b = new Random(7);
    const c = new Random(8);
    const seqA = Array.from({ length: 5 }, () => a.next());
    expect(Array.from({ length: 5 }, () => b.next())).toEqual(seqA);
    expect(Array.from({ length: 5 }, () => c.next())).not.toEqual(seqA);
    for (const x of seqA) expect(x >= 0 && x < 1).toBe(true);
  });
});

describe('Market', () => {
  it('moves prices by a seeded random walk, the same for the same seed', () => {
    const m1 = new Market(new Random(1));
    const m2 = new Market(new Random(1));
    const before = m1.all().map((i) => i.last);
    for (let i = 0; i < 50; i++) {
      m1.step();
      m2.step();
    }
    expect(m1.all().map((i) => i.last)).toEqual(m2.all().map((i) => i.last));
    expect(m1.all().map((i) => i.last)).not.toEqual(before);
    for (const i of m1.all()) expect(i.bid).toBeLessThan(i.ask);
  });

  it('names the known symbols when asked for an unknown one', () => {
    expect(() => new Market(new Random(1)).require('XYZ')).toThrow(/unknown symbol "XYZ"; the emulator lists AAPL, MSFT/);
  });
});

describe('Account', () => {
  it.each([
    [100, 228, 1],
    [1000, 50, 5],
    [10, 0.5, 0.05],
  ])('charges IBKR fixed commissions: %i shares at %d cost %d', (qty, price, commission) => {
    expect(commissionFor(qty, price)).toBe(commission);
  });

  it('keeps average cost with commissions and realizes P&L net of commissions', () => {
    const a = new Account('DU1', 10_000);
    expect(a.applyFill('AAPL', 'BUY', 10, 100, 1).realizedPnl).toBeUndefined();
    expect(a.holding('AAPL')).toMatchObject({ quantity: 10, avgCost: 100.1 });
    a.applyFill('AAPL', 'BUY', 10, 110, 1);
    expect(a.holding('AAPL')!.avgCost).toBeCloseTo(105.1, 10);
    const close = a.applyFill('AAPL', 'SELL', 5, 120, 1);
    expect(close.realizedPnl).toBe(73.5); // (120 - 105.1) * 5 - 1
    expect(a.realizedToday).toBe(73.5);
    expect(a.cash).toBe(10_000 - 1001 - 1101 + 599);
    expect(a.commissionsToday).toBe(3);
  });

  it('flips from long to short: realizes the long, opens the short at the fill price', () => {
    const a = new Account('DU1', 10_000);
    a.applyFill('MSFT', 'BUY', 10, 100, 0);
    const flip = a.applyFill('MSFT', 'SELL', 30, 90, 3);
    expect(flip.realizedPnl).toBe(-101); // -10*10 - 1 (commission share of the closing 10)
    expect(a.holding('MSFT')).toMatchObject({ quantity: -20, avgCost: 89.9 });
  });

  it('values the account and restarts daily figures on a new day', () => {
    const m = new Market(new Random(3));
    const a = new Account('DU1', 100_000);
    const price = m.require('SPY').last;
    a.applyFill('SPY', 'BUY', 100, price, 1);
    m.setLast('SPY', price + 2);
    const v = a.valuation(m);
    expect(v.unrealizedPnl).toBeCloseTo(199, 6);
    expect(v.netLiquidation).toBeCloseTo(100_000 - 1 + 200, 6);
    expect(v.dailyPnl).toBeCloseTo(199, 6);
    expect(v.buyingPower).toBeCloseTo((v.netLiquidation - v.initMarginReq) * 4, 6);
    a.applyFill('SPY', 'SELL', 50, price + 2, 1);
    expect(a.realizedToday).toBeGreaterThan(0);
    a.rollDay(m);
    const w = a.valuation(m);
    expect(w.realizedPnlToday).toBe(0);
    expect(w.dailyPnl).toBe(0);
    expect(w.dayStartEquity).toBe(w.netLiquidation);
    expect(a.dailyOf(a.holding('SPY')!, m)).toBe(0);
  });
});

describe('time', () => {
  it('formats times in the gateway zone', () => {
    const t = Date.UTC(2026, 0, 5, 15, 4, 5);
    expect(connectionTimeText(t, NY)).toBe('20260105 10:04:05 EST');
    expect(executionTimeText(t, NY)).toBe('20260105 10:04:05 America/New_York');
    expect(dayKey(t, NY)).toBe('20260105');
  });

  it('jumps from Friday to Monday', () => {
    const friday = Date.UTC(2026, 0, 9, 15, 0, 0);
    expect(dayKey(friday + msToNextTradingDay(friday, NY), NY)).toBe('20260112');
  });

  it.each([
    ['', undefined],
    ['20260105-15:00:00', Date.UTC(2026, 0, 5, 15, 0, 0)],
    ['20260105 10:00:00', Date.UTC(2026, 0, 5, 15, 0, 0)],
    ['20260105 10:00:00 Europe/London', Date.UTC(2026, 0, 5, 10, 0, 0)],
  ])('parses the execution filter time %j', (text, ms) => {
    expect(parseFilterTime(text, NY)).toBe(ms);
  });

  it('rejects a malformed filter time', () => {
    expect(() => parseFilterTime('yesterday', NY)).toThrow(/bad execution filter time/);
  });
});

describe('Simulation', () => {
  function run(seed: number, ticks: number) {
    const { s, clock } = sim({ seed });
    const events: SimEvent[] = [];
    s.on((e) => events.push(e));
    for (let i = 0; i < ticks; i++) {
      clock.advance(1000);
      s.tick();
    }
    clock.advance(5000); // let pending orders fill
    return { s, events };
  }

  it('is deterministic: the same seed gives the same trades and prices', () => {
    const a = run(42, 300);
    const b = run(42, 300);
    const fills = (r: ReturnType<typeof run>) =>
      r.events.flatMap((e) =>
        e.type === 'execution'
          ? [[e.execution.fields.execId, e.execution.symbol, e.execution.fields.side, e.execution.fields.shares, e.execution.fields.price]]
          : [],
      );
    expect(fills(a).length).toBeGreaterThan(5);
    expect(fills(b)).toEqual(fills(a));
    expect(run(43, 300).events.filter((e) => e.type === 'execution')).not.toEqual(a.events.filter((e) => e.type === 'execution'));
  });

  it('over ten simulated minutes the strategy wins, loses, pays commissions and reports ack and fill latencies', () => {
    const { s, events } = run(42, 600);
    const realized = events.flatMap((e) =>
      e.type === 'execution' && e.execution.realizedPnl !== undefined ? [e.execution.realizedPnl] : [],
    );
    expect(realized.some((r) => r > 0)).toBe(true);
    expect(realized.some((r) => r < 0)).toBe(true);
    expect(s.accounts.reduce((sum, a) => sum + a.commissionsToday, 0)).toBeGreaterThan(0);
    const latencies = events.filter((e) => e.type === 'latency');
    expect(new Set(latencies.map((e) => e.type === 'latency' && e.stage))).toEqual(new Set(['ack', 'fill']));
    expect(new Set(latencies.map((e) => e.type === 'latency' && e.account))).toEqual(new Set(['DU1', 'DU2']));
  });

  it('does not trade when tradeIntervalSeconds is 0', () => {
    const { s, clock } = sim({ tradeIntervalSeconds: 0 });
    for (let i = 0; i < 100; i++) s.tick();
    clock.advance(10_000);
    expect(s.executionCount()).toBe(0);
  });

  it('acknowledges and then fills an order after its latencies', async () => {
    const { s, clock } = sim({ tradeIntervalSeconds: 0 });
    const seen: string[] = [];
    s.on((e) => seen.push(e.type === 'latency' ? `${e.type}:${e.stage}:${e.latencyMs}` : e.type));
    const p = s.submit(
      order({ symbol: 'aapl', quantity: 10, price: 200, ackLatencyMs: 20, fillLatencyMs: 250, orderRef: 't', reportLatency: true }),
    );
    clock.advance(100);
    expect(s.openOrders()).toHaveLength(1);
    expect(seen).toEqual(['order', 'latency:ack:20']);
    clock.advance(200);
    const x = await p;
    expect(x.fields).toMatchObject({ side: 'BOT', shares: 10, price: 200, account: 'DU1' });
    expect(seen).toEqual(['order', 'latency:ack:20', 'execution', 'latency:fill:250']);
    expect(s.openOrders()).toHaveLength(0);
  });

  it.each([
    [{ account: 'DU9' }, /unknown account "DU9"; the emulator manages DU1, DU2/],
    [{ symbol: 'XYZ' }, /unknown symbol "XYZ"/],
    [{ side: 'HOLD' }, /side must be "BUY" or "SELL"/],
    [{ quantity: 0 }, /quantity must be a positive number/],
    [{ price: -1 }, /price must be a positive number/],
    [{ fillLatencyMs: 10, ackLatencyMs: 20 }, /fillLatencyMs must not be below ackLatencyMs/],
  ])('rejects a bad order %j with a clear error', (bad, message) => {
    const { s } = sim();
    const req = { ...order(), ...bad };
    expect(() => s.submit(req as never)).toThrow(InputError);
    expect(() => s.submit(req as never)).toThrow(message);
  });

  it('next trading day restarts realized and daily P&L and hides yesterday from executions', async () => {
    const { s, clock } = sim({ tradeIntervalSeconds: 0 });
    const buy = s.submit(order({ side: 'BUY', quantity: 10, price: 200 }));
    clock.advance(0);
    await buy;
    const sell = s.submit(order({ side: 'SELL', quantity: 5, price: 210 }));
    clock.advance(0);
    await sell;
    expect(s.account('DU1').realizedToday).toBeGreaterThan(0);
    expect(s.executionsToday()).toHaveLength(2);
    expect(s.nextTradingDay()).toBe('20260106');
    const v = s.account('DU1').valuation(s.market);
    expect(v.realizedPnlToday).toBe(0);
    expect(v.dailyPnl).toBe(0);
    expect(s.executionsToday()).toHaveLength(0);
    expect(s.executionCount()).toBe(2);
    expect(s.account('DU1').positions()).toHaveLength(1);
  });
});
