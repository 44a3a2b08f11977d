/**
 * IB Gateway emulator benchmark (a script, not a test): `npx tsx bench/emulator.ts`.
 *
 * With the real @stoqey/ib client (IBApiNext) on loopback, in this one Node process:
 * 1. connect → ready (nextValidId) time over 30 connects;
 * 2. getCurrentTime round trip over 300 calls (what the exporter's probe measures);
 * 3. live fill fan-out: an injected fill until all 5 clients have its commission report
 *    (100 fills, one at a time);
 * 4. one tick's push work with 5 clients each subscribed to account updates, P&L,
 *    positions and market data for 6 symbols (CPU time of sim.tick, averaged).
 * Prints a markdown table. Bounded: a few seconds. Note: IBApiNext limits itself to 40
 * requests/s (maxReqPerSec), which shows in the p99 of a long run of getCurrentTime calls.
 */
import { performance } from 'node:perf_hooks';
import { EventName, IBApiNext, SecType, type IBApi } from '@stoqey/ib';
import { filter, firstValueFrom } from 'rxjs';
import { DEFAULT_UNIVERSE, ManualClock, startEmulator } from '@traderadmin/emulator';

const quiet = { debug() {}, info() {}, warn() {}, error() {} };
const pct = (values: number[], p: number) =>
  [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor((p / 100) * values.length))];
const ms = (v: number) => `${v.toFixed(v < 10 ? 2 : 1)} ms`;

async function connect(host: string, port: number, id: number): Promise<{ ib: IBApiNext; api: IBApi }> {
  const ib = new IBApiNext({ host, port, logger: quiet });
  const api = (ib as unknown as { api: IBApi }).api;
  const ready = new Promise<void>((r) => api.once(EventName.nextValidId, () => r()));
  ib.connect(id);
  await firstValueFrom(ib.connectionState.pipe(filter((s) => s === 2)));
  await ready;
  return { ib, api };
}

const rows: string[][] = [];
{
  const emu = await startEmulator({ tradeIntervalSeconds: 0, tickIntervalMs: 60_000 });
  const connects: number[] = [];
  for (let i = 0; i < 30; i++) {
    const t = performance.now();
    const c = await connect(emu.host, emu.port, 100 + i);
    connects.push(performance.now() - t);
    c.ib.disconnect();
  }
  rows.push(['connect → ready (nextValidId)', '30', ms(pct(connects, 50)), ms(pct(connects, 99))]);

  const c = await connect(emu.host, emu.port, 1);
  const rtts: number[] = [];
  for (let i = 0; i < 300; i++) {
    const t = performance.now();
    await c.ib.getCurrentTime();
    rtts.push(performance.now() - t);
  }
  rows.push(['getCurrentTime round trip', '300', ms(pct(rtts, 50)), ms(pct(rtts, 99))]);

  const clients = [c, ...(await Promise.all([2, 3, 4, 5].map((id) => connect(emu.host, emu.port, id))))];
  const counts = clients.map(() => 0);
  clients.forEach((cl, i) => cl.api.on(EventName.commissionReport, () => counts[i]++));
  // One fill at a time: @stoqey/ib's decoder queue is quadratic in the burst size
  // (Array.concat + shift per token), so a burst of hundreds of fills measures the client.
  const fanout: number[] = [];
  for (let i = 0; i < 100; i++) {
    const t = performance.now();
    await emu.control.fill({ symbol: 'AAPL', side: i % 2 ? 'SELL' : 'BUY', quantity: 10, price: 228 });
    const deadline = t + 5_000;
    while (counts.some((n) => n <= i)) {
      if (performance.now() > deadline) throw new Error(`fan-out incomplete: ${counts.join(', ')}`);
      await new Promise((r) => setImmediate(r));
    }
    fanout.push(performance.now() - t);
  }
  rows.push(['live fill → commission report at all 5 clients', '100', ms(pct(fanout, 50)), ms(pct(fanout, 99))]);
  for (const cl of clients) cl.ib.disconnect();
  await emu.close();
}
{
  const clock = new ManualClock();
  const emu = await startEmulator({ tradeIntervalSeconds: 0, clock, accounts: ['DU1', 'DU2'] });
  const clients = await Promise.all([1, 2, 3, 4, 5].map((id) => connect(emu.host, emu.port, id)));
  for (const { ib } of clients) {
    ib.getAccountUpdates('DU1').subscribe();
    ib.getPnL('DU1').subscribe();
    ib.getPositions().subscribe();
    for (const u of DEFAULT_UNIVERSE)
      ib.getMarketData(
        { conId: u.conId, symbol: u.symbol, secType: SecType.STK, exchange: 'SMART', currency: 'USD' },
        '',
        false,
        false,
      ).subscribe();
  }
  const fill = emu.control.fill({ account: 'DU1', symbol: 'MSFT', side: 'BUY', quantity: 10, price: 420 });
  clock.advance(0); // the fill is due now on the manual clock
  await fill;
  await new Promise((r) => setTimeout(r, 300));
  const N = 100;
  const ticks: number[] = [];
  for (let i = 0; i < N; i++) {
    const t = performance.now();
    clock.advance(1000);
    ticks.push(performance.now() - t);
    // Let the clients read what the tick sent, as they would between real ticks.
    await new Promise((r) => setTimeout(r, 5));
  }
  rows.push(['one tick, 5 fully subscribed clients (server CPU)', String(N), ms(pct(ticks, 50)), ms(pct(ticks, 99))]);
  for (const { ib } of clients) ib.disconnect();
  await emu.close();
}

console.log(`| measure | n | p50 / value | p99 / rate |\n| --- | --- | --- | --- |`);
for (const r of rows) console.log(`| ${r.join(' | ')} |`);
process.exit(0);
