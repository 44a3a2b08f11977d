/**
 * Account data as TWS writes it, to one client: account updates, account summary, PnL.
 * Shared by the first answer to a request and by the pushes that follow.
 */
import * as enc from '../../protocol/encode.js';
import type { Account } from '../../sim/account.js';
import { hhmmText } from '../../sim/time.js';
import type { GatewayContext } from '../context.js';
import type { Session } from '../session.js';

/** Summary tags the emulator answers (a subset of TWS AccountSummaryTags). */
const SUMMARY_TAGS: Record<string, (v: ReturnType<Account['valuation']>) => number> = {
  NetLiquidation: (v) => v.netLiquidation,
  TotalCashValue: (v) => v.totalCashValue,
  SettledCash: (v) => v.totalCashValue,
  BuyingPower: (v) => v.buyingPower,
  EquityWithLoanValue: (v) => v.equityWithLoanValue,
  GrossPositionValue: (v) => v.grossPositionValue,
  InitMarginReq: (v) => v.initMarginReq,
  MaintMarginReq: (v) => v.maintMarginReq,
  FullInitMarginReq: (v) => v.initMarginReq,
  FullMaintMarginReq: (v) => v.maintMarginReq,
  AvailableFunds: (v) => v.availableFunds,
  FullAvailableFunds: (v) => v.availableFunds,
  ExcessLiquidity: (v) => v.excessLiquidity,
  FullExcessLiquidity: (v) => v.excessLiquidity,
};

const money = (x: number) => x.toFixed(2);

/** ACCT_VALUE rows (and PORTFOLIO_VALUE, ACCT_UPDATE_TIME); the first download ends with ACCT_DOWNLOAD_END. */
export function pushAccountUpdates(gw: GatewayContext, s: Session, a: Account, initial: boolean, onlySymbol?: string): void {
  const sim = gw.sim;
  const v = a.valuation(sim.market);
  const cur = a.currency;
  const rows: Array<[string, string, string]> = [
    ['AccountCode', a.id, ''],
    ['AccountType', 'INDIVIDUAL', ''],
    ['AccountReady', 'true', ''],
    ['Currency', cur, cur],
    ['NetLiquidation', money(v.netLiquidation), cur],
    ['TotalCashValue', money(v.totalCashValue), cur],
    ['SettledCash', money(v.totalCashValue), cur],
    ['BuyingPower', money(v.buyingPower), cur],
    ['AvailableFunds', money(v.availableFunds), cur],
    ['ExcessLiquidity', money(v.excessLiquidity), cur],
    ['EquityWithLoanValue', money(v.equityWithLoanValue), cur],
    ['GrossPositionValue', money(v.grossPositionValue), cur],
    ['InitMarginReq', money(v.initMarginReq), cur],
    ['MaintMarginReq', money(v.maintMarginReq), cur],
    ['StockMarketValue', money(v.netLiquidation - v.totalCashValue), cur],
  ];
  // Ledger keys come per currency and once more as BASE, as TWS sends them.
  for (const c of [cur, 'BASE']) {
    rows.push(
      ['CashBalance', money(v.totalCashValue), c],
      ['TotalCashBalance', money(v.totalCashValue), c],
      ['NetLiquidationByCurrency', money(v.netLiquidation), c],
      ['RealizedPnL', money(v.realizedPnlToday), c],
      ['UnrealizedPnL', money(v.unrealizedPnl), c],
    );
  }
  for (const [key, value, currency] of rows) gw.send(s, enc.accountValue(key, value, currency, a.id));
  for (const h of a.books()) {
    if (onlySymbol && h.symbol !== onlySymbol) continue;
    if (h.quantity === 0 && !onlySymbol) continue;
    const inst = sim.market.require(h.symbol);
    gw.send(
      s,
      enc.portfolioValue({
        contract: inst.contract,
        position: h.quantity,
        marketPrice: inst.last,
        marketValue: Math.round(h.quantity * inst.last * 100) / 100,
        averageCost: h.avgCost,
        unrealizedPnl: a.unrealizedOf(h, sim.market),
        realizedPnl: h.realizedToday,
        account: a.id,
      }),
    );
  }
  gw.send(s, enc.accountUpdateTime(hhmmText(sim.now(), sim.timeZone)));
  if (initial) gw.send(s, enc.accountDownloadEnd(a.id));
}

export function pushSummary(gw: GatewayContext, s: Session, reqId: number, tags: string[]): void {
  const sim = gw.sim;
  for (const a of sim.accounts) {
    const v = a.valuation(sim.market);
    for (const tag of tags) {
      if (tag === 'AccountType') gw.send(s, enc.accountSummary(reqId, a.id, tag, 'INDIVIDUAL', ''));
      else if (tag.startsWith('$LEDGER')) {
        const scope = tag.split(':')[1] ?? 'BASE';
        const currencies = scope === 'ALL' ? [a.currency, 'BASE'] : [scope === 'BASE' ? 'BASE' : scope];
        for (const c of currencies) {
          if (c !== 'BASE' && c !== a.currency) continue;
          for (const [k, val] of [
            ['CashBalance', v.totalCashValue],
            ['TotalCashBalance', v.totalCashValue],
            ['NetLiquidationByCurrency', v.netLiquidation],
            ['RealizedPnL', v.realizedPnlToday],
            ['UnrealizedPnL', v.unrealizedPnl],
          ] as const)
            gw.send(s, enc.accountSummary(reqId, a.id, k, money(val), c));
        }
      } else {
        const get = SUMMARY_TAGS[tag];
        if (get) gw.send(s, enc.accountSummary(reqId, a.id, tag, money(get(v)), a.currency));
      }
    }
  }
}

export function pushAllPnl(gw: GatewayContext, s: Session): void {
  for (const [reqId, account] of s.pnl) pushPnl(gw, s, reqId, account);
  for (const [reqId, sub] of s.pnlSingle) pushPnlSingle(gw, s, reqId, sub.account, sub.conId);
}

export function pushPnl(gw: GatewayContext, s: Session, reqId: number, account: string): void {
  const v = gw.sim.account(account).valuation(gw.sim.market);
  gw.send(s, enc.pnl(s.serverVersion, reqId, v.dailyPnl, v.unrealizedPnl, v.realizedPnlToday));
}

export function pushPnlSingle(gw: GatewayContext, s: Session, reqId: number, account: string, conId: number): void {
  const sim = gw.sim;
  const inst = sim.market.byConId(conId);
  if (!inst) return;
  const a = sim.account(account);
  const h = a.holding(inst.contract.symbol);
  if (!h) {
    gw.send(s, enc.pnlSingle(s.serverVersion, reqId, 0, 0, 0, 0, 0));
    return;
  }
  const value = Math.round(h.quantity * inst.last * 100) / 100;
  gw.send(
    s,
    enc.pnlSingle(s.serverVersion, reqId, h.quantity, a.dailyOf(h, sim.market), a.unrealizedOf(h, sim.market), h.realizedToday, value),
  );
}
