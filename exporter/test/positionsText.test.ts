/**
 * The position families are written as text directly (exporter/src/metrics/positions.ts); this
 * checks, against prom-client itself fed the same positions the way the exporter used to, that
 * nothing changed in what is exposed: same HELP, TYPE, series, label order, escaping and values,
 * and the scrape scopes split /metrics into two parts that add up to the whole.
 */
import { Gauge, Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { viewOf, type Ledger } from '../src/accounting/ledger.js';
import { startExporter, type RunningExporter } from '../src/exporter.js';
import { money } from '../src/metrics/account.js';
import { POSITION_FIELDS, renderPositions } from '../src/metrics/positions.js';
import { makeConfig, memoryLogger } from './helpers.js';

/** The exporter's previous prom-client registration of the position gauges, verbatim in effect. */
function promClientPositions(ledger: Ledger): Registry {
  const registry = new Registry();
  const gauges = POSITION_FIELDS.map(
    ([name, help]) => new Gauge({ name, help, labelNames: ['account', 'symbol', 'sec_type', 'currency'], registers: [registry] }),
  );
  for (const account of ledger.accounts())
    for (const p of ledger.book(account).positions.values()) {
      const v = viewOf(p);
      const labels = { account, symbol: v.symbol, sec_type: v.secType, currency: v.currency };
      POSITION_FIELDS.forEach(([, , field], i) => gauges[i].set(labels, money(v[field] as number)));
    }
  return registry;
}

interface Family {
  help: string;
  type: string;
  samples: Map<string, string>;
}

/** A small text-format parser: family → HELP, TYPE and series → value; throws on a repeated series. */
function parse(text: string): Map<string, Family> {
  const families = new Map<string, Family>();
  const family = (name: string) => families.get(name) ?? families.set(name, { help: '', type: '', samples: new Map() }).get(name)!;
  for (const line of text.split('\n')) {
    if (line === '') continue;
    const meta = /^# (HELP|TYPE) (\S+) (.*)$/.exec(line);
    if (meta) {
      family(meta[2])[meta[1] === 'HELP' ? 'help' : 'type'] = meta[3];
      continue;
    }
    const sample = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{.*\})? (\S+)$/.exec(line);
    if (!sample) throw new Error(`not a sample line: ${line}`);
    const base = [...families.keys()].filter((n) => sample[1].startsWith(n)).sort((a, b) => b.length - a.length)[0] ?? sample[1];
    const series = `${sample[1]}${sample[2] ?? ''}`;
    const f = family(base);
    if (f.samples.has(series)) throw new Error(`series twice: ${series}`);
    f.samples.set(series, sample[3]);
  }
  return families;
}

const logger = memoryLogger();
let exp: RunningExporter;

beforeAll(async () => {
  exp = await startExporter(makeConfig('[broker]\naccounts = ["DU1234567", "DU7654321"]\n'), {
    logger,
    listen: '127.0.0.1:0',
    connect: false,
  });
  const s = exp.sink;
  for (const account of ['DU1234567', 'DU7654321']) {
    s.accountValue(account, 'NetLiquidation', 100_000, 'USD');
    for (let p = 0; p < 200; p++)
      s.position({
        account,
        key: String(p),
        symbol: `SYM${p}`,
        secType: p % 3 ? 'STK' : 'OPT',
        currency: p % 5 ? 'USD' : 'EUR',
        quantity: p % 2 ? 100 : -7.5,
        avgCost: 10 + p / 3,
        marketPrice: 11 + p / 7,
        marketValue: (11 + p / 7) * 100,
        unrealizedPnl: p * 0.1 + 0.2,
      });
  }
  // Labels that need escaping, a position without a price, a closed one (quantity 0 leaves the
  // book), and two contracts with the same instrument labels (one series, the last values).
  s.position({ account: 'DU1234567', key: 'x1', symbol: 'BRK "B"\\', secType: 'STK', currency: 'USD', quantity: 1, avgCost: 300 });
  s.position({ account: 'DU1234567', key: 'x2', symbol: 'line\nbreak', secType: 'STK', currency: 'USD', quantity: 3, avgCost: 0 });
  s.position({ account: 'DU1234567', key: 'x3', symbol: 'CLOSED', secType: 'STK', currency: 'USD', quantity: 0, avgCost: 0 });
  s.position({
    account: 'DU7654321',
    key: 'd1',
    symbol: 'ES',
    secType: 'FUT',
    currency: 'USD',
    quantity: 1,
    avgCost: 5000,
    marketPrice: 5010,
  });
  s.position({
    account: 'DU7654321',
    key: 'd2',
    symbol: 'ES',
    secType: 'FUT',
    currency: 'USD',
    quantity: 2,
    avgCost: 5020,
    marketPrice: 5030,
  });
});

afterAll(async () => {
  await exp?.close();
});

describe('position families written directly', () => {
  it('are, family by family, the text prom-client writes for the same positions', async () => {
    const ours = renderPositions(exp.ledger).trimEnd().split('\n\n');
    const theirs = (await promClientPositions(exp.ledger).metrics()).trimEnd().split('\n\n');
    expect(ours).toHaveLength(POSITION_FIELDS.length);
    expect(ours).toEqual(theirs);
    // The duplicate instrument is one series, carrying the later contract's values.
    const quantity = parse(ours[0]).get('trader_position_quantity')!;
    expect(quantity.samples.get('trader_position_quantity{account="DU7654321",symbol="ES",sec_type="FUT",currency="USD"}')).toBe('2');
    expect(quantity.samples.size).toBe(2 * 200 + 3);
    expect(ours[0]).toContain('symbol="line\\nbreak"');
  });

  it('write HELP and TYPE even with no positions, as prom-client does', async () => {
    const empty = await startExporter(makeConfig(), { logger, listen: '127.0.0.1:0', connect: false });
    try {
      expect(renderPositions(empty.ledger)).toBe(await promClientPositions(empty.ledger).metrics());
    } finally {
      await empty.close();
    }
  });
});

describe('GET /metrics scopes', () => {
  it('account + positions is the whole of /metrics, which parses to the registry plus prom-client positions', async () => {
    const get = async (q: string) => {
      const res = await fetch(`${exp.url}/metrics${q}`);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
      return res.text();
    };
    const [all, account, positions] = [await get(''), await get('?scope=account'), await get('?scope=positions')];
    expect(account).not.toContain('trader_position_');
    expect(account).toContain('trader_open_positions{account="DU1234567"} 202');
    expect([...parse(positions).keys()]).toEqual(POSITION_FIELDS.map(([name]) => name));
    expect(await get('?scope=all')).toBe(all);

    const whole = parse(all);
    expect(whole).toEqual(parse(`${account}\n${positions}`));
    const expected = parse(`${await exp.registry.metrics()}\n${await promClientPositions(exp.ledger).metrics()}`);
    expect(whole).toEqual(expected);
    expect(whole.get('trader_position_market_price')!.samples.size).toBe(403);
  });

  it('follows the book between scrapes: moved prices, a relabelled contract, a closed position', async () => {
    const positionsNow = async () => (await fetch(`${exp.url}/metrics?scope=positions`)).text();
    await positionsNow();
    exp.sink.position({
      account: 'DU1234567',
      key: '1',
      symbol: 'SYM1.OLD',
      secType: 'STK',
      currency: 'USD',
      quantity: 100,
      avgCost: 10,
      marketPrice: 12.5,
    });
    exp.sink.position({ account: 'DU1234567', key: '2', symbol: 'SYM2', secType: 'STK', currency: 'USD', quantity: 0, avgCost: 0 });
    exp.sink.position({
      account: 'DU7654321',
      key: '3',
      symbol: 'SYM3',
      secType: 'OPT',
      currency: 'USD',
      quantity: 9,
      avgCost: 1,
      marketPrice: 2,
    });
    const text = await positionsNow();
    expect(parse(text)).toEqual(parse(await promClientPositions(exp.ledger).metrics()));
    expect(text).toContain('trader_position_market_price{account="DU1234567",symbol="SYM1.OLD",sec_type="STK",currency="USD"} 12.5');
    expect(text).not.toContain('account="DU1234567",symbol="SYM2"');
    expect(text).toContain('account="DU7654321",symbol="SYM2"');
  });

  it('answers an unknown scope 400', async () => {
    const res = await fetch(`${exp.url}/metrics?scope=everything`);
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: string }).error).toMatch(/all, account, positions/);
  });
});
