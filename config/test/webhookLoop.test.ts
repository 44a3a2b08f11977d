import { describe, expect, it } from 'vitest';
import { check, problemLines } from './helpers.js';

/** A config whose webhook points at `urls`, with the stack's listeners on their defaults unless overridden. */
function withWebhook(urls: string[], extra = ''): string {
  return [
    '[alerts_config.notifications.webhook]',
    'enabled = true',
    `urls = [${urls.map((u) => JSON.stringify(u)).join(', ')}]`,
    extra,
  ].join('\n');
}

describe('a webhook pointing back at the stack itself', () => {
  it.each([
    ['the exporter', 'http://127.0.0.1:9464/api/v1/events', 'exporter.listen'],
    ['the bridge, through localhost', 'http://localhost:9095/api/v1/alertmanager/webhook', 'alert_bridge.listen'],
    ['Prometheus, through ::1', 'http://[::1]:9090/api/v1/write', 'prometheus.listen'],
    ['Alertmanager', 'http://127.0.0.1:9093/api/v2/alerts', 'alertmanager.listen'],
    ['the alerts page', 'http://127.0.0.1:9096/', 'alerts_page.listen'],
    ['the emulator control API', 'http://127.0.0.1:4010/control/fill', 'emulator.control_listen'],
  ])('is refused when it targets %s', (_what, url, listener) => {
    const lines = problemLines(withWebhook(['https://hooks.example.com/a', url]));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^3 error alerts_config\.notifications\.webhook\.urls\[1\]: /);
    expect(lines[0]).toContain(listener);
    expect(lines[0]).toContain('would loop alerts back into the stack');
  });

  it('follows a moved listener, and a wildcard listen reached over loopback', () => {
    const moved = check(withWebhook(['http://127.0.0.2:19464/x'], '[prometheus]\nlisten = "0.0.0.0:19464"'));
    expect(moved.problems.map((p) => p.path)).toEqual(['alerts_config.notifications.webhook.urls[0]']);
    // The old default port is free again once the exporter moved.
    expect(check(withWebhook(['http://127.0.0.1:9464/x'], '[exporter]\nlisten = "127.0.0.1:19464"')).problems).toEqual([]);
  });

  it('takes the scheme default port when the URL has none', () => {
    const { problems } = check(withWebhook(['http://localhost/hook'], '[alert_bridge]\nlisten = "127.0.0.1:80"'));
    expect(problems.map((p) => p.path)).toEqual(['alerts_config.notifications.webhook.urls[0]']);
  });

  it('accepts receivers elsewhere, another port on loopback, and env: URLs', () => {
    const { problems } = check(withWebhook(['https://hooks.example.com/a', 'http://127.0.0.1:9999/hook', 'env:MY_HOOK_URL'], ''), {
      MY_HOOK_URL: 'http://127.0.0.1:9464/',
    });
    expect(problems).toEqual([]);
  });
});
