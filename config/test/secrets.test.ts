import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { ConfigError, formatProblem, loadConfig, Secret } from '../src/index.js';
import { check } from './helpers.js';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const TOKEN = 'xoxb-super-secret-value-4242';

describe('a secret never shows its value', () => {
  it('in String(), JSON and util.inspect', () => {
    const s = new Secret(TOKEN);
    expect(String(s)).toBe('<secret>');
    expect(`${s}`).toBe('<secret>');
    expect(JSON.stringify({ s })).toBe('{"s":"<secret>"}');
    expect(inspect({ s })).not.toContain(TOKEN);
    expect(s.reveal()).toBe(TOKEN);
  });

  it('describes an env reference by name, never by value', () => {
    const s = new Secret('env:MY_TOKEN');
    expect(s.describe()).toBe('env:MY_TOKEN');
    expect(s.reveal({ MY_TOKEN: TOKEN })).toBe(TOKEN);
    expect(() => s.reveal({})).toThrowError('environment variable MY_TOKEN is not set');
  });

  it('reads a file: secret and names only the path when it is missing', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'sec-'));
    writeFileSync(path.join(dir, 'token'), `${TOKEN}\n`);
    expect(new Secret(`file:${path.join(dir, 'token')}`).reveal()).toBe(TOKEN);
    expect(() => new Secret(`file:${path.join(dir, 'nope')}`).reveal()).toThrowError(/^secret file .*nope cannot be read$/);
  });

  it('in a loaded config printed, serialised or inspected', () => {
    const { config } = check(`[alerts_config.notifications.slack]\nenabled = true\nwebhook_url = "${TOKEN}"\n`);
    expect(config).toBeDefined();
    const dumps = [JSON.stringify(config), inspect(config, { depth: 10 }), String(config?.alerts_config.notifications.slack.webhook_url)];
    for (const dump of dumps) expect(dump).not.toContain(TOKEN);
  });

  it('in any problem of an invalid config, whatever is wrong with it', () => {
    const texts = [
      `[alerts_config.notifications.email]\nenabled = true\nrecipients = []\nsmtp_user = "u"\nsmtp_password = "${TOKEN}"\n`,
      `[alerts_config.notifications.sms]\nenabled = true\nauth_token = 4242424242\naccount_sid = ["${TOKEN}"]\n`,
      `[alerts_config.notifications.slack]\nenabled = "yes"\nwebhook_url = "${TOKEN}"\nwebhook = "${TOKEN}"\n`,
      `[exporter]\nevents_token = "${TOKEN}"\nlisten = "nope"\n`,
    ];
    for (const text of texts) {
      const { problems } = check(text, { SECRET: TOKEN });
      expect(problems.length).toBeGreaterThan(0);
      for (const p of problems) {
        expect(formatProblem(p)).not.toContain(TOKEN);
        expect(formatProblem(p)).not.toContain('4242424242');
      }
    }
  });

  it('in the ConfigError message of loadConfig', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'sec-'));
    const file = path.join(dir, 'config.toml');
    writeFileSync(
      file,
      `[alerts_config.notifications.slack]\nenabled = true\nwebhook_url = "env:SLACK_URL_FOR_TEST"\n[broker]\nport = -1\n`,
    );
    let thrown: unknown;
    try {
      loadConfig(file, { env: { OTHER: TOKEN } });
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(ConfigError);
    expect((thrown as Error).message).toContain('SLACK_URL_FOR_TEST');
    expect((thrown as Error).message).not.toContain(TOKEN);
  });
});
