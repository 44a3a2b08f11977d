/**
 * The config schema's CHANNELS is the one list of notification channels. Everything else a
 * channel needs is keyed by it, and this test walks that list, so a channel added to the
 * schema fails here until it has: its table in the schema, a notifier, how its recipient is
 * shown, its title and list-row names on the page, its section in alert-bridge/README.md, and
 * a loopback peer speaking its provider's API (CONTRIBUTING.md "A new notification channel").
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { CHANNELS, checkConfigText, configSchema, type ChannelName, type FieldDescription } from '@traderadmin/config';
import { describe, expect, it } from 'vitest';
import { buildNotifiers } from '../../alert-bridge/src/notifiers/index.js';
import { displayRecipient } from '../../alert-bridge/src/testAlert.js';
import { CHANNEL_TITLES, ITEM_NAMES } from '../../console/src/shared/form.js';
import { PEER_STARTERS } from '../src/chain.js';
import { peerChannels } from '../src/peers/toml.js';

const REPO = path.resolve(import.meta.dirname, '../..');

/** The page's titles, typed by channel: tsc fails when one is missing. */
const TITLES: Readonly<Record<ChannelName, string>> = CHANNEL_TITLES;

const notifications = configSchema.describe().fields!.alerts_config.fields!.notifications.fields!;

/** The bridge's notifiers from config.example.toml with every channel enabled and every env: secret set. */
function everyNotifier() {
  const example = readFileSync(path.join(REPO, 'config/config.example.toml'), 'utf8');
  const text = example.replace(/(\[alerts_config\.notifications\.\w+\]\n(?:#.*\n)*)enabled = false/g, '$1enabled = true');
  const env = Object.fromEntries([...text.matchAll(/"env:(\w+)"/g)].map((m) => [m[1], `value-of-${m[1]}`]));
  const { config, problems } = checkConfigText(text, 'config.example.toml', { env });
  expect(problems.filter((p) => p.severity === 'error')).toEqual([]);
  for (const c of CHANNELS) expect(config!.alerts_config.notifications[c].enabled, c).toBe(true);
  const notifiers = buildNotifiers({
    config: config!,
    links: { consoleUrl: 'http://127.0.0.1:9096' },
    fetch,
    clock: { now: () => 0 },
    env,
  });
  return { notifiers, secrets: Object.values(env) };
}

describe('every channel of the config schema', () => {
  it('has its table under [alerts_config.notifications], and the schema no other', () => {
    expect(Object.keys(notifications).sort()).toEqual([...CHANNELS].sort());
  });

  it('has a notifier (alert-bridge/src/notifiers/<channel>.ts) that the bridge builds', () => {
    const built = everyNotifier().notifiers;
    for (const c of CHANNELS) {
      expect(existsSync(path.join(REPO, `alert-bridge/src/notifiers/${c}.ts`)), c).toBe(true);
      expect(built.get(c)?.channel, c).toBe(c);
    }
  });

  it('shows its recipients without their secrets', () => {
    const { notifiers, secrets } = everyNotifier();
    for (const c of CHANNELS) {
      const recipients = notifiers.get(c)!.recipients();
      expect(recipients.length, c).toBeGreaterThan(0);
      for (const r of recipients) {
        const shown = displayRecipient(c, r);
        expect(shown, c).toMatch(/\S/);
        for (const secret of secrets) expect(shown, c).not.toContain(secret);
      }
    }
    expect(displayRecipient('webhook', 'https://hooks.example.com/services/T0/secret-path?token=t0k3n')).not.toMatch(/secret-path|t0k3n/);
  });

  it('has a title on the page and a name for each row of its lists', () => {
    for (const c of CHANNELS) {
      expect(TITLES[c], c).toMatch(/^[A-Z]/);
      const lists = Object.entries(notifications[c].fields as Record<string, FieldDescription>).filter(([, f]) => f.kind === 'list');
      for (const [key] of lists) expect(ITEM_NAMES[key], `${c}.${key}`).toMatch(/^[a-z]/i);
    }
  });

  it('has its section in alert-bridge/README.md "Messages"', () => {
    const readme = readFileSync(path.join(REPO, 'alert-bridge/README.md'), 'utf8');
    const messages = readme.slice(readme.indexOf('\n## Messages'), readme.indexOf('\n## ', readme.indexOf('\n## Messages') + 1));
    for (const c of CHANNELS) expect(messages, c).toContain(`\n- **${TITLES[c]}**: `);
  });

  it('has a loopback peer of its provider in test-support/src/peers, and its table in peers/toml.ts', () => {
    // PEER_STARTERS and peerChannels' tables are typed by channel: tsc fails when one is missing.
    for (const c of CHANNELS) expect(typeof PEER_STARTERS[c], c).toBe('function');
    const tables = peerChannels(
      Object.fromEntries(
        CHANNELS.map((c) => [
          c,
          { port: 1, url: 'http://127.0.0.1:1', webhookUrl: 'u', token: 't', accountSid: 'a', authToken: 'b', routingKey: 'r' },
        ]),
      ),
    );
    expect(Object.keys(tables.tables)).toEqual([...CHANNELS]);
  });
});
