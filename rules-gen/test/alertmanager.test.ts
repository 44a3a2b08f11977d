/* eslint-disable @typescript-eslint/no-explicit-any -- assertions walk parsed YAML documents freely */
/** alertmanager.yml: routes per channel and severity, time intervals, inhibitions, and the cluster flags. */
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { alertmanagerArgs, restartWindowTimes, weekdayRanges } from '../src/index.js';
import { EXAMPLE, gen, loaded, text, withKeys } from './helpers.js';

describe('alertmanager.yml', () => {
  const am = (keys: Record<string, string>, env: NodeJS.ProcessEnv = {}) =>
    parse(text(gen(keys, env), 'alertmanager.yml')) as Record<string, any>;

  it('routes each enabled channel by its min_severity to the bridge, with the cooldown as repeat_interval', () => {
    const doc = am(
      {
        'alerts_config.notifications.email.enabled': 'true',
        'alerts_config.notifications.sms.enabled': 'true',
        'alerts_config.cooldown_minutes': '30',
        'alertmanager.group_interval_seconds': '300',
        'alertmanager.group_wait_seconds': '20',
        'alert_bridge.listen': '"0.0.0.0:9999"',
        'alert_bridge.auth_token': '"env:TOKEN"',
      },
      { SMTP_PASSWORD: 'x', TWILIO_ACCOUNT_SID: 'x', TWILIO_AUTH_TOKEN: 'x', TOKEN: 't' },
    );
    expect(doc.route).toMatchObject({
      receiver: 'blackhole',
      group_by: ['alertname', 'account'],
      group_wait: '20s',
      group_interval: '5m',
      repeat_interval: '30m',
    });
    expect(doc.route.routes[0]).toEqual({
      receiver: 'bridge-watchdog',
      matchers: ['alertname="Watchdog"'],
      group_by: ['alertname'],
      group_wait: '0s',
      group_interval: '1m',
      repeat_interval: '1m',
    });
    expect(doc.route.routes.slice(1).map((r: any) => [r.receiver, r.matchers, r.continue])).toEqual([
      ['bridge-email', ['severity=~"warning|critical"'], true],
      ['bridge-sms', ['severity="critical"'], true],
    ]);
    expect(doc.receivers.map((r: any) => [r.name, r.webhook_configs?.[0]?.url, r.webhook_configs?.[0]?.send_resolved])).toEqual([
      ['blackhole', undefined, undefined],
      ['bridge-email', 'http://127.0.0.1:9999/api/v1/alertmanager/email', true],
      ['bridge-sms', 'http://127.0.0.1:9999/api/v1/alertmanager/sms', true],
      ['bridge-watchdog', 'http://127.0.0.1:9999/api/v1/alertmanager/watchdog', false],
    ]);
  });

  it('MarketDataStale notifies only in market hours; the restart window, split at midnight, mutes BrokerDisconnected', () => {
    const doc = am({
      'alerts_config.notifications.webhook.enabled': 'true',
      'trading.market_days': '["mon", "tue", "thu", "fri", "sun"]',
      'trading.timezone': '"Europe/Berlin"',
      // Holidays have their own test (holidays.test.ts).
      'trading.market_holidays': '[]',
    });
    expect(doc.route.routes[1].routes).toEqual([
      { matchers: ['alertname="MarketDataStale"'], active_time_intervals: ['market-hours'] },
      { matchers: ['alertname="BrokerDisconnected"'], mute_time_intervals: ['ib-restart-window'] },
    ]);
    expect(doc.time_intervals).toEqual([
      {
        name: 'market-hours',
        time_intervals: [
          {
            // Alertmanager's week starts on Sunday: sun..tue is one range.
            weekdays: ['sunday:tuesday', 'thursday:friday'],
            times: [{ start_time: '09:30', end_time: '16:00' }],
            location: 'Europe/Berlin',
          },
        ],
      },
      {
        name: 'ib-restart-window',
        time_intervals: [
          { times: [{ start_time: '23:45', end_time: '24:00' }], location: 'Europe/Berlin' },
          { times: [{ start_time: '00:00', end_time: '00:45' }], location: 'Europe/Berlin' },
        ],
      },
    ]);
  });

  it('splits restart windows correctly', () => {
    const c = (start: string, end: string) =>
      loaded(withKeys({ 'broker.restart_window_start': `"${start}"`, 'broker.restart_window_end': `"${end}"` })).config;
    expect(restartWindowTimes(c('01:00', '02:00'))).toEqual([{ start_time: '01:00', end_time: '02:00' }]);
    expect(restartWindowTimes(c('23:00', '00:00'))).toEqual([{ start_time: '23:00', end_time: '24:00' }]);
    expect(restartWindowTimes(c('03:00', '03:00'))).toEqual([]);
    // Alertmanager refuses a range that wraps past Saturday ("saturday:sunday", "monday:sunday").
    expect(weekdayRanges(['sat', 'sun', 'mon'])).toEqual(['sunday:monday', 'saturday']);
    expect(weekdayRanges(['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'])).toEqual(['sunday:saturday']);
  });

  it('inhibits: BrokerDisconnected mutes MarketDataStale and that account’s P&L alerts; critical mutes warning', () => {
    const doc = am({});
    expect(doc.inhibit_rules).toEqual([
      { source_matchers: ['alertname="BrokerDisconnected"'], target_matchers: ['alertname="MarketDataStale"'] },
      {
        source_matchers: ['alertname="BrokerDisconnected"'],
        target_matchers: ['alertname=~"DailyRealizedPnlBelowLimit|DrawdownTodayExceeded"'],
        equal: ['account'],
      },
      { source_matchers: ['alertname="ExporterDown"'], target_matchers: ['alertname=~"ComponentDown|BrokerDisconnected|MarketDataStale"'] },
      { source_matchers: ['severity="critical"'], target_matchers: ['severity="warning"'], equal: ['alertname', 'account'] },
    ]);
  });

  it('alertmanagerArgs gives the cluster flags Alertmanager only takes on its command line', () => {
    const single = loaded(EXAMPLE).config;
    expect(alertmanagerArgs(single)).toEqual(['--web.listen-address=127.0.0.1:9093', '--cluster.listen-address=']);
    const cluster = loaded(
      withKeys({
        'alertmanager.cluster_listen': '"10.0.0.1:9094"',
        'alertmanager.peers': '["10.0.0.2:9094", "10.0.0.3:9094"]',
        'alertmanager.listen': '"10.0.0.1:9093"',
      }),
    ).config;
    expect(alertmanagerArgs(cluster, { configFile: '/etc/am.yml', storagePath: '/var/am' })).toEqual([
      '--config.file=/etc/am.yml',
      '--storage.path=/var/am',
      '--web.listen-address=10.0.0.1:9093',
      '--cluster.listen-address=10.0.0.1:9094',
      '--cluster.peer=10.0.0.2:9094',
      '--cluster.peer=10.0.0.3:9094',
    ]);
  });
});
