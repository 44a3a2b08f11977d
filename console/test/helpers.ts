/** Shared test helpers: a config folder from the example, and a deployer that records what it was asked. */
import { mkdtempSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Deployer, DeployResult } from '../src/deploy.js';
import { patchToml, type TomlEdit } from '../src/tomlPatch.js';

export const EXAMPLE_TEXT = readFileSync(path.resolve(__dirname, '../../config/config.example.toml'), 'utf8');

/** A config.toml (the example plus `edits`) in a fresh folder; returns its path. */
export function configFolder(edits: TomlEdit[] = []): { dir: string; file: string; historyDir: string } {
  const dir = mkdtempSync(path.join(tmpdir(), 'alerts-page-unit-'));
  mkdirSync(path.join(dir, 'config'));
  const file = path.join(dir, 'config', 'config.toml');
  writeFileSync(file, patchToml(EXAMPLE_TEXT, edits));
  return { dir, file, historyDir: path.join(dir, 'data', 'config-history') };
}

/**
 * A Deployer for the editor's own logic (the real one is exercised in page.e2e.test.ts): it
 * records the file text each deploy saw, and fails the deploys named in `failOn` (1-based).
 */
export class RecordingDeployer implements Deployer {
  readonly seen: string[] = [];
  failOn = new Set<number>();
  async deploy(configFile: string): Promise<DeployResult> {
    this.seen.push(readFileSync(configFile, 'utf8'));
    const n = this.seen.length;
    if (this.failOn.has(n)) {
      return { ok: false, steps: [{ name: 'Prometheus reloaded', ok: false }], error: 'Prometheus rejected the reload: HTTP 500 boom' };
    }
    return { ok: true, steps: [{ name: 'Prometheus reloaded', ok: true }] };
  }
}

export const th = (key: string) => ['alerts_config', 'thresholds', key];
export const email = (key: string) => ['alerts_config', 'notifications', 'email', key];
