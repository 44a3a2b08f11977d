/**
 * Exchange holidays with a real Alertmanager running the generated alertmanager.yml: on a day
 * listed in trading.market_holidays, MarketDataStale is not notified although it is inside
 * market hours; another alert is. The same config without the holiday notifies both, so the
 * test can tell the difference.
 */
import { createServer, type Server } from 'node:http';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, requireBinaries, startAlertmanager, waitFor, type ManagedProcess } from '@traderadmin/test-support';
import { parse } from 'yaml';
import { generate, writeGenerated } from '../src/index.js';
import { EXAMPLE, loaded, tempDir, withKeys } from './helpers.js';

requireBinaries('prometheus-alertmanager');

const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
const received: Array<{ am: string; alertname: string }> = [];
let sink: Server;
const managers: Record<string, ManagedProcess> = {};

async function manager(name: string, holidays: string[], sinkPort: number): Promise<ManagedProcess> {
  const port = await freePort();
  const l = loaded(
    withKeys(
      {
        'alerts_config.notifications.webhook.enabled': 'true',
        'alertmanager.listen': `"127.0.0.1:${port}"`,
        'alertmanager.group_wait_seconds': '0',
        'alertmanager.group_interval_seconds': '1',
        // Market hours all day, every day: only the holiday list can keep MarketDataStale quiet.
        'trading.timezone': '"UTC"',
        'trading.market_open': '"00:00"',
        'trading.market_close': '"23:59"',
        'trading.market_days': '["mon", "tue", "wed", "thu", "fri", "sat", "sun"]',
        'trading.market_holidays': JSON.stringify(holidays),
        'alert_bridge.listen': `"127.0.0.1:${sinkPort}"`,
      },
      EXAMPLE.replace(/^market_holidays = \[[^\]]*\]\n/m, ''),
    ),
  );
  const root = tempDir(`holidays-${name}-`);
  const files = generate(l);
  writeGenerated(path.join(root, 'out'), files);
  return startAlertmanager({
    config: files.get('alertmanager.yml')!.content,
    dir: path.join(root, 'out'),
    port,
    storagePath: path.join(root, 'data'),
  });
}

beforeAll(async () => {
  sink = createServer((req, res) => {
    let body = '';
    req.on('data', (d) => (body += d));
    req.on('end', () => {
      const am = new URL(String(JSON.parse(body).externalURL)).port;
      for (const a of JSON.parse(body).alerts as Array<{ labels: { alertname: string } }>)
        received.push({ am, alertname: a.labels.alertname });
      res.end('{}');
    });
  });
  await new Promise<void>((r) => sink.listen(0, '127.0.0.1', r));
  const sinkPort = (sink.address() as { port: number }).port;
  // Yesterday, today and tomorrow (UTC): the test cannot straddle a midnight out of the holiday.
  [managers.holiday, managers.workday] = await Promise.all([
    manager('holiday', [day(-1), day(0), day(1)], sinkPort),
    manager('workday', ['2020-01-01'], sinkPort),
  ]);
});
afterAll(async () => {
  await Promise.all(Object.values(managers).map((m) => m.stop()));
  sink?.close();
});

async function fire(am: ManagedProcess): Promise<void> {
  const labels = (alertname: string) => ({ alertname, severity: 'warning', account: 'DU1234567', source: 'scanner' });
  const res = await fetch(`${am.url}/api/v2/alerts`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify([{ labels: labels('MarketDataStale') }, { labels: labels('ApiErrorsExcessive') }]),
  });
  expect(res.status).toBe(200);
}

describe('trading.market_holidays in the generated Alertmanager routes', () => {
  it('defaults to the NYSE closures of 2026 and 2027, one whole day each in the trading time zone', () => {
    const l = loaded(EXAMPLE);
    expect(l.config.trading.market_holidays).toContain('2026-11-26'); // Thanksgiving
    expect(l.config.trading.market_holidays).toContain('2027-03-26'); // Good Friday
    const am = parse(generate(l).get('alertmanager.yml')!.content) as {
      time_intervals: Array<{ name: string; time_intervals: unknown[] }>;
    };
    const holidays = am.time_intervals.find((t) => t.name === 'exchange-holidays')!;
    expect(holidays.time_intervals).toHaveLength(20);
    expect(holidays.time_intervals).toContainEqual({
      years: ['2026'],
      months: ['november'],
      days_of_month: ['26'],
      location: 'America/New_York',
    });
    expect(() => loaded(withKeys({ 'trading.market_holidays': '["2026-02-30"]' }))).toThrow(
      /trading\.market_holidays\[0\]: "2026-02-30" is not a date YYYY-MM-DD/,
    );
  });

  it('keeps MarketDataStale quiet on a listed holiday inside market hours, and notifies it on other days', async () => {
    await Promise.all([fire(managers.holiday), fire(managers.workday)]);
    const port = (m: ManagedProcess) => new URL(m.url).port;
    const got = (m: ManagedProcess, name: string) => received.some((r) => r.am === port(m) && r.alertname === name);
    await waitFor(
      'both alerts from the workday Alertmanager',
      () => got(managers.workday, 'MarketDataStale') && got(managers.workday, 'ApiErrorsExcessive'),
      {
        timeoutMs: 15_000,
      },
    );
    await waitFor('ApiErrorsExcessive from the holiday Alertmanager', () => got(managers.holiday, 'ApiErrorsExcessive'), {
      timeoutMs: 15_000,
    });
    // Both arrive in the same notification when not muted: a further group_interval settles it.
    await new Promise((r) => setTimeout(r, 2000));
    expect(got(managers.holiday, 'MarketDataStale')).toBe(false);
  });
});
