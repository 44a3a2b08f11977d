/** The Telegram command bot of a config, when Telegram and its commands are on. */
import type { Config } from '@traderadmin/config';
import type { Logger } from '@traderadmin/kit';
import type { SilenceClient } from '../silences.js';
import type { StackReader } from '../stack.js';
import { startTelegramBot, type RunningTelegramBot } from '../telegram/bot.js';
import type { SilenceKeys } from '../telegram/keys.js';
import type { Clock } from '../types.js';
import type { LiveConfig } from './live.js';

export interface TelegramDeps {
  live: LiveConfig;
  env: NodeJS.ProcessEnv;
  fetch: typeof fetch;
  logger: Logger;
  clock: Clock;
  stack: StackReader;
  silences: SilenceClient;
  keys: SilenceKeys;
}

export function startBotFor(config: Config, d: TelegramDeps): RunningTelegramBot | undefined {
  const t = config.alerts_config.notifications.telegram;
  if (!t.enabled || !t.commands) return undefined;
  let token: string;
  try {
    token = t.bot_token?.reveal(d.env) ?? '';
    if (!token) throw new Error('bot_token is not set');
  } catch (error) {
    d.logger.warn('telegram commands are off: no bot token', { error });
    return undefined;
  }
  return startTelegramBot({
    config: t,
    token,
    fetch: d.fetch,
    logger: d.logger,
    stack: d.stack,
    silences: d.silences,
    keys: d.keys,
    now: () => d.clock.now(),
    timeZone: () => d.live.config.trading.timezone,
    marketOpen: () => d.live.config.trading.market_open,
  });
}
