/**
 * Per-position gauges (contract: trader_position_*), labelled by instrument, never by price or id.
 *
 * Written as exposition text directly rather than through prom-client: at fund size (10
 * accounts × 1,000 positions) these are 50,000 of the exporter's series, and prom-client's
 * label hashing and value objects made /metrics take ~180 ms; building the lines takes ~10.
 * The text is what prom-client wrote for the same data (same HELP, TYPE, label order,
 * escaping, value format, and one series per label set, the last value winning), which
 * exporter/test/positionsText.test.ts checks against prom-client itself.
 */
import { viewOf, type Ledger, type PositionView } from '../accounting/ledger.js';
import { money } from './account.js';

export const POSITION_QUANTITY = 'trader_position_quantity';
export const POSITION_AVG_COST = 'trader_position_avg_cost';
export const POSITION_MARKET_PRICE = 'trader_position_market_price';
export const POSITION_MARKET_VALUE = 'trader_position_market_value';
export const POSITION_UNREALIZED_PNL = 'trader_position_unrealized_pnl';

export const POSITION_FIELDS: ReadonlyArray<readonly [string, string, keyof PositionView]> = [
  [POSITION_QUANTITY, 'Signed position size.', 'quantity'],
  [POSITION_AVG_COST, 'Average entry price per unit.', 'avgCost'],
  [POSITION_MARKET_PRICE, 'Current market price per unit.', 'marketPrice'],
  [POSITION_MARKET_VALUE, 'Current market value of the position.', 'marketValue'],
  [POSITION_UNREALIZED_PNL, 'Unrealized P&L of the position.', 'unrealizedPnl'],
];

/** The names of the families renderPositions writes (the scrape scopes split on them). */
export const POSITION_METRIC_NAMES: readonly string[] = POSITION_FIELDS.map(([name]) => name);

// The text format's escaping, as prom-client applies it; most values need none, so test first.
const escapeHelp = (s: string) => s.replace(/\\/g, '\\\\').replace(/\n/g, '\\n');
const NEEDS_ESCAPE = /[\\\n"]/;
const escapeLabel = (s: string) => (NEEDS_ESCAPE.test(s) ? escapeHelp(s).replace(/"/g, '\\"') : s);

/** A sample value as prom-client prints it (its NaN spelling included; Prometheus reads either). */
function valueText(v: number): string {
  if (Number.isNaN(v)) return 'Nan';
  if (!Number.isFinite(v)) return v < 0 ? '-Inf' : '+Inf';
  return `${v}`;
}

interface LabelText {
  symbol: string;
  secType: string;
  currency: string;
  text: string;
}

/**
 * A renderer of the five trader_position_* families for every open position of every account,
 * as exposition text (families separated by a blank line, ending in a newline). It remembers
 * each position's label text between scrapes: instruments rarely change, prices do.
 */
export function positionsRenderer(ledger: Ledger): () => string {
  let known = new Map<string, Map<string, LabelText>>();
  return () => {
    const next = new Map<string, Map<string, LabelText>>();
    // One series per label set: two positions with the same instrument labels (IB keys them by
    // contract id) keep the first one's place and the last one's values, as prom-client did.
    const labels: string[] = [];
    const values: number[][] = POSITION_FIELDS.map(() => []);
    const slot = new Map<string, number>();
    for (const account of ledger.accounts()) {
      const before = known.get(account);
      const now = new Map<string, LabelText>();
      next.set(account, now);
      let a: string | undefined;
      for (const [key, p] of ledger.book(account).positions) {
        const v = viewOf(p);
        let l = before?.get(key);
        if (!l || l.symbol !== v.symbol || l.secType !== v.secType || l.currency !== v.currency) {
          a ??= escapeLabel(account);
          const text = `{account="${a}",symbol="${escapeLabel(v.symbol)}",sec_type="${escapeLabel(v.secType)}",currency="${escapeLabel(v.currency)}"}`;
          l = { symbol: v.symbol, secType: v.secType, currency: v.currency, text };
        }
        now.set(key, l);
        let i = slot.get(l.text);
        if (i === undefined) {
          i = labels.length;
          slot.set(l.text, i);
          labels.push(l.text);
        }
        // In POSITION_FIELDS order.
        values[0][i] = money(v.quantity);
        values[1][i] = money(v.avgCost);
        values[2][i] = money(v.marketPrice);
        values[3][i] = money(v.marketValue);
        values[4][i] = money(v.unrealizedPnl);
      }
    }
    known = next;
    let out = '';
    for (let f = 0; f < POSITION_FIELDS.length; f++) {
      const [name, help] = POSITION_FIELDS[f];
      out += `${f === 0 ? '' : '\n'}# HELP ${name} ${escapeHelp(help)}\n# TYPE ${name} gauge\n`;
      const column = values[f];
      for (let i = 0; i < labels.length; i++) out += name + labels[i] + ' ' + valueText(column[i]) + '\n';
    }
    return out;
  };
}

/** The position families of a ledger once (tests, the bench). */
export function renderPositions(ledger: Ledger): string {
  return positionsRenderer(ledger)();
}
