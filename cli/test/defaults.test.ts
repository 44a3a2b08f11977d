/**
 * Commands that need no guessing: the config is found without --config (from the current
 * folder, the project, or TRADERADMIN_CONFIG), and generate / diff / apply default --out
 * to the folder `traderadmin up` runs on (data/generated beside the config folder).
 */
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CONFIG_ENV, defaultConfig, generatedDirFor } from '../src/paths.js';
import { ROOT, traderadmin } from './helpers.js';

function project(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'defaults-'));
  mkdirSync(path.join(dir, 'config'));
  copyFileSync(path.join(ROOT, 'config/config.example.toml'), path.join(dir, 'config/config.toml'));
  return dir;
}
const envWithout = (extra: Record<string, string> = {}) => {
  const env = { ...process.env, ...extra };
  if (!(CONFIG_ENV in extra)) delete env[CONFIG_ENV];
  return env;
};

describe('where the config is looked for', () => {
  it('takes TRADERADMIN_CONFIG first, then config/config.toml here, then the project’s', () => {
    const dir = project();
    const elsewhere = mkdtempSync(path.join(tmpdir(), 'elsewhere-'));
    expect(defaultConfig({ [CONFIG_ENV]: 'mine.toml' }, dir)).toBe(path.join(dir, 'mine.toml'));
    expect(defaultConfig({}, dir)).toBe(path.join(dir, 'config/config.toml'));
    expect(defaultConfig({}, elsewhere)).toBe(path.join(ROOT, 'config/config.toml'));
    expect(generatedDirFor(path.join(dir, 'config/config.toml'))).toBe(path.join(dir, 'data/generated'));
  });

  it('runs from another folder with TRADERADMIN_CONFIG, and a missing file names the full path it looked at', () => {
    const dir = project();
    const elsewhere = mkdtempSync(path.join(tmpdir(), 'elsewhere-'));
    const ok = traderadmin(['validate', '--no-tools'], {
      cwd: elsewhere,
      env: envWithout({ [CONFIG_ENV]: path.join(dir, 'config/config.toml') }),
    });
    expect(ok.stdout).toContain(`✓ ${path.join(dir, 'config/config.toml')} is valid`);
    expect(ok.code).toBe(0);
    const missing = traderadmin(['explain', '--alert', 'Watchdog'], { cwd: elsewhere, env: envWithout({ [CONFIG_ENV]: 'nope.toml' }) });
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain(`${path.join(elsewhere, 'nope.toml')}: error: file not found`);
    expect(missing.stderr).toContain('TRADERADMIN_CONFIG');
  });
});

describe('generate, diff and apply without --out', () => {
  it('use data/generated beside the config folder, as up does', () => {
    const dir = project();
    const generated = traderadmin(['generate'], { cwd: dir, env: envWithout() });
    expect(generated.stderr).toBe('');
    expect(generated.code).toBe(0);
    expect(existsSync(path.join(dir, 'data/generated/rules.yml'))).toBe(true);
    const diff = traderadmin(['diff'], { cwd: dir, env: envWithout() });
    expect(diff.stderr).toBe('');
    expect(diff.code).toBe(0);
    // The files are already these: apply has nothing to reload and says so.
    const apply = traderadmin(['apply'], { cwd: path.join(dir, 'config'), env: envWithout({ [CONFIG_ENV]: 'config.toml' }) });
    expect(apply.stderr).toBe('');
    expect(apply.stdout).toContain('✓ nothing to apply');
    expect(apply.code).toBe(0);
  });
});

describe('generate --dashboards', () => {
  it("writes the Grafana dashboards with the config's drawdown limit, beside the rules", () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'dash-'));
    const file = path.join(dir, 'config.toml');
    const example = readFileSync(path.join(ROOT, 'config/config.example.toml'), 'utf8');
    writeFileSync(
      file,
      example.replace(/^max_portfolio_drawdown_percentage_today = .*$/m, 'max_portfolio_drawdown_percentage_today = 3.5'),
    );
    const out = path.join(dir, 'out');
    const res = traderadmin(['generate', '--config', file, '--out', out, '--dashboards', '--no-local-token']);
    expect(res.stderr).not.toMatch(/error/i);
    expect(res.code).toBe(0);
    const overview = readFileSync(path.join(out, 'dashboards/trading-overview.json'), 'utf8');
    expect(overview).toContain('"drawdownLimitPercent": 3.5');
    expect(existsSync(path.join(out, 'rules.yml'))).toBe(true);
  });
});
