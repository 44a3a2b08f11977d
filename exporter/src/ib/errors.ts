/**
 * IB API message codes → the `class` label of trader_api_errors_total. The lists follow
 * IB's "Message Codes" page (TWS API documentation) and the codes seen in practice from
 * IB Gateway; anything not listed is "other", or "warning" inside 2100-2999 (IB's
 * informational range, see `isNonFatalError` in @stoqey/ib src/common/errorCode.ts).
 */

/** Values of the `class` label (contract: trader_api_errors_total). */
export const ERROR_CLASSES = ['connectivity', 'order_reject', 'market_data', 'warning', 'other'] as const;
export type ErrorClass = (typeof ERROR_CLASSES)[number];

/** Socket, login and upstream connectivity (1100 lost, 1101/1102 restored, 2110 TWS-server). */
const CONNECTIVITY = new Set([326, 502, 503, 504, 506, 507, 509, 1100, 1101, 1102, 1300, 2110]);

/** Orders refused or cancelled by IB or the exchange. */
const ORDER_REJECT = new Set([
  103, 104, 105, 106, 107, 109, 110, 111, 113, 116, 117, 118, 119, 120, 121, 122, 123, 124, 125, 126, 129, 131, 132, 133, 134, 135, 136,
  137, 140, 141, 144, 147, 148, 151, 152, 153, 154, 155, 156, 157, 158, 159, 160, 161, 163, 164, 165, 166, 167, 168, 199, 200, 201, 202,
  203, 382, 383, 387, 388, 10006, 10147, 10148, 10149, 10311,
]);

/** Market data subscriptions and farms (354 not subscribed, 2103 farm broken, 10167 delayed). */
const MARKET_DATA = new Set([
  101, 102, 300, 301, 309, 310, 312, 313, 316, 317, 322, 354, 365, 366, 420, 2103, 2105, 2157, 10089, 10090, 10091, 10167, 10168, 10186,
  10197,
]);

/** Code 505: a message the client could not decode (a gateway newer than the library). */
export const DECODE_ERROR_CODE = 505;

/** Codes whose series exist from the start (value 0), so the first one is seen by increase(). */
export const PREINITIALISED_CODES: ReadonlyArray<{ code: number; cls: ErrorClass }> = [
  { code: 1100, cls: 'connectivity' },
  { code: 1101, cls: 'connectivity' },
  { code: 1102, cls: 'connectivity' },
  { code: 2110, cls: 'connectivity' },
  { code: 504, cls: 'connectivity' },
  { code: 201, cls: 'order_reject' },
  { code: 202, cls: 'order_reject' },
  { code: 354, cls: 'market_data' },
  { code: 2103, cls: 'market_data' },
  { code: 10167, cls: 'market_data' },
  { code: 2104, cls: 'warning' },
  { code: DECODE_ERROR_CODE, cls: 'other' },
];

/** The class of an IB message code. */
export function classifyIbCode(code: number): ErrorClass {
  if (CONNECTIVITY.has(code)) return 'connectivity';
  if (ORDER_REJECT.has(code)) return 'order_reject';
  if (MARKET_DATA.has(code)) return 'market_data';
  if (code >= 2100 && code <= 2999) return 'warning';
  return 'other';
}

/** Codes that mean the gateway lost (1100) or regained (1101, 1102) its link to IB's servers. */
export const UPSTREAM_LOST = 1100;
export const UPSTREAM_RESTORED = new Set([1101, 1102]);

/**
 * Parses a line IBApiNext logs for a TWS message with request id -1. Those messages never
 * reach `IBApiNext.error`: they go only to `logger.info("TWS", "<msg> - Code: N")`
 * (api-next.ts, the `EventName.info` handler), and only at LogLevel.INFO or above.
 */
export function parseTwsInfoLine(tag: string, args: unknown): { code: number; message: string } | undefined {
  if (tag !== 'TWS') return undefined;
  const text = Array.isArray(args) ? args.map(String).join(' ') : String(args);
  const m = /^([\s\S]*) - Code: (-?\d+)\s*$/.exec(text);
  if (!m) return undefined;
  return { code: Number(m[2]), message: m[1] };
}
