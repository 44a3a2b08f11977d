/**
 * Control actions observed by real clients: several clients at once, reconnects, and the
 * injected faults (connectivity loss, drops, hangs, refusals, restarts, errors, rejections).
 */
import { describe, expect, it } from 'vitest';
import { EventName, IBApi } from '@stoqey/ib';
import { sleep } from '@traderadmin/test-support';
import { CONNECTED, DISCONNECTED, connectClient, firstMatching, settlesWithin, until, waitConnected, withTimeout } from './helpers.js';
import { emulatorPerTest } from './perTest.js';

const ACCT = 'DU1234567';

const rig = emulatorPerTest();
const { emulator, client, clients, cleanups } = rig;

/** An IBApi (not IBApiNext): it does not drop the socket on 1100, so 1101/1102 can be seen. */
async function rawApi(id: number): Promise<{ api: IBApi; infos: Array<[number, string]>; pnl: number[]; errors: number[] }> {
  const api = new IBApi({ host: rig.emu.host, port: rig.emu.port });
  const out = { api, infos: [] as Array<[number, string]>, pnl: [] as number[], errors: [] as number[] };
  api.on(EventName.info, (message: string, code: number) => out.infos.push([code, message]));
  api.on(EventName.error, (_e: Error, code: number) => out.errors.push(code));
  api.on(EventName.pnl, (_reqId: number, daily: number) => out.pnl.push(daily));
  const ready = new Promise<void>((resolve) => api.once(EventName.nextValidId, () => resolve()));
  api.connect(id);
  await withTimeout(ready, 3000, 'nextValidId');
  cleanups.push(() => api.disconnect());
  return out;
}

describe('several clients', () => {
  it('serves clients with different ids at once and sends every live fill to each', async () => {
    await emulator();
    const cs = await Promise.all([client(1), client(2), client(3)]);
    const seen = cs.map(() => [] as number[]);
    cs.forEach((c, i) => c.api.on(EventName.execDetails, (reqId: number) => seen[i].push(reqId)));
    const times = await Promise.all(cs.map((c) => withTimeout(c.ib.getCurrentTime(), 3000, 'time')));
    expect(new Set(times.map((t) => Math.abs(t - times[0]) <= 1))).toEqual(new Set([true]));
    await rig.emu.control.fill({ symbol: 'NVDA', side: 'BUY', quantity: 10, price: 130 });
    await until('every client saw the fill', () => seen.every((s) => s.length === 1));
    expect(seen).toEqual([[-1], [-1], [-1]]);
    expect(
      rig.emu.control
        .state()
        .clients.map((c) => c.clientId)
        .sort(),
    ).toEqual([1, 2, 3]);
  });

  it('refuses a second client with an id already in use (326) and closes it', async () => {
    await emulator();
    await client(5);
    const dup = await connectClient(rig.emu, 5, { wait: false });
    clients.push(dup);
    await until('the duplicate is closed', () => dup.closed > 0);
    expect(dup.infos.map((i) => i.code)).toContain(326);
  });

  it('lets a client disconnect and reconnect with the same id', async () => {
    await emulator();
    const c = await client(7);
    await rig.emu.control.fill({ symbol: 'SPY', side: 'BUY', quantity: 2, price: 590 });
    c.ib.disconnect();
    await firstMatching(c.ib.connectionState, (s) => s === DISCONNECTED, 3000, 'disconnected');
    c.ib.connect(7);
    await waitConnected(c.ib);
    const positions = await firstMatching(c.ib.getPositions(), (u) => (u.all.get(ACCT)?.length ?? 0) > 0, 3000, 'positions');
    expect(positions.all.get(ACCT)!.map((p) => [p.contract.symbol, p.pos])).toEqual([['SPY', 2]]);
  });
});

describe('faults', () => {
  it('connectivity lost arrives as info 1100; data stops until 1102 (maintained) and is forgotten on 1101 (lost)', async () => {
    await emulator();
    const raw = await rawApi(11);
    raw.api.reqPnL(1, ACCT);
    await until('pnl updates', () => raw.pnl.length > 2);
    rig.emu.control.connectivityLost();
    await until('info 1100', () => raw.infos.some(([c]) => c === 1100));
    expect(raw.infos.find(([c]) => c === 1100)![1]).toMatch(/emulator/);
    await sleep(100);
    const during = raw.pnl.length;
    await sleep(200);
    expect(raw.pnl.length).toBe(during);
    rig.emu.control.connectivityRestored(false);
    await until('info 1102', () => raw.infos.some(([c]) => c === 1102));
    await until('pnl resumes', () => raw.pnl.length > during + 2);
    rig.emu.control.connectivityLost();
    rig.emu.control.connectivityRestored(true);
    await until('info 1101', () => raw.infos.some(([c]) => c === 1101));
    await sleep(100);
    const afterLost = raw.pnl.length;
    await sleep(200);
    expect(raw.pnl.length).toBe(afterLost); // subscriptions were lost; the client must ask again
    expect(raw.errors).toEqual([]);
  });

  it('IBApiNext treats 1100 as a lost connection (info with code 1100, then it drops the socket)', async () => {
    await emulator();
    const c = await client(12);
    rig.emu.control.connectivityLost();
    await until('info 1100', () => c.infos.some((i) => i.code === 1100));
    await firstMatching(c.ib.connectionState, (s) => s === DISCONNECTED, 3000, 'disconnect after 1100');
  });

  it('drop closes every socket; a client with reconnectInterval comes back and resubscribes', async () => {
    await emulator();
    const c = await client(13, { reconnectInterval: 100 });
    await rig.emu.control.fill({ symbol: 'AAPL', side: 'BUY', quantity: 1, price: 200 });
    const updates: number[] = [];
    const sub = c.ib.getPositions().subscribe((u) => updates.push(u.all.get(ACCT)?.length ?? 0));
    cleanups.push(() => sub.unsubscribe());
    await until('positions', () => updates.length > 0);
    expect(rig.emu.control.dropConnections()).toEqual({ dropped: 1 });
    await firstMatching(c.ib.connectionState, (s) => s === DISCONNECTED, 3000, 'dropped');
    expect(c.closed).toBeGreaterThan(0);
    await firstMatching(c.ib.connectionState, (s) => s === CONNECTED, 3000, 'reconnected');
    await rig.emu.control.fill({ symbol: 'MSFT', side: 'BUY', quantity: 1, price: 400 });
    await until('the resubscribed positions see MSFT', () => updates.at(-1) === 2);
  });

  it('hang: getCurrentTime is not answered until unhang', async () => {
    await emulator();
    const c = await client(14);
    rig.emu.control.hang();
    const pending = c.ib.getCurrentTime();
    expect(await settlesWithin(pending, 500)).toBe(false);
    expect(c.ib.isConnected).toBe(true);
    rig.emu.control.unhang();
    expect(await withTimeout(pending, 3000, 'time after unhang')).toBeGreaterThan(0);
  });

  it('refuse: a new connection fails while open ones keep working; accept lets it in', async () => {
    await emulator();
    const c = await client(15);
    await rig.emu.control.refuseConnections();
    const refused = await connectClient(rig.emu, 16, { wait: false });
    clients.push(refused);
    await until('connect error', () => refused.errors.some((e) => /ECONNREFUSED/.test(e.message)));
    expect(refused.ib.isConnected).toBe(false);
    expect(await withTimeout(c.ib.getCurrentTime(), 3000, 'time on the open connection')).toBeGreaterThan(0);
    await rig.emu.control.acceptConnections();
    refused.ib.disconnect();
    refused.ib.connect(16);
    await waitConnected(refused.ib);
  });

  it('restart drops clients but keeps accounts, positions and executions', async () => {
    await emulator();
    const c = await client(17);
    await rig.emu.control.fill({ symbol: 'TSLA', side: 'SELL', quantity: 4, price: 250 });
    const before = rig.emu.control.state();
    expect(await rig.emu.control.restart({ downMs: 100 })).toEqual({ dropped: 1 });
    await firstMatching(c.ib.connectionState, (s) => s === DISCONNECTED, 3000, 'dropped by restart');
    c.ib.connect(17);
    await waitConnected(c.ib);
    const after = rig.emu.control.state();
    expect(after.accounts[0].positions).toEqual(
      before.accounts[0].positions.map((p) => ({
        ...p,
        marketPrice: expect.any(Number),
        marketValue: expect.any(Number),
        unrealizedPnl: expect.any(Number),
      })),
    );
    expect(after.executions.total).toBe(1);
    expect((await c.ib.getExecutionDetails({})).map((d) => d.execution.side)).toEqual(['SLD']);
  });

  it('next trading day: realized P&L today restarts at 0 for a subscribed client', async () => {
    await emulator();
    const c = await client(18);
    await rig.emu.control.fill({ symbol: 'AAPL', side: 'BUY', quantity: 10, price: 200 });
    await rig.emu.control.fill({ symbol: 'AAPL', side: 'SELL', quantity: 10, price: 205 });
    const pnls: Array<number | undefined> = [];
    const sub = c.ib.getPnL(ACCT).subscribe((p) => pnls.push(p.realizedPnL));
    cleanups.push(() => sub.unsubscribe());
    await until('realized P&L', () => (pnls.at(-1) ?? 0) > 0);
    const { tradingDay } = rig.emu.control.nextTradingDay();
    expect(tradingDay).toMatch(/^\d{8}$/);
    await until('realized P&L back to 0', () => pnls.at(-1) === 0);
    expect(await c.ib.getExecutionDetails({})).toEqual([]);
  });

  it('error injects ERR_MSG: reqId -1 as info, another reqId as an error', async () => {
    await emulator();
    const c = await client(19);
    expect(rig.emu.control.error({ code: 2107, message: 'HMDS data farm connection is inactive (emulator)' })).toEqual({ clients: 1 });
    rig.emu.control.error({ code: 162, message: 'Historical market data Service error message (emulator)', reqId: 77 });
    await until('both', () => c.infos.some((i) => i.code === 2107) && c.errors.some((e) => e.code === 162));
    expect(c.errors.find((e) => e.code === 162)!.reqId).toBe(77);
  });

  it('reject sends error 201 for the order and an Inactive order state', async () => {
    await emulator();
    const c = await client(20);
    const statuses: string[] = [];
    c.api.on(EventName.orderStatus, (_id: number, status: string) => statuses.push(status));
    const r = rig.emu.control.reject({ symbol: 'AMZN', side: 'BUY', quantity: 1000, reason: 'margin (emulator)' });
    await until('error 201', () => c.errors.some((e) => e.code === 201));
    expect(c.errors.find((e) => e.code === 201)).toMatchObject({ reqId: r.orderId, message: 'Order rejected - reason:margin (emulator)' });
    expect(statuses).toEqual(['Inactive']);
  });
});
