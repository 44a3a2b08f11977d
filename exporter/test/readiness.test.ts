/**
 * /readyz at start: ready only once today's statistics are rebuilt from the day's executions,
 * so what waits for readiness never reads a day without its trades. Many fills make the
 * executions answer take long enough for the polling below to land inside that window.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startEmulator, type Emulator } from '@traderadmin/emulator';
import { startExporter } from '../src/exporter.js';
import { makeConfig, memoryLogger } from './helpers.js';

const ACCOUNT = 'DU1234567';
const FILLS = 600;
let emu: Emulator;

beforeAll(async () => {
  emu = await startEmulator({ port: 0, accounts: [ACCOUNT], seed: 1, tradeIntervalSeconds: 0, tickIntervalMs: 1000 });
  for (let i = 0; i < FILLS; i++)
    await emu.control.fill({ account: ACCOUNT, symbol: 'AAPL', side: i % 2 === 0 ? 'BUY' : 'SELL', quantity: 1, price: 100 + (i % 5) });
});

afterAll(async () => {
  await emu?.close();
});

it("answers 200 only once today's statistics are rebuilt, and says so while it rebuilds", async () => {
  const logger = memoryLogger();
  const config = makeConfig(`[broker]\nport = ${emu.port}\nclient_id = 21\naccounts = ["${ACCOUNT}"]\n`);
  const exp = await startExporter(config, { listen: '127.0.0.1:0', logger });
  try {
    const reasons = new Set<string>();
    const deadline = Date.now() + 20_000;
    for (;;) {
      const res = await fetch(`${exp.url}/readyz`);
      const body = (await res.json()) as { ready: boolean; reason?: string };
      if (res.status === 200) break;
      reasons.add(body.reason ?? '');
      if (Date.now() > deadline) throw new Error(`never ready; reasons: ${[...reasons].join(' | ')}`);
    }
    expect(logger.lines.some((l) => l.includes("rebuilt today's statistics"))).toBe(true);
    const snapshot = (await (await fetch(`${exp.url}/api/v1/metrics`)).json()) as {
      accounts: Record<string, { trades: { executionsCount: number; closedTradesCount: number } }>;
    };
    expect(snapshot.accounts[ACCOUNT].trades, 'what the first ready answer counted').toMatchObject({
      executionsCount: FILLS,
      closedTradesCount: FILLS / 2,
    });
    expect([...reasons]).toContain("logged in, rebuilding today's statistics from the gateway");
  } finally {
    await exp.close();
  }
});
