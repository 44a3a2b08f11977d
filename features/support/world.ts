/**
 * The scenario world: a scratch folder, the processes a scenario started, and what the
 * last command printed. Everything a scenario starts is stopped in the After hook.
 */
import { After, Before, setDefaultTimeout, setWorldConstructor, World } from '@cucumber/cucumber';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Chain, type ChainOptions } from './chain.js';

setDefaultTimeout(60_000);

export interface CommandResult {
  code: number;
  stdout: string;
  stderr: string;
}

export class TraderWorld extends World {
  dir = '';
  configFile = '';
  last?: CommandResult;
  /** Cleanups run in reverse order after each scenario. */
  cleanups: Array<() => Promise<void> | void> = [];
  /** What the Given steps asked of the chain, before it starts. */
  chainOptions: ChainOptions = {};
  chain?: Chain;
  /** Scratch values steps hand to each other. */
  notes: Record<string, unknown> = {};

  /** The running chain, started with the options the Given steps set. */
  async ensureChain(): Promise<Chain> {
    if (!this.chain) {
      this.chain = await Chain.start(this.scratch('chain'), this.chainOptions);
      const chain = this.chain;
      this.cleanups.push(() => chain.stop());
    }
    return this.chain;
  }

  scratch(name: string): string {
    return path.join(this.dir, name);
  }
}

setWorldConstructor(TraderWorld);

Before(function (this: TraderWorld) {
  this.dir = mkdtempSync(path.join(tmpdir(), 'feature-'));
  this.configFile = this.scratch('config.toml');
});

After(async function (this: TraderWorld, { result }) {
  if (result?.status === 'FAILED' && this.chain) {
    // What the bridge did and what the peers answered: the first thing to read when a chain scenario fails.
    const rejected = this.chain.slack.requests
      .filter((r) => r.status >= 400)
      .map((r) => `slack ${r.status}: ${this.chain!.slack.lastProblems().join('; ')}`);
    this.attach(['--- bridge log (last 40 lines)', ...this.chain.bridgeLog.slice(-40), ...rejected].join('\n'));
  }
  for (const cleanup of this.cleanups.reverse()) await cleanup();
  rmSync(this.dir, { recursive: true, force: true });
});
