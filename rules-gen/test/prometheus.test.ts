/* eslint-disable @typescript-eslint/no-explicit-any -- assertions walk parsed YAML documents freely */
/** prometheus.yml: scrape jobs and intervals, remote_write and the bridge token in 0600 files, basic auth with a local token. */
import { spawnSync } from 'node:child_process';
import { statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import bcrypt from 'bcryptjs';
import { parse } from 'yaml';
import { generate, toolAvailable, writeGenerated } from '../src/index.js';
import { VARIANT_ENV, gen, loaded, tempDir, text, variantText, withKeys } from './helpers.js';

describe('prometheus.yml', () => {
  it('prometheus.yml scrapes the four parts and up itself at the configured intervals, wildcard listens as loopback', () => {
    const files = gen(
      {
        'prometheus.scrape_interval_seconds': '15',
        'prometheus.evaluation_interval_seconds': '30',
        'exporter.listen': '"0.0.0.0:9464"',
        'exporter.events_token': '"env:T"',
      },
      { T: 'x' },
    );
    const doc = parse(text(files, 'prometheus.yml')) as Record<string, any>;
    expect(doc.global).toEqual({ scrape_interval: '15s', evaluation_interval: '30s' });
    expect(doc.rule_files).toEqual(['rules.yml']);
    expect(doc.alerting.alertmanagers[0].static_configs[0].targets).toEqual(['127.0.0.1:9093']);
    expect(doc.scrape_configs.map((s: any) => [s.job_name, s.static_configs[0].targets[0]])).toEqual([
      ['trader-exporter', '127.0.0.1:9464'],
      ['trader-exporter-positions', '127.0.0.1:9464'],
      ['alert-bridge', '127.0.0.1:9095'],
      ['prometheus', '127.0.0.1:9090'],
      ['alertmanager', '127.0.0.1:9093'],
      ['traderadmin-up', '127.0.0.1:9097'],
    ]);
    // Alerts read the account-level scope; the positions come on their own job, never faster.
    expect(doc.scrape_configs[0]).toMatchObject({ params: { scope: ['account'] } });
    expect(doc.scrape_configs[0].scrape_interval).toBeUndefined();
    expect(doc.scrape_configs[1]).toMatchObject({ params: { scope: ['positions'] }, scrape_interval: '15s' });
    // The stack's own parts: never faster than the trading series either.
    expect(doc.scrape_configs.slice(2).map((s: any) => s.scrape_interval)).toEqual(['15s', '15s', '15s', '15s']);
  });

  it('scrapes the per-position series on their own, slower job by default', () => {
    const doc = parse(text(gen({}), 'prometheus.yml')) as Record<string, any>;
    expect(doc.global).toEqual({ scrape_interval: '1s', evaluation_interval: '1s' });
    expect(doc.scrape_configs[1]).toMatchObject({
      job_name: 'trader-exporter-positions',
      scrape_interval: '10s',
      params: { scope: ['positions'] },
    });
    // The bridge, Prometheus, Alertmanager and up: every 10 s, the trading series every second.
    expect(doc.scrape_configs.slice(2).map((s: any) => [s.job_name, s.scrape_interval])).toEqual([
      ['alert-bridge', '10s'],
      ['prometheus', '10s'],
      ['alertmanager', '10s'],
      ['traderadmin-up', '10s'],
    ]);
  });

  it("scrapes the stack's own parts at prometheus.stack_scrape_interval_seconds", () => {
    const doc = parse(text(gen({ 'prometheus.stack_scrape_interval_seconds': '30' }), 'prometheus.yml')) as Record<string, any>;
    expect(doc.scrape_configs.slice(2).map((s: any) => s.scrape_interval)).toEqual(['30s', '30s', '30s', '30s']);
    expect(doc.scrape_configs[0].scrape_interval).toBeUndefined();
  });

  it('remote_write and bridge secrets go to 0600 files, never into the YAML', () => {
    const l = loaded(
      variantText('odd numbers, three components, remote_write and a cluster').replace(
        '# auth_token = "env:ALERT_BRIDGE_TOKEN"',
        'auth_token = "env:ALERT_BRIDGE_TOKEN"',
      ),
      VARIANT_ENV,
    );
    const files = generate(l, { env: VARIANT_ENV });
    const prom = parse(text(files, 'prometheus.yml')) as Record<string, any>;
    expect(prom.remote_write).toEqual([
      {
        url: 'https://mimir.example.com/api/v1/push',
        name: 'mimir',
        headers: { 'X-Scope-OrgID': 'trading' },
        authorization: { type: 'Bearer', credentials_file: 'secrets/remote_write_0_bearer_token' },
      },
      {
        url: 'https://thanos-receive.example.com/api/v1/receive',
        basic_auth: { username: 'trader', password_file: 'secrets/remote_write_1_password' },
      },
    ]);
    const am = parse(text(files, 'alertmanager.yml')) as Record<string, any>;
    for (const r of am.receivers.filter((x: any) => x.webhook_configs)) {
      expect(r.webhook_configs[0].http_config).toEqual({
        authorization: { type: 'Bearer', credentials_file: 'secrets/alert_bridge_token' },
      });
    }
    expect(files.get('secrets/remote_write_0_bearer_token')).toEqual({ content: 'mimir-s3cr3t\n', mode: 0o600, secret: true });
    expect(files.get('secrets/alert_bridge_token')!.content).toBe('bridge-token-s3cr3t\n');
    for (const [p, f] of files) {
      if (f.secret) continue;
      for (const s of Object.values(VARIANT_ENV)) expect(f.content, p).not.toContain(s);
    }
    const dir = tempDir();
    writeGenerated(dir, files);
    expect(statSync(path.join(dir, 'secrets/remote_write_1_password')).mode & 0o777).toBe(0o600);
    expect(statSync(path.join(dir, 'secrets')).mode & 0o777).toBe(0o700);
  });

  it('with a token, Prometheus and Alertmanager ask for basic auth and Prometheus sends it to its own only', () => {
    const text = withKeys({ 'prometheus.alertmanagers': '["10.0.0.2:9093", "127.0.0.1:9093"]' });
    const files = generate(loaded(text), { localToken: 'local-token-0123456789' });
    const prom = parse(files.get('prometheus.yml')!.content) as Record<string, any>;
    const auth = { username: 'traderadmin', password_file: 'secrets/engine_password' };
    // Another machine's Alertmanager has a credential of its own (or none): it never gets ours.
    expect(prom.alerting.alertmanagers).toEqual([
      { static_configs: [{ targets: ['127.0.0.1:9093'] }], basic_auth: auth },
      { static_configs: [{ targets: ['10.0.0.2:9093'] }] },
    ]);
    const jobs = Object.fromEntries((prom.scrape_configs as any[]).map((j) => [j.job_name, j.basic_auth]));
    expect(jobs).toMatchObject({ prometheus: auth, alertmanager: auth, 'trader-exporter': undefined, 'alert-bridge': undefined });
    expect(files.get('secrets/engine_password')).toEqual({ content: 'local-token-0123456789\n', mode: 0o600, secret: true });
    const web = files.get('secrets/web.yml')!;
    expect(web).toMatchObject({ mode: 0o600, secret: true });
    const hash = /^ {2}traderadmin: (\$2b\$10\$\S{53})$/m.exec(web.content)![1];
    expect(bcrypt.compareSync('local-token-0123456789', hash)).toBe(true);
    expect(bcrypt.compareSync('local-token-012345678', hash)).toBe(false);
    // Same token, same bytes: diff and apply see no change.
    expect(generate(loaded(text), { localToken: 'local-token-0123456789' }).get('secrets/web.yml')!.content).toBe(web.content);
    if (toolAvailable('promtool')) {
      const dir = tempDir();
      writeGenerated(dir, files);
      const check = spawnSync('promtool', ['check', 'web-config', path.join(dir, 'secrets/web.yml')], { encoding: 'utf8' });
      expect(check.status, check.stderr).toBe(0);
    }

    // alert_bridge.auth_token takes the local token's place; without either, nothing asks for auth.
    const own = generate(
      loaded(
        variantText('odd numbers, three components, remote_write and a cluster').replace(
          '# auth_token = "env:ALERT_BRIDGE_TOKEN"',
          'auth_token = "env:ALERT_BRIDGE_TOKEN"',
        ),
        VARIANT_ENV,
      ),
      { env: VARIANT_ENV, localToken: 'local-token-0123456789' },
    );
    expect(own.get('secrets/engine_password')!.content).toBe('bridge-token-s3cr3t\n');
    const none = generate(loaded(text));
    expect([...none.keys()].filter((k) => k.startsWith('secrets/'))).toEqual([]);
    expect(none.get('prometheus.yml')!.content).not.toContain('basic_auth');
  });
});
