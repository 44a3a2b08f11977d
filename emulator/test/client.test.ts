/**
 * The real @stoqey/ib client (IBApiNext 1.6.10) against the emulator, reading every
 * message kind at server versions 193 and 135. No test may see a decoding error (505).
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { EventName, SecType } from '@stoqey/ib';
import { startEmulator, type Emulator } from '../src/index.js';
import { connectClient, firstMatching, until, withTimeout, type TestClient } from './helpers.js';

const ACCT = 'DU1234567';
const AAPL = { conId: 265598, symbol: 'AAPL', secType: SecType.STK, exchange: 'SMART', currency: 'USD' };

describe.each([193, 135])('IBApiNext at server version %i', (serverVersion) => {
  let emu: Emulator;
  const clients: TestClient[] = [];
  let nextClientId = 1;

  beforeAll(async () => {
    emu = await startEmulator({ serverVersion, tradeIntervalSeconds: 0, tickIntervalMs: 50, accounts: [ACCT, 'DU7654321'] });
  });

  afterEach(() => {
    for (const c of clients) expect(c.decodeErrors).toEqual([]);
  });

  afterAll(async () => {
    for (const c of clients.splice(0)) c.disconnect();
    await emu.close();
  });

  async function client(): Promise<TestClient> {
    const c = await connectClient(emu, nextClientId++);
    clients.push(c);
    return c;
  }

  it('handshakes: negotiated version, managed accounts, next valid id and the farm messages', async () => {
    const c = await client();
    expect(c.api.serverVersion).toBe(serverVersion);
    expect(await c.ib.getManagedAccounts()).toEqual([ACCT, 'DU7654321']);
    expect(await withTimeout(c.ib.getNextValidOrderId(), 3000, 'next valid id')).toBeGreaterThan(0);
    await until('three info messages', () => c.infos.length >= 3);
    expect(c.infos.map((i) => i.code)).toEqual([2104, 2106, 2158]);
    for (const i of c.infos) expect(i.message).toMatch(/emulator/);
  });

  it('answers getCurrentTime with the emulated time in epoch seconds', async () => {
    const c = await client();
    const t = await withTimeout(c.ib.getCurrentTime(), 3000, 'current time');
    expect(Math.abs(t - Date.now() / 1000)).toBeLessThan(5);
  });

  it('injected fills reach positions, account updates, summary, P&L, executions and commissions', async () => {
    const c = await client();
    const live: Array<[number, string]> = [];
    const liveCommissions: Array<{ execId: string; realizedPNL?: number }> = [];
    c.api.on(EventName.execDetails, (reqId, _contract, e) => live.push([reqId, e.execId!]));
    c.api.on(EventName.commissionReport, (r) => liveCommissions.push({ execId: r.execId!, realizedPNL: r.realizedPNL }));
    const downloadEnds: string[] = [];
    c.api.on(EventName.accountDownloadEnd, (a: string) => downloadEnds.push(a));

    const buy = await emu.control.fill({ account: ACCT, symbol: 'AAPL', side: 'BUY', quantity: 20, price: 200 });
    const sell = await emu.control.fill({ account: ACCT, symbol: 'AAPL', side: 'SELL', quantity: 5, price: 210 });
    expect(sell.realizedPnl).toBeCloseTo(5 * (210 - 200.05) - 1, 6);
    await until('two live commission reports', () => liveCommissions.length >= 2);
    expect(live).toEqual([
      [-1, buy.execId],
      [-1, sell.execId],
    ]);
    expect(liveCommissions.map((r) => r.execId)).toEqual([buy.execId, sell.execId]);
    expect(liveCommissions[0].realizedPNL).toBeUndefined();
    expect(liveCommissions[1].realizedPNL).toBeCloseTo(sell.realizedPnl!, 6);

    // positions
    const positions = await firstMatching(c.ib.getPositions(), (u) => (u.all.get(ACCT)?.length ?? 0) > 0, 3000, 'positions');
    expect(positions.all.get(ACCT)!.map((p) => [p.contract.symbol, p.contract.conId, p.pos, p.avgCost])).toEqual([
      ['AAPL', 265598, 15, 200.05],
    ]);

    // account updates: values per currency, portfolio, update time, download end
    const updates = await firstMatching(
      c.ib.getAccountUpdates(ACCT),
      (u) =>
        !!u.all.timestamp && (u.all.portfolio?.get(ACCT)?.length ?? 0) > 0 && !!u.all.value?.get(ACCT)?.get('UnrealizedPnL')?.get('BASE'),
      3000,
      'account updates',
    );
    const values = updates.all.value!.get(ACCT)!;
    for (const key of ['NetLiquidation', 'TotalCashValue', 'BuyingPower', 'AvailableFunds', 'RealizedPnL', 'UnrealizedPnL']) {
      expect(Number(values.get(key)?.get('USD')?.value), key).not.toBeNaN();
    }
    const state = emu.control.state().accounts.find((a) => a.account === ACCT)!;
    expect(Number(values.get('RealizedPnL')!.get('USD')!.value)).toBeCloseTo(sell.realizedPnl!, 2);
    expect(Number(values.get('TotalCashValue')!.get('USD')!.value)).toBeCloseTo(state.cash, 2);
    const portfolio = updates.all.portfolio!.get(ACCT)!;
    expect(portfolio.map((p) => [p.contract.symbol, p.pos, p.avgCost])).toEqual([['AAPL', 15, 200.05]]);
    expect(updates.all.timestamp).toMatch(/^\d\d:\d\d$/);
    expect(downloadEnds).toContain(ACCT);

    // account summary for both accounts
    const summary = await firstMatching(
      c.ib.getAccountSummary('All', 'NetLiquidation,TotalCashValue,BuyingPower,AvailableFunds,$LEDGER'),
      (u) => (u.all.get('DU7654321')?.size ?? 0) >= 4,
      3000,
      'account summary',
    );
    expect(Number(summary.all.get('DU7654321')!.get('NetLiquidation')!.get('USD')!.value)).toBe(100000);
    expect(Number(summary.all.get(ACCT)!.get('RealizedPnL')!.get('BASE')!.value)).toBeCloseTo(sell.realizedPnl!, 2);

    // P&L
    const pnl = await firstMatching(c.ib.getPnL(ACCT), () => true, 3000, 'pnl');
    expect(pnl.realizedPnL).toBeCloseTo(sell.realizedPnl!, 2);
    expect(typeof pnl.unrealizedPnL).toBe('number');
    expect(typeof pnl.dailyPnL).toBe('number');
    const single = await firstMatching(c.ib.getPnLSingle(ACCT, '', 265598), () => true, 3000, 'pnl single');
    expect(single.position).toBe(15);
    expect(single.realizedPnL).toBeCloseTo(sell.realizedPnl!, 2);
    expect(single.marketValue).toBeGreaterThan(0);

    // executions (filtered) and their commission reports
    const all = await c.ib.getExecutionDetails({ acctCode: ACCT });
    expect(all.map((d) => d.execution.execId)).toEqual([buy.execId, sell.execId]);
    const sells = await c.ib.getExecutionDetails({ side: 'SELL' });
    expect(sells.map((d) => [d.execution.side, d.execution.shares, d.execution.price, d.contract.symbol])).toEqual([
      ['SLD', 5, 210, 'AAPL'],
    ]);
    expect(await c.ib.getExecutionDetails({ acctCode: 'DU7654321' })).toEqual([]);
    const commissions = await c.ib.getCommissionReport({ symbol: 'AAPL' });
    expect(commissions.map((r) => r.execId)).toEqual([buy.execId, sell.execId]);
  });

  it('streams market data for a held symbol and answers snapshots', async () => {
    const c = await client();
    const update = await firstMatching(
      c.ib.getMarketData(AAPL, '', false, false),
      (u) => u.all.has(4) && u.all.has(1) && u.all.has(2),
      3000,
      'bid, ask and last',
    );
    const last = update.all;
    expect(last.get(4)?.value).toBeGreaterThan(0); // LAST
    expect(last.get(1)?.value).toBeLessThan(last.get(2)!.value!); // BID < ASK
    const snap = await withTimeout(c.ib.getMarketDataSnapshot(AAPL, '', false), 3000, 'snapshot');
    expect(snap.get(9)?.value).toBeGreaterThan(0); // CLOSE
  });

  it('shows a working order in open orders with its status, then its fill', async () => {
    const c = await client();
    const pending = emu.control.fill({ account: 'DU7654321', symbol: 'MSFT', side: 'SELL', quantity: 3, price: 420, latencyMs: 800 });
    await new Promise((r) => setTimeout(r, 150));
    const open = await withTimeout(c.ib.getAllOpenOrders(), 3000, 'open orders');
    expect(
      open.map((o) => [o.contract.symbol, o.order.action, o.order.totalQuantity, o.order.lmtPrice, o.order.account, o.orderState.status]),
    ).toEqual([['MSFT', 'SELL', 3, 420, 'DU7654321', 'Submitted']]);
    const fill = await pending;
    expect(fill.side).toBe('SELL');
    // IBApiNext keeps orders it has seen; the filled one must no longer be working.
    const after = await withTimeout(c.ib.getAllOpenOrders(), 3000, 'open orders after the fill');
    expect(after.filter((o) => o.orderState.status !== 'Filled')).toEqual([]);
  });

  it('rejects placeOrder from a client with error 201 and an explanation', async () => {
    const c = await client();
    const id = await c.ib.getNextValidOrderId();
    await c.ib.placeNewOrder(AAPL, { action: 'BUY' as never, orderType: 'MKT' as never, totalQuantity: 1 }).catch(() => undefined);
    await until('error 201', () => c.errors.some((e) => e.code === 201));
    const reject = c.errors.find((e) => e.code === 201);
    expect(reject?.message).toMatch(/emulator accepts orders only from its built-in strategy/);
    expect(reject?.reqId).toBeGreaterThanOrEqual(id);
  });
});
