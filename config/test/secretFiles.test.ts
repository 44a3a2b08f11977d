import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { checkConfigText } from '../src/index.js';

const root = mkdtempSync(path.join(tmpdir(), 'secret-files-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
const confDir = path.join(root, 'conf');
mkdirSync(path.join(confDir, 'secrets'), { recursive: true });
writeFileSync(path.join(confDir, 'secrets', 'smtp'), 'pw-from-file\n');
writeFileSync(path.join(root, 'outside'), 'x\n');
const file = path.join(confDir, 'config.toml');

const emailWith = (ref: string, head = '') =>
  `${head}[alerts_config.notifications.email]\nenabled = true\nrecipients = ["a@example.com"]\nsmtp_password = "${ref}"\n`;
const errorsOf = (text: string, readSecretFiles?: boolean) =>
  checkConfigText(text, file, { env: {}, readSecretFiles }).problems.filter((p) => p.severity === 'error');

describe('file: secret references', () => {
  it('resolve a relative path against the config file folder, not the working directory', () => {
    const { config, problems } = checkConfigText(emailWith('file:secrets/smtp'), file, { env: {} });
    expect(problems.filter((p) => p.severity === 'error')).toEqual([]);
    expect(config!.alerts_config.notifications.email.smtp_password!.reveal()).toBe('pw-from-file');
    expect(process.cwd()).not.toBe(confDir);
  });

  it('outside the secrets folder are a validation error (default: the config file folder; [secrets] file_dir narrows it)', () => {
    const outside = errorsOf(emailWith(`file:${path.join(root, 'outside')}`));
    expect(outside.map((p) => p.message).join()).toMatch(/outside the secrets folder/);
    expect(errorsOf(emailWith('file:../outside'))).toHaveLength(1);
    const narrowed = '[secrets]\nfile_dir = "secrets"\n';
    expect(errorsOf(emailWith('file:secrets/smtp', narrowed))).toEqual([]);
    writeFileSync(path.join(confDir, 'beside'), 'y\n');
    expect(
      errorsOf(emailWith('file:beside', narrowed))
        .map((p) => p.message)
        .join(),
    ).toMatch(/outside the secrets folder/);
  });

  it('give the same message for a missing and an unreadable file, and are not read at all when asked not to', () => {
    writeFileSync(path.join(confDir, 'secrets', 'locked'), 'z\n');
    chmodSync(path.join(confDir, 'secrets', 'locked'), 0o000);
    const missing = errorsOf(emailWith('file:secrets/nope')).map((p) => p.message);
    const locked = errorsOf(emailWith('file:secrets/locked')).map((p) => p.message);
    const folder = errorsOf(emailWith('file:secrets/')).map((p) => p.message);
    expect(missing).toEqual(['secret file secrets/nope cannot be read']);
    if (process.getuid?.() !== 0) expect(locked).toEqual(['secret file secrets/locked cannot be read']);
    expect(folder.join()).not.toMatch(/ENOENT|EACCES|EISDIR/);
    expect(errorsOf(emailWith('file:secrets/nope'), false)).toEqual([]);
  });
});
