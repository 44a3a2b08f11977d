/**
 * Message ids of the TWS API socket protocol, named from the emulator's side.
 * Values match @stoqey/ib 1.6.10 (`IN_MSG_ID` in dist/core/io/enum/in-msg-id.js and
 * `OUT_MSG_ID` in dist/core/io/encoder.js); see shared/reference/tws-protocol.md.
 */

/** Messages the gateway sends (the client's IN_MSG_ID). */
export const ServerMsg = {
  TICK_PRICE: 1,
  TICK_SIZE: 2,
  ORDER_STATUS: 3,
  ERR_MSG: 4,
  OPEN_ORDER: 5,
  ACCT_VALUE: 6,
  PORTFOLIO_VALUE: 7,
  ACCT_UPDATE_TIME: 8,
  NEXT_VALID_ID: 9,
  EXECUTION_DATA: 11,
  MANAGED_ACCTS: 15,
  CURRENT_TIME: 49,
  OPEN_ORDER_END: 53,
  ACCT_DOWNLOAD_END: 54,
  EXECUTION_DATA_END: 55,
  TICK_SNAPSHOT_END: 57,
  MARKET_DATA_TYPE: 58,
  COMMISSION_REPORT: 59,
  POSITION: 61,
  POSITION_END: 62,
  ACCOUNT_SUMMARY: 63,
  ACCOUNT_SUMMARY_END: 64,
  PNL: 94,
  PNL_SINGLE: 95,
} as const;

/** Requests a client sends (the client's OUT_MSG_ID). */
export const ClientMsg = {
  REQ_MKT_DATA: 1,
  CANCEL_MKT_DATA: 2,
  PLACE_ORDER: 3,
  CANCEL_ORDER: 4,
  REQ_OPEN_ORDERS: 5,
  REQ_ACCOUNT_DATA: 6,
  REQ_EXECUTIONS: 7,
  REQ_IDS: 8,
  SET_SERVER_LOGLEVEL: 14,
  REQ_AUTO_OPEN_ORDERS: 15,
  REQ_ALL_OPEN_ORDERS: 16,
  REQ_MANAGED_ACCTS: 17,
  REQ_CURRENT_TIME: 49,
  REQ_MARKET_DATA_TYPE: 59,
  REQ_POSITIONS: 61,
  REQ_ACCOUNT_SUMMARY: 62,
  CANCEL_ACCOUNT_SUMMARY: 63,
  CANCEL_POSITIONS: 64,
  START_API: 71,
  REQ_PNL: 92,
  CANCEL_PNL: 93,
  REQ_PNL_SINGLE: 94,
  CANCEL_PNL_SINGLE: 95,
} as const;

/** Server versions that change a message layout (subset of the client's MIN_SERVER_VER). */
export const MinServerVersion = {
  /** The lowest version of the length-prefixed (v100+) protocol. */
  V100: 100,
  MODELS_SUPPORT: 103,
  PEGGED_TO_BENCHMARK: 102,
  SOFT_DOLLAR_TIER: 106,
  CASH_QTY: 111,
  UNREALIZED_PNL: 129,
  MARKET_CAP_PRICE: 131,
  REALIZED_PNL: 135,
  LAST_LIQUIDITY: 136,
  AUTO_PRICE_FOR_HEDGE: 141,
  WHAT_IF_EXT_FIELDS: 142,
  ORDER_CONTAINER: 145,
  D_PEG_ORDERS: 148,
  PRICE_MGMT_ALGO: 151,
  ENCODE_MSG_ASCII7: 153,
  DURATION: 158,
  POST_TO_ATS: 160,
  AUTO_CANCEL_PARENT: 162,
  ADVANCED_ORDER_REJECT: 166,
  PEGBEST_PEGMID_OFFSETS: 170,
  FA_PROFILE_DESUPPORT: 177,
  PENDING_PRICE_REVISION: 178,
  CUSTOMER_ACCOUNT: 183,
  PROFESSIONAL_CUSTOMER: 184,
  BOND_ACCRUED_INTEREST: 185,
  INCLUDE_OVERNIGHT: 189,
  CME_TAGGING_FIELDS_IN_OPEN_ORDER: 193,
} as const;

/** The highest server version @stoqey/ib 1.6.x accepts (its MAX_SUPPORTED_SERVER_VERSION). */
export const MAX_SERVER_VERSION = 193;
/** The lowest server version the emulator speaks: the first with realized P&L in reqPnL. */
export const MIN_SERVER_VERSION = 135;
