/** bench/latency.ts part 2: when each breach's message arrived at each sink, ours and stock, from what the peers recorded. */
import type { Stops } from '../kit/scratch.js';
import { ALERT, type Breach } from './breaches.js';
import type { OurChain } from './ours.js';
import type { StockChain } from './stock.js';

/** When the first message for a breach in that status reached the sink at or after `after`; undefined while none has. */
export type Finder = (b: Breach, status: 'firing' | 'resolved', after: number) => number | undefined;

export interface SinkFinders {
  name: string;
  ours: Finder;
  stock: Finder;
}

/** Our messages name the account masked; the stock ones carry the raw label. */
const masked = (a: string) => `•••${a.slice(-4)}`;

/** The webhook first (the resolved messages are timed there), then Slack and email. Starts polling the SMTP peer. */
export function arrivalFinders(ours: OurChain, stock: StockChain, stops: Stops): SinkFinders[] {
  const { smtp, webhook, slack } = ours;
  // The SMTP peer keeps no arrival time: polled every 5 ms.
  const mailTimes: number[] = [];
  const poll = setInterval(() => {
    while (mailTimes.length < smtp.mails.length) mailTimes.push(Date.now());
  }, 5);
  stops.push(async () => clearInterval(poll));

  const oursHook: Finder = (b, status, after) =>
    webhook.requests.find((r) => {
      if (r.path !== '/hook' || r.status !== 200 || r.at < after) return false;
      const body = JSON.parse(r.body) as { alerts: Array<{ alertname: string; account?: string; status: string }> };
      return body.alerts.some((a) => a.alertname === ALERT[b.kind] && a.account === masked(b.account) && a.status === status);
    })?.at;
  const stockHook: Finder = (b, status, after) =>
    webhook.requests.find((r) => {
      if (r.path !== '/stock' || r.at < after) return false;
      const body = JSON.parse(r.body) as { alerts: Array<{ labels: Record<string, string>; status: string }> };
      return body.alerts.some((a) => a.labels.alertname === ALERT[b.kind] && a.labels.account === b.account && a.status === status);
    })?.at;
  const oursSlack: Finder = (b, _s, after) =>
    slack.requests.find((r) => r.status === 200 && r.at >= after && r.body.includes(ALERT[b.kind]) && r.body.includes(masked(b.account)))
      ?.at;
  const stockSlack: Finder = (b, _s, after) =>
    stock.slack.requests.find((r) => r.at >= after && r.body.includes(ALERT[b.kind]) && r.body.includes(b.account))?.at;
  const mail =
    (to: string, account: (b: Breach) => string): Finder =>
    (b, _s, after) => {
      const k = smtp.mails.findIndex((m, j) => {
        const text = `${m.parsed.subject}\n${m.parsed.text}\n${m.parsed.html || ''}`;
        return (
          (mailTimes[j] ?? Infinity) >= after && m.envelopeTo.includes(to) && text.includes(ALERT[b.kind]) && text.includes(account(b))
        );
      });
      return k < 0 ? undefined : mailTimes[k];
    };
  return [
    { name: 'webhook', ours: oursHook, stock: stockHook },
    { name: 'Slack', ours: oursSlack, stock: stockSlack },
    {
      name: 'SMTP (email)',
      ours: mail('trader@example.com', (b) => masked(b.account)),
      stock: mail('stock@example.com', (b) => b.account),
    },
  ];
}
