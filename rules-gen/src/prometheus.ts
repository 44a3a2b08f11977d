/** prometheus.yml: what to scrape, the rules, where alerts go, and remote_write targets. */
import type { Secret } from '@traderadmin/config';
import { EXPORTER_SCOPES, JOBS, POSITIONS_JOB, duration, type Model } from './model.js';
import { header, toYaml } from './yaml.js';

/** A secret revealed into a 0600 file beside the config that names it. */
export interface SecretFile {
  path: string;
  secret: Secret;
}

export function prometheusYaml(model: Model): { text: string; secrets: SecretFile[] } {
  const c = model.config;
  const secrets: SecretFile[] = [];
  const job = (name: string, target: string) => ({ job_name: name, static_configs: [{ targets: [target] }] });
  const stackEvery = duration(Math.max(c.prometheus.stack_scrape_interval_seconds, c.prometheus.scrape_interval_seconds));
  const doc: Record<string, unknown> = {
    global: {
      scrape_interval: duration(c.prometheus.scrape_interval_seconds),
      evaluation_interval: duration(c.prometheus.evaluation_interval_seconds),
    },
    rule_files: ['rules.yml'],
    alerting: {
      // Every member of an Alertmanager cluster gets every alert; their gossip sends each notification once.
      alertmanagers: [{ static_configs: [{ targets: [...new Set([model.targets.alertmanager, ...c.prometheus.alertmanagers])] }] }],
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
        job(JOBS.prometheus, model.targets.prometheus),
        job(JOBS.alertmanager, model.targets.alertmanager),
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
