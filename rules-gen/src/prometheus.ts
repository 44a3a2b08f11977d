/** prometheus.yml: what to scrape, the rules, where alerts go, and remote_write targets. */
import { ENGINE_USER, type Secret } from '@traderadmin/config';
import { EXPORTER_SCOPES, JOBS, POSITIONS_JOB, duration, type Model } from './model.js';
import { header, toYaml } from './yaml.js';

/** A secret revealed into a 0600 file beside the config that names it. */
export interface SecretFile {
  path: string;
  secret: Secret;
}

/** The password Prometheus sends to its own and Alertmanager's web config (see config's engineAuth.ts). */
export const ENGINE_PASSWORD_FILE = 'secrets/engine_password';

/** `engine`: the stack's token; when given, Prometheus and Alertmanager ask for it and Prometheus sends it. */
export function prometheusYaml(model: Model, engine?: Secret): { text: string; secrets: SecretFile[] } {
  const c = model.config;
  const secrets: SecretFile[] = [];
  if (engine) secrets.push({ path: ENGINE_PASSWORD_FILE, secret: engine });
  const auth = engine ? { basic_auth: { username: ENGINE_USER, password_file: ENGINE_PASSWORD_FILE } } : {};
  const job = (name: string, target: string) => ({ job_name: name, static_configs: [{ targets: [target] }] });
  const stackEvery = duration(Math.max(c.prometheus.stack_scrape_interval_seconds, c.prometheus.scrape_interval_seconds));
  const local = model.targets.alertmanager;
  const others = [...new Set(c.prometheus.alertmanagers)].filter((t) => t !== local);
  const doc: Record<string, unknown> = {
    global: {
      scrape_interval: duration(c.prometheus.scrape_interval_seconds),
      evaluation_interval: duration(c.prometheus.evaluation_interval_seconds),
    },
    rule_files: ['rules.yml'],
    alerting: {
      // Every member of an Alertmanager cluster gets every alert; their gossip sends each notification once.
      // Another machine's Alertmanager has its own credential (or none): ours goes to ours only.
      alertmanagers: engine
        ? [{ static_configs: [{ targets: [local] }], ...auth }, ...(others.length ? [{ static_configs: [{ targets: others }] }] : [])]
        : [{ static_configs: [{ targets: [local, ...others] }] }],
    },
    scrape_configs: [
      // Alerts read the account-level series: scraped every scrape_interval. The per-position
      // series come on their own, slower job, so a fund-size book does not slow the alerts.
      { ...job(JOBS.exporter, model.targets.exporter), params: { scope: [EXPORTER_SCOPES.account] } },
      {
        ...job(POSITIONS_JOB, model.targets.exporter),
        // Never faster than the account-level series.
        scrape_interval: duration(Math.max(c.prometheus.position_scrape_interval_seconds, c.prometheus.scrape_interval_seconds)),
        params: { scope: [EXPORTER_SCOPES.positions] },
      },
      // The stack's own parts, slower: no trading alert reads them (AlertDeliveryFailing and
      // PartCrashLooping only), and scraping them every second was most of an idle stack's CPU.
      ...[
        job(JOBS.bridge, model.targets.bridge),
        { ...job(JOBS.prometheus, model.targets.prometheus), ...auth },
        { ...job(JOBS.alertmanager, model.targets.alertmanager), ...auth },
        // traderadmin up's own /metrics: restarts and crash loops of every part (PartCrashLooping).
        job(JOBS.supervisor, model.targets.supervisor),
      ].map((j) => ({ ...j, scrape_interval: stackEvery })),
    ],
  };
  if (c.prometheus.remote_write.length > 0) {
    doc.remote_write = c.prometheus.remote_write.map((rw, i) => {
      const entry: Record<string, unknown> = { url: rw.url };
      if (rw.name) entry.name = rw.name;
      if (rw.tenant_id) entry.headers = { 'X-Scope-OrgID': rw.tenant_id };
      if (rw.bearer_token) {
        const file = `secrets/remote_write_${i}_bearer_token`;
        secrets.push({ path: file, secret: rw.bearer_token });
        entry.authorization = { type: 'Bearer', credentials_file: file };
      }
      if (rw.basic_auth_user) {
        const auth: Record<string, string> = { username: rw.basic_auth_user };
        if (rw.basic_auth_password) {
          const file = `secrets/remote_write_${i}_password`;
          secrets.push({ path: file, secret: rw.basic_auth_password });
          auth.password_file = file;
        }
        entry.basic_auth = auth;
      }
      return entry;
    });
  }
  return { text: header(model.sourceName, model.sha256, 'Prometheus configuration for TraderAdmin Monitoring.') + toYaml(doc), secrets };
}
