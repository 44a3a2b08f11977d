import { readFileSync, rmSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { ConfigEditor } from '../src/editor.js';
import { ConfigHistory, sha256 } from '../src/history.js';
import type { Draft } from '../src/shared/api.js';
import type { TomlEdit } from '../src/tomlPatch.js';
import { RecordingDeployer, configFolder } from './helpers.js';

const folders: string[] = [];
afterEach(() => {
  for (const dir of folders.splice(0)) rmSync(dir, { recursive: true, force: true });
});

const wh = (key: string) => ['alerts_config', 'notifications', 'webhook', key];
const PW = 'alerts_config.notifications.email.smtp_password';

function setup(edits: TomlEdit[] = []) {
  const f = configFolder(edits);
  folders.push(f.dir);
  const deployer = new RecordingDeployer();
  const history = new ConfigHistory({ dir: f.historyDir, keep: 50, clock: () => new Date('2026-11-21T12:00:00.000Z') });
  const editor = new ConfigEditor({ configFile: f.file, history, deployer, env: { SMTP_PASSWORD: 'pw', WEBHOOK_TOKEN: 't', NEW_PW: 'n' } });
  const text = () => readFileSync(f.file, 'utf8');
  const apply = (change: (n: Record<string, Draft>) => void, reconfirm?: Record<string, unknown>) => {
    const draft = structuredClone(editor.state('t').draft);
    change(draft.notifications as Record<string, Draft>);
    return editor.apply({ draft, reconfirm }, sha256(text()), 'alice');
  };
  return { editor, deployer, text, apply };
}

describe('changing where a channel sends', () => {
  it('is refused with a 422 naming the channel and the key when the secret reference is not given again; nothing is written', async () => {
    const s = setup();
    const before = s.text();
    const answer = await s.apply((n) => (n.email.smtp_host = 'mail.evil.example'));
    expect(answer.status).toBe(422);
    const body = answer.body as { error: string; reconfirm: Array<{ channel: string; keys: string[] }> };
    expect(body.error).toContain('email');
    expect(body.error).toContain(PW);
    expect(body.reconfirm).toEqual([{ channel: 'email', keys: [PW] }]);
    expect(s.text()).toBe(before);
    expect(s.deployer.seen).toHaveLength(0);
    expect((await s.apply((n) => (n.email.smtp_port = 2525))).status).toBe(422);
  });

  it('is refused when the reference given again is not the one stored', async () => {
    const s = setup();
    const answer = await s.apply((n) => (n.email.smtp_host = 'mail.evil.example'), { [PW]: 'env:OTHER' });
    expect(answer.status).toBe(422);
  });

  it('goes through with the stored reference given again, or a fresh one in the draft', async () => {
    const s = setup();
    expect((await s.apply((n) => (n.email.smtp_host = 'mail.mine.example'), { [PW]: 'env:SMTP_PASSWORD' })).status).toBe(200);
    expect(s.text()).toContain('mail.mine.example');
    const fresh = await s.apply((n) => {
      n.email.smtp_host = 'mail2.mine.example';
      n.email.smtp_password = 'env:NEW_PW';
    });
    expect(fresh.status).toBe(200);
  });

  it('leaves other changes, and channels without a secret, alone', async () => {
    const s = setup();
    expect((await s.apply((n) => (n.email.min_severity = 'critical'))).status).toBe(200);
    expect((await s.apply((n) => (n.webhook.urls = ['https://other.example/hook']))).status).toBe(200);
  });

  it('covers every secret of the channel (the webhook bearer token) and a restore from the history', async () => {
    const s = setup([{ path: wh('bearer_token'), value: 'env:WEBHOOK_TOKEN' }]);
    const refused = await s.apply((n) => (n.webhook.urls = ['https://evil.example/hook']));
    expect(refused.status).toBe(422);
    expect((refused.body as { error: string }).error).toContain('alerts_config.notifications.webhook.bearer_token');
    const ok = await s.apply((n) => (n.webhook.urls = ['https://mine.example/hook']), {
      'alerts_config.notifications.webhook.bearer_token': 'env:WEBHOOK_TOKEN',
    });
    expect(ok.status).toBe(200);
    const old = s.editor.history.list().find((h) => h.action === 'initial')!;
    expect((await s.editor.apply({ restore: old.id }, sha256(s.text()), 'alice')).status).toBe(422);
  });
});
