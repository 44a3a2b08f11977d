/**
 * The [alerts_config.notifications.<channel>] tables that point each channel at its local peer,
 * for test-support/src/chain.ts, which builds every test and bench stack. Secrets
 * are given as references (`env:NAME`), never inline, as a user's config would hold them; the
 * environment that resolves them comes with the table.
 */
import type { ChannelName } from '@traderadmin/config';

export type TomlTable = Record<string, unknown>;

/** What each channel's table reads from its peer (the peers' own types fit these). */
export interface PeerEndpoints {
  email: { port: number };
  slack: { webhookUrl: string };
  sms: { url: string; accountSid: string; authToken: string };
  webhook: { url: string };
  telegram: { url: string; token: string };
  discord: { webhookUrl: string };
  pagerduty: { url: string; routingKey: string };
}

export interface PeerChannel {
  /** The channel's table, enabled. */
  table: TomlTable;
  /** The environment its env: references need. */
  env: Record<string, string>;
}

const CHANNEL_TABLES: { [C in ChannelName]: (peer: PeerEndpoints[C]) => PeerChannel } = {
  email: (p) => ({
    table: {
      recipients: ['trader@example.com'],
      from: 'alerts@traderadmin.test',
      smtp_host: '127.0.0.1',
      smtp_port: p.port,
      smtp_tls: 'none',
    },
    env: {},
  }),
  slack: (p) => ({ table: { webhook_url: 'env:PEER_SLACK_WEBHOOK_URL' }, env: { PEER_SLACK_WEBHOOK_URL: p.webhookUrl } }),
  sms: (p) => ({
    table: {
      account_sid: 'env:PEER_TWILIO_ACCOUNT_SID',
      auth_token: 'env:PEER_TWILIO_AUTH_TOKEN',
      to: ['+15555550100'],
      api_base_url: p.url,
    },
    env: { PEER_TWILIO_ACCOUNT_SID: p.accountSid, PEER_TWILIO_AUTH_TOKEN: p.authToken },
  }),
  webhook: (p) => ({ table: { urls: [`${p.url}/hook`] }, env: {} }),
  telegram: (p) => ({
    table: { bot_token: 'env:PEER_TELEGRAM_BOT_TOKEN', chat_ids: ['123456789'], api_base_url: p.url },
    env: { PEER_TELEGRAM_BOT_TOKEN: p.token },
  }),
  discord: (p) => ({ table: { webhook_url: 'env:PEER_DISCORD_WEBHOOK_URL' }, env: { PEER_DISCORD_WEBHOOK_URL: p.webhookUrl } }),
  pagerduty: (p) => ({
    table: { routing_key: 'env:PEER_PAGERDUTY_ROUTING_KEY', api_base_url: p.url },
    env: { PEER_PAGERDUTY_ROUTING_KEY: p.routingKey },
  }),
};

/** The tables (each enabled) and environment for every channel that has a peer. */
export function peerChannels(peers: { [C in ChannelName]?: PeerEndpoints[C] }): {
  tables: Record<string, TomlTable>;
  env: Record<string, string>;
} {
  const tables: Record<string, TomlTable> = {};
  let env: Record<string, string> = {};
  for (const channel of Object.keys(CHANNEL_TABLES) as ChannelName[]) {
    const peer = peers[channel];
    if (!peer) continue;
    const made = (CHANNEL_TABLES[channel] as (p: unknown) => PeerChannel)(peer);
    tables[channel] = { enabled: true, ...made.table };
    env = { ...env, ...made.env };
  }
  return { tables, env };
}
