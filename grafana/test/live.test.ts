/**
 * End to end without Grafana: every query of both dashboards runs against a real Prometheus
 * scraping the real exporter on the emulator (with the generated rules loaded), and the ones
 * this stack can answer return data. The equity panel's data updates as samples arrive.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sleep, waitFor } from '@traderadmin/test-support';
import { startLiveStack, type LiveStack } from '../src/liveStack.js';
import { DASHBOARDS_DIR, renderDashboards } from '../src/generate.js';
import { allPanels } from '../src/validate.js';
import { queryPanel } from '../src/panelQuery.js';

let stack: LiveStack;

beforeAll(async () => {
  stack = await startLiveStack({ scrapeIntervalSeconds: 1, tradeIntervalSeconds: 2 });
  // Enough samples for rate() windows, a few fills and their order round trips.
  await waitFor(
    'fills and order latency in Prometheus',
    async () => {
      const [exec, lat] = await Promise.all(
        // The panels compute increase()/rate(): the counters must have grown inside the window,
        // not merely exist (a counter seen once has no increase yet).
        ['sum(increase(trader_executions_total[2m])) > 0', 'sum(increase(trader_order_latency_seconds_count[2m])) > 0'].map(async (q) => {
          const r = (await (await fetch(`${stack.prometheusUrl}/api/v1/query?query=${encodeURIComponent(q)}`)).json()) as {
            data: { result: unknown[] };
          };
          return r.data.result.length > 0;
        }),
      );
      return exec && lat;
    },
    { timeoutMs: 40_000, intervalMs: 500 },
  );
  await sleep(2000);
}, 90_000);

afterAll(async () => {
  await stack?.stop();
});

/**
 * Queries with no data on this stack, and why. Everything else must return at least one series.
 */
const NEEDS_MORE_THAN_THIS_STACK: Record<string, string> = {
  'alerts-and-delivery.json/Oldest queued/A': 'the alert bridge is not part of this stack',
  'alerts-and-delivery.json/Deliveries by channel/A': 'the alert bridge is not part of this stack',
  'alerts-and-delivery.json/Failures by channel/A': 'the alert bridge is not part of this stack',
  'alerts-and-delivery.json/Queue depth/A': 'the alert bridge is not part of this stack',
  'alerts-and-delivery.json/Queue depth/B': 'the alert bridge is not part of this stack',
  'alerts-and-delivery.json/Delivery latency/A': 'the alert bridge is not part of this stack',
  'alerts-and-delivery.json/Delivery latency/B': 'the alert bridge is not part of this stack',
  'alerts-and-delivery.json/Firing alerts/A': 'depends on which alerts fire right now',
  'trading-overview.json/Positions/A': 'the emulator strategy may be flat at any moment',
  'trading-overview.json/Positions/B': 'the emulator strategy may be flat at any moment',
  'trading-overview.json/Positions/C': 'the emulator strategy may be flat at any moment',
  'trading-overview.json/Positions/D': 'the emulator strategy may be flat at any moment',
  'trading-overview.json/Component heartbeats/A': 'no orchestrator or scanner sends heartbeats here',
  'trading-overview.json/Last data sync/A': 'no scanner reports data syncs here',
  'trading-overview.json/Trades today/B': 'no winning round trip may have closed yet',
  'trading-overview.json/Trades today/C': 'no losing round trip may have closed yet',
  'trading-overview.json/Trades today/D': 'the win rate exists only after a closed round trip',
  'trading-overview.json/Average win / loss/A': 'no winning round trip may have closed yet',
  'trading-overview.json/Average win / loss/B': 'no losing round trip may have closed yet',
};

describe('every dashboard query against a live Prometheus', () => {
  const files = [...renderDashboards().keys()];
  const cases = files.flatMap((file) => {
    const d = JSON.parse(readFileSync(path.join(DASHBOARDS_DIR, file), 'utf8')) as Record<string, unknown>;
    return allPanels(d)
      .filter((p) => Array.isArray(p.targets) && (p.targets as unknown[]).length > 0)
      .map((p) => [file, String(p.title)] as const);
  });

  it.each(cases)('%s / %s runs, and returns data where this stack has it', async (file, title) => {
    const to = Date.now();
    const results = await queryPanel(stack.prometheusUrl, {
      dashboard: file,
      panel: title,
      vars: { account: stack.account },
      from: to - 120_000,
      to,
      scrapeIntervalSeconds: 1,
    });
    expect(results.length).toBeGreaterThan(0);
    for (const r of results) {
      const key = `${file}/${title}/${r.refId}`;
      if (key in NEEDS_MORE_THAN_THIS_STACK) continue;
      expect(r.series.length, `${key}: ${r.expr}`).toBeGreaterThan(0);
      expect(
        r.series.some((s) => s.values.some(Number.isFinite)),
        `${key}: ${r.expr}`,
      ).toBe(true);
    }
  });

  it('the annotation queries and the account variable run', async () => {
    const d = JSON.parse(renderDashboards().get('trading-overview.json')!) as { annotations: { list: Array<{ expr?: string }> } };
    const exprs = [...d.annotations.list.map((a) => a.expr).filter((e): e is string => !!e), 'group by (account) (trader_equity)'];
    for (const expr of exprs) {
      const r = (await (await fetch(`${stack.prometheusUrl}/api/v1/query?query=${encodeURIComponent(expr)}`)).json()) as { status: string };
      expect(r.status, expr).toBe('success');
    }
    const accounts = (await (await fetch(`${stack.prometheusUrl}/api/v1/label/account/values?match[]=trader_equity`)).json()) as {
      data: string[];
    };
    expect(accounts.data).toContain(stack.account);
  });
});

describe('the equity panel over live data', () => {
  it('returns the equity series and the fills counters by side', async () => {
    const results = await queryPanel(stack.prometheusUrl, {
      vars: { account: stack.account },
      from: Date.now() - 60_000,
      scrapeIntervalSeconds: 1,
    });
    const equity = results.find((r) => r.refId === 'equity')!;
    expect(equity.series).toHaveLength(1);
    expect(equity.series[0].labels).toMatchObject({ account: stack.account, __name__: 'trader_equity' });
    expect(Math.min(...equity.series[0].values)).toBeGreaterThan(0);
    const fills = results.find((r) => r.refId === 'executions')!;
    expect(fills.series.map((s) => s.labels.side).sort()).toEqual(expect.arrayContaining(['buy']));
  });

  it('updates as new samples arrive', async () => {
    const query = async () => {
      const r = await queryPanel(stack.prometheusUrl, {
        vars: { account: stack.account },
        from: Date.now() - 60_000,
        scrapeIntervalSeconds: 1,
      });
      const times = r.find((x) => x.refId === 'equity')!.series[0].times;
      return times[times.length - 1];
    };
    const first = await query();
    const later = await waitFor(
      'a newer equity sample',
      async () => {
        const t = await query();
        return t > first ? t : undefined;
      },
      { timeoutMs: 10_000, intervalMs: 500 },
    );
    expect(later).toBeGreaterThan(first);
  });
});

describe('the positions table over live data', () => {
  it('gets four tables with the same label sets, so Grafana merge joins them into one row per position', async () => {
    await waitFor(
      'an open position',
      async () => {
        const r = await queryPanel(stack.prometheusUrl, { panel: 'Positions', vars: { account: stack.account }, scrapeIntervalSeconds: 1 });
        return r[0].series.length > 0;
      },
      { timeoutMs: 20_000, intervalMs: 500 },
    );
    // The four queries are answered one after another: at "now", a scrape ingested between them
    // (a position just opened) shows in the later ones only. Two seconds back, every sample is in.
    const results = await queryPanel(stack.prometheusUrl, {
      panel: 'Positions',
      vars: { account: stack.account },
      scrapeIntervalSeconds: 1,
      to: Date.now() - 2000,
    });
    expect(results.map((r) => r.refId)).toEqual(['A', 'B', 'C', 'D']);
    const keys = (r: (typeof results)[number]) => r.series.map((s) => JSON.stringify(s.labels)).sort();
    for (const r of results) {
      for (const s of r.series) expect(Object.keys(s.labels).sort()).toEqual(['currency', 'sec_type', 'symbol']);
      expect(keys(r), r.expr).toEqual(keys(results[0]));
    }
  });
});
