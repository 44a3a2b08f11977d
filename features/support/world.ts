/**
 * The scenario world: a scratch folder, the processes a scenario started, and what the
 * last command printed. Everything a scenario starts is stopped in the After hook.
 */
import { After, Before, setDefaultTimeout, setWorldConstructor, World } from '@cucumber/cucumber';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

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

  scratch(name: string): string {
    return path.join(this.dir, name);
  }
}

setWorldConstructor(TraderWorld);

Before(function (this: TraderWorld) {
  this.dir = mkdtempSync(path.join(tmpdir(), 'feature-'));
  this.configFile = this.scratch('config.toml');
});

After(async function (this: TraderWorld) {
  for (const cleanup of this.cleanups.reverse()) await cleanup();
  rmSync(this.dir, { recursive: true, force: true });
});
