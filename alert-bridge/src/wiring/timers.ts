/** The bridge's periodic checks: each runs every `ms` (0 = never, tests call it), errors logged. */
import type { Logger } from '@traderadmin/kit';

export function every(ms: number, task: () => Promise<unknown>, logger: Logger, failed: string): NodeJS.Timeout | undefined {
  return ms > 0 ? setInterval(() => void task().catch((error) => logger.error(failed, { error })), ms) : undefined;
}
