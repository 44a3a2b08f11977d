/**
 * Simulated prices: a seeded geometric random walk per symbol, one step per tick.
 */
import type { ContractFields } from '../protocol/encode.js';
import type { Random } from './random.js';

/** A listed instrument with its current quote. */
export interface Instrument {
  contract: ContractFields;
  /** Last trade price. */
  last: number;
  /** Previous close: the reference for the day. */
  close: number;
  bid: number;
  ask: number;
  /** Shares traded today (simulated). */
  volume: number;
}

/** A handful of liquid US stocks with their real IB contract ids. */
export const DEFAULT_UNIVERSE: ReadonlyArray<{ symbol: string; conId: number; primaryExch: string; price: number }> = [
  { symbol: 'AAPL', conId: 265598, primaryExch: 'NASDAQ', price: 228.5 },
  { symbol: 'MSFT', conId: 272093, primaryExch: 'NASDAQ', price: 421.3 },
  { symbol: 'NVDA', conId: 4815747, primaryExch: 'NASDAQ', price: 136.2 },
  { symbol: 'AMZN', conId: 3691937, primaryExch: 'NASDAQ', price: 201.7 },
  { symbol: 'SPY', conId: 756733, primaryExch: 'ARCA', price: 589.4 },
  { symbol: 'TSLA', conId: 76792991, primaryExch: 'NASDAQ', price: 252.9 },
];

const round2 = (x: number) => Math.round(x * 100) / 100;

/**
 * DEFAULT_UNIVERSE, followed by generated instruments (SIM0007, SIM0008, …) up to `size`: room
 * for the seeded positions of a load test (emulator.positions).
 */
export function universeOf(size: number): typeof DEFAULT_UNIVERSE {
  const generated = Array.from({ length: Math.max(0, size - DEFAULT_UNIVERSE.length) }, (_, i) => {
    const n = DEFAULT_UNIVERSE.length + i + 1;
    return { symbol: `SIM${String(n).padStart(4, '0')}`, conId: 900_000_000 + n, primaryExch: 'NASDAQ', price: 10 + ((n * 37) % 490) };
  });
  return [...DEFAULT_UNIVERSE, ...generated];
}

export class Market {
  private readonly instruments = new Map<string, Instrument>();

  /**
   * @param random the simulation's PRNG
   * @param volatility standard deviation of one tick's log return
   */
  constructor(
    private readonly random: Random,
    private readonly volatility = 0.0008,
    universe = DEFAULT_UNIVERSE,
  ) {
    for (const u of universe) {
      const contract: ContractFields = {
        conId: u.conId,
        symbol: u.symbol,
        secType: 'STK',
        exchange: 'SMART',
        primaryExch: u.primaryExch,
        currency: 'USD',
        localSymbol: u.symbol,
        tradingClass: u.symbol === 'SPY' ? 'SPY' : 'NMS',
      };
      const inst: Instrument = { contract, last: u.price, close: u.price, bid: 0, ask: 0, volume: 0 };
      this.quote(inst);
      this.instruments.set(u.symbol, inst);
    }
  }

  /** Every instrument, in universe order. */
  all(): Instrument[] {
    return [...this.instruments.values()];
  }

  symbols(): string[] {
    return [...this.instruments.keys()];
  }

  get(symbol: string): Instrument | undefined {
    return this.instruments.get(symbol.toUpperCase());
  }

  /** The instrument, or a clear error naming the known symbols. */
  require(symbol: string): Instrument {
    const inst = this.get(symbol);
    if (!inst) throw new RangeError(`unknown symbol ${JSON.stringify(symbol)}; the emulator lists ${this.symbols().join(', ')}`);
    return inst;
  }

  byConId(conId: number): Instrument | undefined {
    for (const i of this.instruments.values()) if (i.contract.conId === conId) return i;
    return undefined;
  }

  /** One random-walk step for every symbol. */
  step(): void {
    for (const inst of this.instruments.values()) {
      const r = this.volatility * this.random.gaussian();
      inst.last = Math.max(0.01, round2(inst.last * Math.exp(r)));
      inst.volume += this.random.int(1, 50) * 100;
      this.quote(inst);
    }
  }

  /** Sets the last price (a fill at a given price moves the tape there). */
  setLast(symbol: string, price: number): void {
    const inst = this.require(symbol);
    inst.last = round2(price);
    this.quote(inst);
  }

  /** New day: today's close becomes the reference and volume restarts. */
  rollDay(): void {
    for (const inst of this.instruments.values()) {
      inst.close = inst.last;
      inst.volume = 0;
    }
  }

  private quote(inst: Instrument): void {
    const half = Math.max(0.01, round2(inst.last * 0.0001));
    inst.bid = round2(inst.last - half);
    inst.ask = round2(inst.last + half);
  }
}
