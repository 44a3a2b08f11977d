/**
 * Wires the enabled channels from the config. Channels are a closed union: the switch is
 * exhaustive, so a new channel name fails to compile until it has a notifier.
 */
import { CHANNELS, type ChannelName, type Config } from '@traderadmin/config';
import type { LinkContext } from '../format/view.js';
import type { Clock, Notifier } from '../types.js';
import { emailNotifier } from './email.js';
import { slackNotifier } from './slack.js';
import { smsNotifier } from './sms.js';
import { webhookNotifier } from './webhook.js';
import { telegramNotifier } from './telegram.js';
import { discordNotifier } from './discord.js';
import { pagerdutyNotifier } from './pagerduty.js';
import type { SilenceKeys } from '../telegram/keys.js';

export interface BuildNotifiersOptions {
  config: Config;
  links: LinkContext;
  fetch: typeof fetch;
  clock: Clock;
  /** Per-request timeout of every channel. @default PROVIDER_TIMEOUT_MS (15 s, notifiers/provider.ts) */
  timeoutMs?: number;
  /** Environment that env: secrets are read from at delivery time. @default process.env */
  env?: NodeJS.ProcessEnv;
  /** Labels behind Telegram's silence buttons, shared with the command bot. */
  telegramKeys?: SilenceKeys;
}

/** One notifier for every enabled channel. Construction errors are collected, not thrown one by one. */
export function buildNotifiers(options: BuildNotifiersOptions): Map<ChannelName, Notifier> {
  const n = options.config.alerts_config.notifications;
  const out = new Map<ChannelName, Notifier>();
  const errors: Error[] = [];
  for (const channel of CHANNELS) {
    if (!n[channel].enabled) continue;
    try {
      out.set(channel, build(channel, options));
    } catch (error) {
      errors.push(new Error(`${channel}: ${(error as Error).message}`));
    }
  }
  if (errors.length)
    throw new AggregateError(errors, `cannot set up ${errors.length} channel(s): ${errors.map((e) => e.message).join('; ')}`);
  return out;
}

function build(channel: ChannelName, o: BuildNotifiersOptions): Notifier {
  const n = o.config.alerts_config.notifications;
  const common = { links: o.links, clock: o.clock, fetch: o.fetch, timeoutMs: o.timeoutMs, env: o.env };
  switch (channel) {
    case 'email':
      return emailNotifier({ config: n.email, ...common });
    case 'slack':
      return slackNotifier({ config: n.slack, ...common });
    case 'sms':
      return smsNotifier({ config: n.sms, ...common });
    case 'webhook':
      return webhookNotifier({ config: n.webhook, ...common });
    case 'telegram':
      return telegramNotifier({ config: n.telegram, keys: o.telegramKeys, ...common });
    case 'discord':
      return discordNotifier({ config: n.discord, ...common });
    case 'pagerduty':
      return pagerdutyNotifier({ config: n.pagerduty, ...common });
    default: {
      const never: never = channel;
      throw new Error(`unknown channel ${String(never)}`);
    }
  }
}
