/** Gateway connection (contract: trader_broker_*). */
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';

export const BROKER_CONNECTED = 'trader_broker_connected';
export const BROKER_UPSTREAM_CONNECTED = 'trader_broker_upstream_connected';
export const BROKER_RECONNECTS_TOTAL = 'trader_broker_reconnects_total';
export const BROKER_RTT_SECONDS = 'trader_broker_rtt_seconds';

export interface BrokerMetrics {
  setConnected(up: boolean): void;
  setUpstream(up: boolean): void;
  reconnected(): void;
  rtt(seconds: number): void;
}

export function registerBrokerMetrics(registry: Registry, gateway: string): BrokerMetrics {
  const labels = { gateway };
  const connected = new Gauge({
    name: BROKER_CONNECTED,
    help: '1 when the API socket is up, logged in (nextValidId seen) and answering the probe.',
    labelNames: ['gateway'],
    registers: [registry],
  });
  const upstream = new Gauge({
    name: BROKER_UPSTREAM_CONNECTED,
    help: "0 between IB codes 1100 (gateway lost IB's servers) and 1101/1102 (restored).",
    labelNames: ['gateway'],
    registers: [registry],
  });
  const reconnects = new Counter({
    name: BROKER_RECONNECTS_TOTAL,
    help: 'Reconnects to the gateway after a lost or hung session.',
    labelNames: ['gateway'],
    registers: [registry],
  });
  const rtt = new Histogram({
    name: BROKER_RTT_SECONDS,
    help: "Round trip of the exporter's own probe request (reqCurrentTime).",
    labelNames: ['gateway'],
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  connected.set(labels, 0);
  upstream.set(labels, 1);
  reconnects.inc(labels, 0);
  return {
    setConnected: (up) => connected.set(labels, up ? 1 : 0),
    setUpstream: (up) => upstream.set(labels, up ? 1 : 0),
    reconnected: () => reconnects.inc(labels),
    rtt: (s) => rtt.observe(labels, s),
  };
}
