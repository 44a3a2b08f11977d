/**
 * [alerts_config.notifications]: one module per channel. The order of this table is the
 * channels' display order, and CHANNELS is derived from it: a new channel is one file here
 * and one line below.
 */
import { table, type Infer } from '../../schema.js';
import { discord } from './discord.js';
import { email } from './email.js';
import { pagerduty } from './pagerduty.js';
import { slack } from './slack.js';
import { sms } from './sms.js';
import { telegram } from './telegram.js';
import { webhook } from './webhook.js';

export const notifications = table('Notification channels.', { email, slack, sms, webhook, telegram, discord, pagerduty });

export type Notifications = Infer<typeof notifications>;
export type ChannelName = keyof Notifications;
/** Every channel, in display order: the one list the bridge, rules-gen, the CLI and the console derive theirs from. */
export const CHANNELS: readonly ChannelName[] = Object.freeze(Object.keys(notifications.shape) as ChannelName[]);
