/** bench/latency.ts part 2, the table: breach-to-arrival times per sink, ours beside stock, and their ratios. */
import type { LoadedConfig } from '@traderadmin/config';
import { percentile as pct } from '../kit/stats.js';
import type { SinkFinders } from './arrivals.js';
import { ALERT, GAP_MS, PER_KIND, type Breach, type Kind } from './breaches.js';

const sec = (v: number) => (Math.abs(v) < 1000 ? `${v.toFixed(0)} ms` : `${(v / 1000).toFixed(2)} s`);

const row = (name: string, ours: number[], stock: number[]) =>
  `| ${name} | ${ours.length} | ${sec(pct(ours, 50))} | ${sec(pct(ours, 99))} | ${sec(Math.max(...ours))} | ${sec(pct(stock, 50))} | ${sec(pct(stock, 99))} | ${sec(Math.max(...stock))} | ${(pct(ours, 50) / pct(stock, 50)).toFixed(2)} | ${(pct(ours, 99) / pct(stock, 99)).toFixed(2)} |`;

/** Every breach has arrived at every sink (and every drawdown's resolved message at the webhooks) before this is called. */
export function chainReport(config: LoadedConfig['config'], breaches: readonly Breach[], sinks: readonly SinkFinders[]): string[] {
  const timings = `scrape ${config.prometheus.scrape_interval_seconds} s, evaluation ${config.prometheus.evaluation_interval_seconds} s, group_wait ${config.alertmanager.group_wait_seconds} s, group_interval ${config.alertmanager.group_interval_seconds} s`;
  const firing = (find: SinkFinders['ours']) => breaches.map((b) => find(b, 'firing', b.at)! - b.at);
  const rows: string[] = [];
  const verdict: string[] = [];
  for (const { name, ours: a, stock: b } of sinks) {
    const ours = firing(a);
    const stock = firing(b);
    rows.push(row(`${name}, firing`, ours, stock));
    verdict.push(`${name} p50 ${sec(pct(ours, 50))}, p99 ${sec(pct(ours, 99))}, ours/stock ${(pct(ours, 50) / pct(stock, 50)).toFixed(2)}`);
  }
  const webhook = sinks[0];
  const drawdowns = breaches.filter((b) => b.kind === 'drawdown');
  const resolved = (find: SinkFinders['ours']) => drawdowns.map((b) => find(b, 'resolved', b.recovered!)! - b.recovered!);
  rows.push(row('webhook, resolved', resolved(webhook.ours), resolved(webhook.stock)));
  const byKind = (Object.keys(ALERT) as Kind[]).map((k) => {
    const xs = breaches.filter((b) => b.kind === k).map((b) => webhook.ours(b, 'firing', b.at)! - b.at);
    return `${ALERT[k]} ${sec(pct(xs, 50))} (max ${sec(Math.max(...xs))})`;
  });
  return [
    '#### Breach to notification',
    '',
    `${breaches.length} breaches, one per account, ${GAP_MS / 1000} s apart (${PER_KIND} each: one order round trip of 1,500 ms against the 1,000 ms limit; a realized loss of 600 against −500; equity 10 % under start of day against 5 %), then the ${drawdowns.length} drawdown accounts recover. Defaults: ${timings}. Ours: exporter → Prometheus → Alertmanager (generated files) → the bridge (durable outbox) → sink. Stock: the same exporter → a second Prometheus (same prometheus.yml and rules file, hence the same scrape and evaluation phase) → a second Alertmanager at the same timings with its own webhook, Slack and email receivers → the same kind of sink. Time from the breach to arrival (SMTP: polled every 5 ms).`,
    '',
    '| sink | n | ours p50 | ours p99 | ours max | stock p50 | stock p99 | stock max | ours / stock p50 | ours / stock p99 |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...rows,
    '',
    `Webhook p50 by alert (ours): ${byKind.join('; ')}. With ${breaches.length} breaches, p99 is the largest value.`,
    '',
    `Summary: ${verdict.join('; ')}.`,
  ];
}
