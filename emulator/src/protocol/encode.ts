/**
 * Encoders for every message the emulator sends, field by field as @stoqey/ib 1.6.10's
 * decoder (dist/core/io/decoder.js) reads them at the negotiated server version.
 * Each function returns the field list; framing.ts turns it into bytes.
 */
import type { Field } from './framing.js';
import { MinServerVersion as V, ServerMsg as M } from './messages.js';

/** The contract fields the emulator knows about (US stocks). */
export interface ContractFields {
  conId: number;
  symbol: string;
  secType: string;
  /** Routing exchange, e.g. SMART. */
  exchange: string;
  primaryExch: string;
  currency: string;
  localSymbol: string;
  tradingClass: string;
}

/** One fill as carried by EXECUTION_DATA. */
export interface ExecutionFields {
  orderId: number;
  execId: string;
  /** "yyyymmdd hh:mm:ss <tz>" */
  time: string;
  account: string;
  exchange: string;
  /** BOT or SLD */
  side: 'BOT' | 'SLD';
  shares: number;
  price: number;
  permId: number;
  clientId: number;
  cumQty: number;
  avgPrice: number;
  orderRef: string;
}

/** A working or finished order as carried by OPEN_ORDER / ORDER_STATUS. */
export interface OrderFields {
  orderId: number;
  clientId: number;
  permId: number;
  account: string;
  action: 'BUY' | 'SELL';
  totalQuantity: number;
  orderType: 'LMT' | 'MKT';
  lmtPrice: number | undefined;
  tif: string;
  orderRef: string;
  /** PreSubmitted, Submitted, Filled, Cancelled, Inactive */
  status: string;
  filled: number;
  remaining: number;
  avgFillPrice: number;
  lastFillPrice: number;
}

/** Double.MAX_VALUE on the wire: the client reads it as "unset". */
export const UNSET_DOUBLE = Number.MAX_VALUE;

/** Escapes non-ASCII characters as \uXXXX, which clients at version >= 153 un-escape. */
export function asciiEscape(text: string): string {
  let out = '';
  for (const ch of text) {
    const code = ch.codePointAt(0) ?? 0;
    if (code < 128) out += ch;
    else for (const unit of ch.split('')) out += `\\u${unit.charCodeAt(0).toString(16).padStart(4, '0')}`;
  }
  return out;
}

export function managedAccounts(accounts: readonly string[]): Field[] {
  return [M.MANAGED_ACCTS, 1, accounts.join(',')];
}

export function nextValidId(orderId: number): Field[] {
  return [M.NEXT_VALID_ID, 1, orderId];
}

export function currentTime(epochSeconds: number): Field[] {
  return [M.CURRENT_TIME, 1, Math.floor(epochSeconds)];
}

/** ERR_MSG; reqId -1 reaches the client as an info message, anything else as an error. */
export function errorMessage(sv: number, reqId: number, code: number, message: string, advancedOrderRejectJson = ''): Field[] {
  const text = sv >= V.ENCODE_MSG_ASCII7 ? asciiEscape(message) : message;
  const fields: Field[] = [M.ERR_MSG, 2, reqId, code, text];
  if (sv >= V.ADVANCED_ORDER_REJECT) fields.push(advancedOrderRejectJson);
  return fields;
}

export function accountValue(key: string, value: string, currency: string, account: string): Field[] {
  return [M.ACCT_VALUE, 2, key, value, currency, account];
}

export interface PortfolioFields {
  contract: ContractFields;
  position: number;
  marketPrice: number;
  marketValue: number;
  averageCost: number;
  unrealizedPnl: number;
  realizedPnl: number;
  account: string;
}

export function portfolioValue(p: PortfolioFields): Field[] {
  const c = p.contract;
  return [
    M.PORTFOLIO_VALUE,
    8,
    c.conId,
    c.symbol,
    c.secType,
    '', // lastTradeDateOrContractMonth
    0, // strike
    '', // right
    '', // multiplier
    c.primaryExch,
    c.currency,
    c.localSymbol,
    c.tradingClass,
    p.position,
    p.marketPrice,
    p.marketValue,
    p.averageCost,
    p.unrealizedPnl,
    p.realizedPnl,
    p.account,
  ];
}

/** ACCT_UPDATE_TIME: "HH:MM" in the gateway's time zone. */
export function accountUpdateTime(hhmm: string): Field[] {
  return [M.ACCT_UPDATE_TIME, 1, hhmm];
}

export function accountDownloadEnd(account: string): Field[] {
  return [M.ACCT_DOWNLOAD_END, 1, account];
}

export function position(account: string, c: ContractFields, pos: number, avgCost: number): Field[] {
  return [
    M.POSITION,
    3,
    account,
    c.conId,
    c.symbol,
    c.secType,
    '',
    0,
    '',
    '',
    c.exchange,
    c.currency,
    c.localSymbol,
    c.tradingClass,
    pos,
    avgCost,
  ];
}

export function positionEnd(): Field[] {
  return [M.POSITION_END, 1];
}

export function accountSummary(reqId: number, account: string, tag: string, value: string, currency: string): Field[] {
  return [M.ACCOUNT_SUMMARY, 1, reqId, account, tag, value, currency];
}

export function accountSummaryEnd(reqId: number): Field[] {
  return [M.ACCOUNT_SUMMARY_END, 1, reqId];
}

/** PNL has no version field; unrealized from 129, realized from 135. */
export function pnl(sv: number, reqId: number, daily: number, unrealized: number, realized: number): Field[] {
  const fields: Field[] = [M.PNL, reqId, daily];
  if (sv >= V.UNREALIZED_PNL) fields.push(unrealized);
  if (sv >= V.REALIZED_PNL) fields.push(realized);
  return fields;
}

export function pnlSingle(
  sv: number,
  reqId: number,
  pos: number,
  daily: number,
  unrealized: number,
  realized: number,
  value: number,
): Field[] {
  const fields: Field[] = [M.PNL_SINGLE, reqId, pos, daily];
  if (sv >= V.UNREALIZED_PNL) fields.push(unrealized);
  if (sv >= V.REALIZED_PNL) fields.push(realized);
  fields.push(value);
  return fields;
}

/** EXECUTION_DATA; reqId -1 marks a live fill. Below 136 it carries version 10 and no lastLiquidity. */
export function executionData(sv: number, reqId: number, c: ContractFields, e: ExecutionFields): Field[] {
  const fields: Field[] = [M.EXECUTION_DATA];
  if (sv < V.LAST_LIQUIDITY) fields.push(10);
  fields.push(reqId, e.orderId, c.conId, c.symbol, c.secType, '', 0, '', '', c.exchange, c.currency, c.localSymbol, c.tradingClass);
  fields.push(
    e.execId,
    e.time,
    e.account,
    e.exchange,
    e.side,
    e.shares,
    e.price,
    e.permId,
    e.clientId,
    0,
    e.cumQty,
    e.avgPrice,
    e.orderRef,
  );
  fields.push('', ''); // evRule, evMultiplier
  if (sv >= V.MODELS_SUPPORT) fields.push(''); // modelCode
  if (sv >= V.LAST_LIQUIDITY) fields.push(2); // lastLiquidity: 2 = removed liquidity
  if (sv >= V.PENDING_PRICE_REVISION) fields.push(0);
  return fields;
}

export function executionDataEnd(reqId: number): Field[] {
  return [M.EXECUTION_DATA_END, 1, reqId];
}

/** COMMISSION_REPORT; realizedPnl undefined (an opening fill) goes out as Double.MAX_VALUE like TWS. */
export function commissionReport(execId: string, commission: number, currency: string, realizedPnl: number | undefined): Field[] {
  return [M.COMMISSION_REPORT, 1, execId, commission, currency, realizedPnl ?? UNSET_DOUBLE, UNSET_DOUBLE, ''];
}

/** ORDER_STATUS; below 131 it carries version 6 and no mktCapPrice. */
export function orderStatus(sv: number, o: OrderFields): Field[] {
  const fields: Field[] = [M.ORDER_STATUS];
  if (sv < V.MARKET_CAP_PRICE) fields.push(6);
  fields.push(o.orderId, o.status, o.filled, o.remaining, o.avgFillPrice, o.permId, 0, o.lastFillPrice, o.clientId, '');
  if (sv >= V.MARKET_CAP_PRICE) fields.push(0);
  return fields;
}

/**
 * OPEN_ORDER for a plain stock order (no combo legs, algo, conditions, hedge or delta
 * neutral leg), mirroring decodeMsg_OPEN_ORDER / OrderDecoder. Below 145 the message
 * carries a version; we send the server version itself so both sides use the same checks.
 */
export function openOrder(sv: number, c: ContractFields, o: OrderFields): Field[] {
  const v = sv; // OrderDecoder's `version`: the server version from 145 on, the sent version before
  const f: Field[] = [M.OPEN_ORDER];
  if (sv < V.ORDER_CONTAINER) f.push(v);
  f.push(o.orderId);
  // contract (version >= 32: multiplier and tradingClass)
  f.push(c.conId, c.symbol, c.secType, '', 0, '', '', c.exchange, c.currency, c.localSymbol, c.tradingClass);
  f.push(o.action, o.totalQuantity, o.orderType, o.lmtPrice ?? '', '', o.tif, '', o.account, '', 0, o.orderRef, o.clientId, o.permId);
  f.push(0, 0, 0); // outsideRth, hidden, discretionaryAmt
  f.push(''); // goodAfterTime
  f.push(''); // shares allocation (skipped by the client)
  f.push('', '', ''); // faGroup, faMethod, faPercentage
  if (v < V.FA_PROFILE_DESUPPORT) f.push(''); // faProfile
  if (v >= V.MODELS_SUPPORT) f.push(''); // modelCode
  f.push(''); // goodTillDate
  f.push(''); // rule80A
  f.push(''); // percentOffset
  f.push(''); // settlingFirm
  f.push(0, '', -1); // shortSaleSlot, designatedLocation, exemptCode
  f.push(0); // auctionStrategy
  f.push('', '', ''); // startingPrice, stockRefPrice, delta
  f.push('', ''); // stockRangeLower, stockRangeUpper
  f.push(''); // displaySize
  f.push(0, 0, 0); // blockOrder, sweepToFill, allOrNone
  f.push(''); // minQty
  f.push(0); // ocaType
  f.push(0, 0); // eTradeOnly, firmQuoteOnly
  f.push(''); // nbboPriceCap
  f.push(0, 0); // parentId, triggerMethod
  // volatility order params: empty deltaNeutralOrderType means no delta-neutral fields follow
  f.push('', 0, '', '', 0, 0); // volatility, volatilityType, deltaNeutralOrderType, deltaNeutralAuxPrice, continuousUpdate, referencePriceType
  f.push('', ''); // trailStopPrice, trailingPercent
  f.push('', ''); // basisPoints, basisPointsType
  f.push('', 0, 0); // comboLegsDescription, comboLegs count, orderComboLegs count
  f.push(0); // smartComboRoutingParams count
  f.push('', '', ''); // scaleInitLevelSize, scaleSubsLevelSize, scalePriceIncrement (empty: no more scale fields)
  f.push(''); // hedgeType (empty: no hedgeParam)
  f.push(0); // optOutSmartRouting
  f.push('', ''); // clearingAccount, clearingIntent
  f.push(0); // notHeld
  f.push(0); // deltaNeutralContract present
  f.push(''); // algoStrategy (empty: no params)
  f.push(0); // solicited
  f.push(0, o.status); // whatIf, order state status
  if (sv >= V.WHAT_IF_EXT_FIELDS) f.push('', '', '', '', '', ''); // margin before / change
  f.push('', '', '', '', '', '', '', ''); // margin after, commission, min/max commission, commissionCurrency, warningText
  f.push(0, 0); // randomizeSize, randomizePrice
  if (sv >= V.PEGGED_TO_BENCHMARK) {
    // no peg-to-benchmark fields for LMT/MKT
    f.push(0); // conditions count
    f.push('', '', '', '', '', '', '', 0); // adjustedOrderType, triggerPrice, trailStopPrice, lmtPriceOffset, adjustedStopPrice, adjustedStopLimitPrice, adjustedTrailingAmount, adjustableTrailingUnit
  }
  if (sv >= V.SOFT_DOLLAR_TIER) f.push('', '', '');
  if (sv >= V.CASH_QTY) f.push('');
  if (sv >= V.AUTO_PRICE_FOR_HEDGE) f.push(0);
  if (sv >= V.ORDER_CONTAINER) f.push(0);
  if (sv >= V.D_PEG_ORDERS) f.push(0);
  if (sv >= V.PRICE_MGMT_ALGO) f.push(0);
  if (sv >= V.DURATION) f.push('');
  if (sv >= V.POST_TO_ATS) f.push('');
  if (sv >= V.AUTO_CANCEL_PARENT) f.push(0);
  if (sv >= V.PEGBEST_PEGMID_OFFSETS) f.push('', '', '', '', '');
  if (sv >= V.CUSTOMER_ACCOUNT) f.push('');
  if (sv >= V.PROFESSIONAL_CUSTOMER) f.push(0);
  if (sv >= V.BOND_ACCRUED_INTEREST) f.push('');
  if (sv >= V.INCLUDE_OVERNIGHT) f.push(0);
  if (sv >= V.CME_TAGGING_FIELDS_IN_OPEN_ORDER) f.push('', '');
  return f;
}

export function openOrderEnd(): Field[] {
  return [M.OPEN_ORDER_END, 1];
}

/** TICK_PRICE (version 6); the client also emits tickSize for bid/ask/last. */
export function tickPrice(reqId: number, tickType: number, price: number, size: number, attribMask = 0): Field[] {
  return [M.TICK_PRICE, 6, reqId, tickType, price, size, attribMask];
}

export function tickSize(reqId: number, tickType: number, size: number): Field[] {
  return [M.TICK_SIZE, 6, reqId, tickType, size];
}

export function tickSnapshotEnd(reqId: number): Field[] {
  return [M.TICK_SNAPSHOT_END, 1, reqId];
}

export function marketDataType(reqId: number, type: number): Field[] {
  return [M.MARKET_DATA_TYPE, 1, reqId, type];
}

/** Tick types the emulator sends (TWS API TickType). */
export const TickType = { BID_SIZE: 0, BID: 1, ASK: 2, ASK_SIZE: 3, LAST: 4, LAST_SIZE: 5, HIGH: 6, LOW: 7, VOLUME: 8, CLOSE: 9 } as const;
