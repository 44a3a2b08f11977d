import { expect, it } from 'vitest';
import { startPrometheus, startAlertmanager, promQuery } from '@traderadmin/test-support';
it('starts a real Prometheus and Alertmanager on free ports and answers a query', async () => {
  const p = await startPrometheus({
    config: 'global:\n  scrape_interval: 1s\nscrape_configs:\n  - job_name: self\n    static_configs: [{targets: ["127.0.0.1:0"]}]\n',
  });
  const am = await startAlertmanager({ config: 'route:\n  receiver: x\nreceivers:\n  - name: x\n' });
  const r = await promQuery(p.url, 'vector(1)');
  expect(r[0].value[1]).toBe('1');
  await p.stop();
  await am.stop();
});
