/**
 * What a reload swaps: the loaded config and the notifiers built from it. Every part of the
 * bridge reads the config through here, so a reload reaches all of them at once.
 */
import type { ChannelName, Config, LoadedConfig } from '@traderadmin/config';
import type { Notifier } from '../types.js';

export type Notifiers = Map<ChannelName, Notifier>;

export class LiveConfig {
  constructor(
    public loaded: LoadedConfig,
    public notifiers: Notifiers,
  ) {}

  get config(): Config {
    return this.loaded.config;
  }
}
