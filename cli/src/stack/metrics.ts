/**
 * The supervisor's own /metrics, in the Prometheus text format: whether each part runs, how often
 * it was restarted, and whether it is crash looping (the generated PartCrashLooping rule reads it).
 * Served by `up` itself, so it stays up while any part dies.
 */
import { createServer, type Server } from 'node:http';
import { hardenServer, ownHosts, refusal, refuse } from '@traderadmin/config';
import type { PartState } from './supervisor.js';

export const PART_METRICS = {
  up: 'traderadmin_part_up',
  restarts: 'traderadmin_part_restarts_total',
  crashLooping: 'traderadmin_part_crash_looping',
} as const;

const escape = (v: string) => v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');

/** The exposition text of the parts' state. */
export function renderPartMetrics(parts: PartState[]): string {
  const family = (name: string, type: string, help: string, value: (p: PartState) => number) => [
    `# HELP ${name} ${help}`,
    `# TYPE ${name} ${type}`,
    ...parts.map((p) => `${name}{part="${escape(p.name)}"} ${value(p)}`),
  ];
  return [
    ...family(PART_METRICS.up, 'gauge', "1 while the part's process runs, 0 while it waits for a restart.", (p) => Number(p.up)),
    ...family(PART_METRICS.restarts, 'counter', 'Restarts of the part after it exited on its own.', (p) => p.restarts),
    ...family(PART_METRICS.crashLooping, 'gauge', '1 while the part keeps dying (supervisor.crash_loop_restarts).', (p) =>
      Number(p.crashLooping),
    ),
    '',
  ].join('\n');
}

/** Serves GET /metrics and /healthz on host:port; resolves once listening. */
export function servePartMetrics(host: string, port: number, state: () => PartState[]): Promise<Server> {
  // The stack's shared guard: no rebinding site reads it (own Host only), no slow client pins it.
  const hosts = ownHosts({ listenHost: host });
  const server = createServer((req, res) => {
    const refused = refusal(req, hosts);
    if (refused) return refuse(res, refused);
    if (req.method === 'GET' && req.url === '/metrics') {
      res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4; charset=utf-8' }).end(renderPartMetrics(state()));
    } else if (req.method === 'GET' && req.url === '/healthz') {
      res.writeHead(200, { 'content-type': 'text/plain' }).end('ok\n');
    } else {
      res.writeHead(404).end();
    }
  });
  hardenServer(server);
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve(server));
  });
}
