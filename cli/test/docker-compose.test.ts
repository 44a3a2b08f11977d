import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { ENGINE_USER } from '@traderadmin/config';
import { ENGINE_PASSWORD_FILE, WEB_CONFIG_FILE } from '@traderadmin/rules-gen';
import { buildProgram } from '../src/main.js';
import { ROOT } from './helpers.js';

interface Service {
  image?: string;
  build?: string;
  command?: string[];
  entrypoint?: string[];
  network_mode?: string;
  ports?: unknown[];
  volumes?: string[];
  environment?: string[];
  profiles?: string[];
  user?: string;
  depends_on?: Record<string, { condition: string }>;
}
const compose = parse(readFileSync(path.join(ROOT, 'docker-compose.yml'), 'utf8'), { merge: true }) as {
  services: Record<string, Service>;
  volumes: Record<string, unknown>;
};
const subcommands = new Set(buildProgram({ out: () => {}, err: () => {}, color: false }, () => {}).commands.map((c) => c.name()));

describe('docker-compose.yml', () => {
  it('runs every part of the stack, the emulator only under its profile', () => {
    expect(Object.keys(compose.services).sort()).toEqual(
      ['alertmanager', 'bridge', 'emulator', 'exporter', 'generate', 'grafana', 'grafana-plugin', 'page', 'prometheus'].sort(),
    );
    expect(compose.services.emulator.profiles).toEqual(['emulator']);
    expect(readFileSync(path.join(ROOT, '.env'), 'utf8')).toMatch(/^COMPOSE_PROFILES=emulator$/m);
  });

  it('mounts only paths that exist in the repository, and only declared named volumes', () => {
    for (const [name, service] of Object.entries(compose.services)) {
      for (const volume of service.volumes ?? []) {
        const source = volume.split(':')[0];
        if (source.startsWith('.') || source.startsWith('/')) {
          expect(existsSync(path.resolve(ROOT, source)), `${name} mounts ${source}, which does not exist`).toBe(true);
        } else {
          expect(Object.keys(compose.volumes), `${name} uses the undeclared volume ${source}`).toContain(source);
        }
      }
    }
  });

  it('keeps everything on loopback: host network, nothing published', () => {
    for (const [name, service] of Object.entries(compose.services)) {
      expect(service.network_mode, name).toBe('host');
      expect(service.ports, name).toBeUndefined();
    }
    expect(compose.services.grafana.environment).toContain('GF_SERVER_HTTP_ADDR=127.0.0.1');
    expect(compose.services.prometheus.command).toContain('--web.listen-address=127.0.0.1:9090');
    expect(compose.services.alertmanager.command).toContain('--web.listen-address=127.0.0.1:9093');
  });

  it('pins every image and refuses to start Grafana without an admin password', () => {
    for (const [name, service] of Object.entries(compose.services)) {
      if (service.build) continue;
      expect(service.image, name).toMatch(/^[\w./-]+:v?\d+\.\d+\.\d+$/);
    }
    const password = compose.services.grafana.environment!.find((e) => e.startsWith('GF_SECURITY_ADMIN_PASSWORD='));
    expect(password).toMatch(/\$\{GRAFANA_ADMIN_PASSWORD:\?/);
    expect(compose.services.grafana.environment).toContain('GF_AUTH_ANONYMOUS_ENABLED=false');
    expect(compose.services.grafana.environment).toContain('GF_PLUGINS_ALLOW_LOADING_UNSIGNED_PLUGINS=traderadmin-equitycurve-panel');
  });

  it('runs only real traderadmin subcommands in our image', () => {
    for (const [name, service] of Object.entries(compose.services)) {
      if (!service.build || service.entrypoint) continue;
      expect(subcommands, `${name} runs "${service.command?.[0]}"`).toContain(service.command?.[0]);
    }
  });

  it('reads the files prometheus and alertmanager are pointed at from the generator output folder', () => {
    expect(compose.services.generate.command).toEqual([
      'generate',
      '--config',
      'config/config.toml',
      '--out',
      'data/generated',
      '--dashboards',
      '--create-local-token',
    ]);
    expect(compose.services.prometheus.command).toContain('--config.file=/app/data/generated/prometheus.yml');
    expect(compose.services.alertmanager.command).toContain('--config.file=/app/data/generated/alertmanager.yml');
  });

  it('builds from a Dockerfile whose COPY sources exist', () => {
    const dockerfile = readFileSync(path.join(ROOT, 'Dockerfile'), 'utf8');
    const sources = [...dockerfile.matchAll(/^COPY (?!--from)(.+) \S+$/gm)].flatMap((m) => m[1].split(/\s+/));
    expect(sources.length).toBeGreaterThan(0);
    for (const source of sources) expect(existsSync(path.resolve(ROOT, source)), source).toBe(true);
  });

  it('passes every env: secret the example config names through to our containers', () => {
    const example = readFileSync(path.join(ROOT, 'config/config.example.toml'), 'utf8');
    const names = [...new Set([...example.matchAll(/^#? ?\w+ = "env:([A-Z0-9_]+)"/gm)].map((m) => m[1]))];
    expect(names.length).toBeGreaterThan(5);
    for (const name of names) expect(compose.services.bridge.environment, name).toContain(name);
  });

  it("gives Grafana the dashboards generate writes from the user's config.toml", () => {
    const generate = compose.services.generate.command!;
    expect(generate).toContain('--dashboards');
    const out = generate[generate.indexOf('--out') + 1];
    const appData = compose.services.generate.volumes!.find((v) => v.endsWith(':/app/data'))!.split(':')[0];
    const mount = compose.services.grafana.volumes!.find((v) => v.startsWith(`${appData}:`))!;
    const provisioning = parse(readFileSync(path.join(ROOT, 'grafana/provisioning/dashboards/dashboards.yml'), 'utf8')) as {
      providers: Array<{ options: { path: string } }>;
    };
    const inContainer = path.posix.join(mount.split(':')[1], path.posix.relative('data', out), 'dashboards');
    expect(provisioning.providers[0].options.path).toBe(inContainer);
  });

  it('puts Prometheus and Alertmanager, lifecycle API included, behind the local token, and every reader sends it', () => {
    const generate = compose.services.generate.command!;
    expect(generate).toContain('--create-local-token');
    // The token exists before any part reads it.
    for (const name of ['emulator', 'exporter', 'bridge', 'page'])
      expect(compose.services[name].depends_on?.generate, name).toEqual({ condition: 'service_completed_successfully' });
    const out = path.posix.join('/app', generate[generate.indexOf('--out') + 1]);
    for (const name of ['prometheus', 'alertmanager'])
      expect(compose.services[name].command, name).toContain(`--web.config.file=${path.posix.join(out, WEB_CONFIG_FILE)}`);
    // --web.enable-lifecycle (the page's container reloads through /-/reload) only behind the web config.
    if (compose.services.prometheus.command!.includes('--web.enable-lifecycle'))
      expect(compose.services.prometheus.command!.some((a) => a.startsWith('--web.config.file='))).toBe(true);

    // Grafana reads the password file the generator wrote, through the app-data volume (as root: it is 0600).
    const appData = compose.services.generate.volumes!.find((v) => v.endsWith(':/app/data'))!.split(':')[0];
    const mount = compose.services.grafana.volumes!.find((v) => v.startsWith(`${appData}:`))!.split(':')[1];
    expect(compose.services.grafana.user).toBe('0');
    const file = path.posix.join(mount, path.posix.relative('/app/data', out), ENGINE_PASSWORD_FILE);
    const datasources = parse(readFileSync(path.join(ROOT, 'grafana/provisioning/datasources/datasources.yml'), 'utf8')) as {
      datasources: Array<Record<string, unknown>>;
    };
    for (const d of datasources.datasources)
      expect(d, String(d.name)).toMatchObject({
        basicAuth: true,
        basicAuthUser: ENGINE_USER,
        secureJsonData: { basicAuthPassword: `$__file{${file}}` },
      });
  });
});
