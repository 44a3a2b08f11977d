/**
 * Gateway faults (features/gateway_faults.feature): the gateway goes down, hangs, restarts or
 * loses IB's servers; the steps check the exporter's view in Prometheus and the fills it counted.
 */
import { Given, Then, When } from '@cucumber/cucumber';
import assert from 'node:assert/strict';
import { ACCOUNT } from '../support/chain.js';
import { prom, sleep, until } from '../support/probes.js';
import type { TraderWorld } from '../support/world.js';

/** HH:MM in New York, `hours` from now: the nightly restart window (no BrokerDisconnected page) must not cover the test run. */
function newYorkTime(hours: number): string {
  const t = new Date(Date.now() + hours * 3_600_000);
  return new Intl.DateTimeFormat('en-GB', { timeZone: 'America/New_York', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(t);
}

// ---- The gateway ----

Given('the exporter reconnects to the gateway within {int} seconds', function (this: TraderWorld, seconds: number) {
  this.chainOptions.broker = {
    ...this.chainOptions.broker,
    reconnect_min_seconds: 0.5,
    reconnect_max_seconds: seconds,
    restart_window_start: newYorkTime(10),
    restart_window_end: newYorkTime(11),
  };
});

Given(
  'the account bought {int} {word}, and the exporter counted {int} buy fill(s)',
  async function (this: TraderWorld, quantity: number, symbol: string, fills: number) {
    const chain = await this.ensureChain();
    const price = (await chain.emulator.control.state()).prices[symbol];
    await chain.emulator.control.fill({ account: ACCOUNT, symbol, side: 'BUY', quantity, price });
    await until(`trader_executions_total{side="buy"} = ${fills} in Prometheus`, async () => {
      const [v] = await prom(chain, `trader_executions_total{account="${ACCOUNT}",side="buy"}`);
      return v === fills;
    });
  },
);

When('the gateway goes down', async function (this: TraderWorld) {
  const chain = await this.ensureChain();
  await chain.emulator.control.refuseConnections();
  await chain.emulator.control.dropConnections();
  this.notes.since = this.notes.downAt = chain.now();
});

When('{int} {word} are bought while the gateway is down', async function (this: TraderWorld, quantity: number, symbol: string) {
  const chain = await this.ensureChain();
  const state = await chain.emulator.control.state();
  // Really during the outage: the gateway refuses connections and has no client.
  assert.equal(state.gateway.refusing, true);
  assert.equal(state.gateway.connections, 0, 'a client is still connected');
  await chain.emulator.control.fill({ account: ACCOUNT, symbol, side: 'BUY', quantity, price: state.prices[symbol] });
});

When('the gateway comes back after being down {int} seconds', async function (this: TraderWorld, seconds: number) {
  const chain = await this.ensureChain();
  await chain.at((this.notes.downAt as number) + seconds);
  await chain.emulator.control.acceptConnections();
});

When('the gateway stops answering but keeps the socket open', async function (this: TraderWorld) {
  const chain = await this.ensureChain();
  await chain.emulator.control.hang();
  this.notes.since = chain.now();
});

When('the gateway answers again', async function (this: TraderWorld) {
  const chain = await this.ensureChain();
  await chain.emulator.control.unhang();
});

When('the gateway restarts and is down for {int} seconds', async function (this: TraderWorld, seconds: number) {
  const chain = await this.ensureChain();
  this.notes.since = chain.now();
  await chain.emulator.control.restart({ downMs: seconds * 1000 });
});

Then('Prometheus shows {word} = {int}', async function (this: TraderWorld, metric: string, value: number) {
  const chain = await this.ensureChain();
  await until(`${metric} = ${value} in Prometheus`, async () => (await prom(chain, metric)).includes(value));
});

Then('trader_broker_connected is back to 1', async function (this: TraderWorld) {
  const chain = await this.ensureChain();
  await until('trader_broker_connected = 1 in Prometheus', async () => (await prom(chain, 'trader_broker_connected'))[0] === 1, 40_000);
});

Then(
  'the exporter counted {int} buy fills: the one made during the outage, and none twice',
  async function (this: TraderWorld, fills: number) {
    const chain = await this.ensureChain();
    const series = `trader_executions_total{account="${ACCOUNT}",side="buy"}`;
    await until(`${series} = ${fills}`, async () => (await prom(chain, series))[0] === fills);
    // The reconnect replays the whole day's executions: the ones already counted must not count again.
    await sleep(3000);
    assert.deepEqual(await prom(chain, `max_over_time(${series}[10m])`), [fills], 'a fill was counted twice at some point');
    const snapshot = (await (await fetch(`${chain.exporter.url}/api/v1/metrics`)).json()) as {
      accounts: Record<string, { portfolio: { openPositionsCount: number } }>;
    };
    assert.equal(snapshot.accounts[ACCOUNT].portfolio.openPositionsCount, fills, 'open positions after the reconnect');
  },
);

Then(
  'the exporter still shows {int} open position(s) and {int} buy fill(s), none counted twice',
  async function (this: TraderWorld, positions: number, fills: number) {
    const chain = await this.ensureChain();
    const series = `trader_executions_total{account="${ACCOUNT}",side="buy"}`;
    await until(
      'open positions back in the exporter',
      async () => (await prom(chain, `trader_open_positions{account="${ACCOUNT}"}`))[0] === positions,
    );
    await sleep(2000);
    assert.deepEqual(await prom(chain, series), [fills]);
    assert.deepEqual(await prom(chain, `max_over_time(${series}[10m])`), [fills], 'a fill was counted twice at some point');
  },
);

// ---- IB's own connectivity codes ----

When("the gateway loses its connection to IB's servers", async function (this: TraderWorld) {
  const chain = await this.ensureChain();
  this.notes.since = chain.now();
  await chain.emulator.control.connectivityLost();
});

When(/^the connection to IB's servers is restored with the data (lost|kept)$/, async function (this: TraderWorld, how: string) {
  const chain = await this.ensureChain();
  // @stoqey/ib answers 1100 with a reconnect of its own: restore once that session is up, as IB would later.
  await until('the exporter ready again', async () => (await fetch(`${chain.exporter.url}/readyz`)).ok);
  chain.emulator.control.connectivityRestored(how === 'lost');
});

Then('the exporter counted IB code {int} exactly {int} time(s)', async function (this: TraderWorld, code: number, times: number) {
  const chain = await this.ensureChain();
  const series = `trader_api_errors_total{component="ibkr",code="${code}"}`;
  await until(`${series} = ${times}`, async () => (await prom(chain, series))[0] === times);
});

Then(
  'prices still reach the exporter: {word} set to {float} shows as its market price',
  async function (this: TraderWorld, symbol: string, price: number) {
    const chain = await this.ensureChain();
    await chain.emulator.control.price({ symbol, price });
    // 1101 means the gateway forgot every subscription: only a fresh one brings the new price.
    // The random walk moves it by ~0.1 % a tick from there: within 1 % is this price, not the old one.
    let seen = NaN;
    await until(
      `trader_position_market_price{symbol="${symbol}"} near ${price}`,
      async () => {
        [seen] = await prom(chain, `trader_position_market_price{account="${ACCOUNT}",symbol="${symbol}"}`);
        return Math.abs(seen - price) / price < 0.01;
      },
      20_000,
    ).catch((error: Error) => assert.fail(`${error.message}; the exporter still shows ${seen}`));
  },
);

Then(
  'the socket stayed up all along: trader_broker_connected never dropped and BrokerDisconnected never fired',
  async function (this: TraderWorld) {
    const chain = await this.ensureChain();
    assert.deepEqual(await prom(chain, 'min_over_time(trader_broker_connected[30s])'), [1]);
    assert.deepEqual(await prom(chain, 'count_over_time(ALERTS{alertname="BrokerDisconnected"}[1m])'), []);
    assert.equal(chain.count('email', /BrokerDisconnected/), 0);
  },
);
