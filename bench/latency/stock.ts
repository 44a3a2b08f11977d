/**
 * bench/latency.ts part 2, the stock chain beside ours: a second Prometheus with our prometheus.yml and the same
 * rules file by the same path (so it scrapes and evaluates at the same phase: Prometheus derives both offsets from
 * the target labels, the host name and the rule file's path), sending to a second Alertmanager at our timings
 * whose own webhook, Slack and email receivers send to the same kinds of loopback sinks.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { parse, stringify } from 'yaml';
import { duration } from '@traderadmin/rules-gen';
import { freePort, startAlertmanager, startHttpPeer, startPrometheus, type ManagedProcess } from '@traderadmin/test-support';
import type { Stops } from '../kit/scratch.js';
import type { OurChain } from './ours.js';

export interface StockChain {
  /** Alertmanager's Slack payload is attachments only, which the Slack peer (text or blocks) refuses: a plain 200 peer. */
  slack: Awaited<ReturnType<typeof startHttpPeer>>;
  prometheus: ManagedProcess;
}

/** Alertmanager's own receivers, at our route's timings; its webhook posts to /stock on our webhook peer. */
function stockAlertmanagerYaml(ours: OurChain, slackUrl: string): string {
  const c = ours.config;
  return stringify({
    route: {
      receiver: 'stock',
      group_by: ['alertname', 'account'],
      group_wait: duration(c.alertmanager.group_wait_seconds),
      group_interval: duration(c.alertmanager.group_interval_seconds),
      repeat_interval: duration(c.alerts_config.cooldown_minutes * 60),
      routes: [{ receiver: 'blackhole', matchers: ['alertname="Watchdog"'] }],
    },
    receivers: [
      { name: 'blackhole' },
      {
        name: 'stock',
        webhook_configs: [{ url: `${ours.webhook.url}/stock`, send_resolved: true }],
        slack_configs: [{ api_url: `${slackUrl}/slack`, channel: '#alerts', send_resolved: true }],
        email_configs: [
          {
            to: 'stock@example.com',
            from: 'alerts@traderadmin.test',
            smarthost: `127.0.0.1:${ours.smtp.port}`,
            require_tls: false,
            send_resolved: true,
          },
        ],
      },
    ],
  });
}

export async function startStockChain(ours: OurChain, dir: string, stops: Stops): Promise<StockChain> {
  const slack = await startHttpPeer(() => ({ status: 200, body: 'ok' }));
  stops.push(() => slack.stop());
  const ports = { prometheus: await freePort(), alertmanager: await freePort() };
  const stockDir = path.join(dir, 'stock');
  mkdirSync(stockDir, { recursive: true });
  const alertmanager = await startAlertmanager({
    config: stockAlertmanagerYaml(ours, slack.url),
    dir: stockDir,
    port: ports.alertmanager,
    storagePath: path.join(dir, 'stock-am-data'),
  });
  stops.push(() => alertmanager.stop());

  // Same scrape configs and the same rules file by the same path: the same phases.
  const yaml = parse(ours.promYaml) as {
    rule_files: string[];
    alerting: { alertmanagers: Array<{ static_configs: Array<{ targets: string[] }> }> };
  };
  yaml.rule_files = [path.join(ours.generated, 'rules.yml')];
  yaml.alerting.alertmanagers[0].static_configs[0].targets = [`127.0.0.1:${ports.alertmanager}`];
  const prometheus = await startPrometheus({
    config: stringify(yaml),
    dir: stockDir,
    port: ports.prometheus,
    storagePath: path.join(dir, 'stock-prom-data'),
  });
  stops.push(() => prometheus.stop());
  return { slack, prometheus };
}
