/**
 * Checks across sections of config.toml (each section's own checks live in its module). Each
 * runs when the sections it `needs` parsed.
 */
import { isLoopbackHost, parseListen } from './formats.js';
import type { TableCheck } from './schema.js';
import type { Sections } from './configSchema.js';

/** Host (lower case, no brackets) and port (scheme default when absent) of an http(s) URL; undefined for env:/file: or bad URLs. */
function urlHostPort(value: string): { host: string; port: number } | undefined {
  if (value.startsWith('env:') || value.startsWith('file:')) return undefined;
  try {
    const url = new URL(value);
    const port = url.port ? Number(url.port) : url.protocol === 'https:' ? 443 : 80;
    return { host: url.hostname.replace(/^\[|\]$/g, '').toLowerCase(), port };
  } catch {
    return undefined;
  }
}

/** A listen host and a URL host reach the same listener: equal, both loopback, or a wildcard listen reached over loopback. */
function sameHost(listenHost: string, urlHost: string): boolean {
  const l = listenHost.toLowerCase();
  if (l === urlHost) return true;
  if (isLoopbackHost(urlHost) && (isLoopbackHost(l) || l === '0.0.0.0' || l === '::')) return true;
  return false;
}

export const crossChecks: TableCheck<Sections>[] = [
  {
    needs: ['alerts_config', 'alertmanager'],
    run: (c, report) => {
      const cooldownSeconds = c.alerts_config.cooldown_minutes * 60;
      const gi = c.alertmanager.group_interval_seconds;
      if (Number.isInteger(c.alerts_config.cooldown_minutes) && cooldownSeconds % gi !== 0) {
        const effective = Math.ceil(cooldownSeconds / gi) * gi;
        report(
          'alerts_config.cooldown_minutes',
          `a ${c.alerts_config.cooldown_minutes}-minute cooldown is not a multiple of alertmanager.group_interval_seconds (${gi} s): Alertmanager re-sends only on group_interval ticks, so the real cooldown would be ${effective / 60} minutes`,
          `make group_interval_seconds a divisor of ${cooldownSeconds} (for example 60)`,
        );
      }
    },
  },
  {
    needs: ['alerts_config', 'alert_bridge'],
    run: (c, report) => {
      // Alertmanager's reminder after the cooldown carries the same idempotency key as the first
      // notification; a dedup window that long would swallow it.
      const cooldownSeconds = c.alerts_config.cooldown_minutes * 60;
      if (c.alert_bridge.dedup_window_seconds >= cooldownSeconds) {
        report(
          'alert_bridge.dedup_window_seconds',
          `${c.alert_bridge.dedup_window_seconds} s is not shorter than the ${c.alerts_config.cooldown_minutes}-minute cooldown: the bridge would drop Alertmanager's reminders as duplicates`,
          `set it below ${cooldownSeconds} (for example ${Math.max(1, Math.floor(cooldownSeconds / 2))})`,
        );
      }
    },
  },
  {
    needs: ['alerts_config', 'exporter', 'alert_bridge', 'prometheus', 'alertmanager', 'alerts_page', 'emulator'],
    run: (c, report) => {
      // A webhook aimed at one of the stack's own listeners would feed every alert back into
      // the stack (at best a 4xx dead letter, at worst a notification loop): refuse it.
      const own: Array<[string, string]> = [
        ['exporter.listen', c.exporter.listen],
        ['alert_bridge.listen', c.alert_bridge.listen],
        ['prometheus.listen', c.prometheus.listen],
        ['alertmanager.listen', c.alertmanager.listen],
        ['alerts_page.listen', c.alerts_page.listen],
        ['emulator.control_listen', c.emulator.control_listen],
      ];
      c.alerts_config.notifications.webhook.urls.forEach((url, i) => {
        const target = urlHostPort(url);
        if (!target) return;
        const hit = own.find(([, listen]) => {
          const l = parseListen(listen);
          return l !== undefined && l.port === target.port && sameHost(l.host, target.host);
        });
        if (hit) {
          report(
            `alerts_config.notifications.webhook.urls[${i}]`,
            `${target.host}:${target.port} is ${hit[0]}, the stack's own address: it would loop alerts back into the stack`,
            'point the webhook at a receiver outside TraderAdmin',
          );
        }
      });
    },
  },
  {
    needs: ['broker'],
    run: (c, report) => {
      if (c.broker.reconnect_min_seconds > c.broker.reconnect_max_seconds) {
        report(
          'broker.reconnect_min_seconds',
          `${c.broker.reconnect_min_seconds} s is longer than reconnect_max_seconds (${c.broker.reconnect_max_seconds} s)`,
        );
      }
      if (c.broker.probe_timeout_seconds < c.broker.probe_interval_seconds) {
        report(
          'broker.probe_timeout_seconds',
          'is shorter than probe_interval_seconds: a slow answer would be taken for a hung gateway',
          undefined,
          'warning',
        );
      }
    },
  },
];
