import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { assertContainsEach } from '@traderadmin/test-support';
import { ROOT, traderadmin } from './helpers.js';

function scratch(text: string) {
  const dir = mkdtempSync(path.join(tmpdir(), 'validate-'));
  writeFileSync(path.join(dir, 'config.toml'), text);
  return dir;
}

describe('traderadmin validate', () => {
  it('exits 0 on the example config and says so', () => {
    const r = traderadmin(['validate', '--config', path.join(ROOT, 'config/config.example.toml')]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/✓ .*config\.example\.toml is valid/);
  });

  it('exits 1 and prints every problem with file, line and key', () => {
    const dir = scratch('[alerts_config]\nenabled = "yes"\n[broker]\nport = 0\nmode = "ibk"\n');
    const r = traderadmin(['validate', '--config', 'config.toml'], { cwd: dir });
    expect(r.code).toBe(1);
    assertContainsEach(r.stderr, [
      'config.toml:2: error: alerts_config.enabled: expected true or false, got a string "yes"',
      'config.toml:4: error: broker.port: 0 is out of range: must be between 1 and 65535',
      'config.toml:5: error: broker.mode: "ibk" is not one of "emulator", "ibkr"',
      'hint: did you mean "ibkr"?',
      '✗ config.toml: 3 problems',
    ]);
    // Validation writes nothing beside the config.
    expect(readdirSync(dir)).toEqual(['config.toml']);
  });

  it('prints machine-readable JSON with --format json', () => {
    const dir = scratch('[alerts_config.thresholds]\nmax_portfolio_drawdown_percentage_today = 0.05\nmax_api_errors_per_hour = -1\n');
    const r = traderadmin(['validate', '--config', 'config.toml', '--format', 'json'], { cwd: dir });
    expect(r.code).toBe(1);
    const report = JSON.parse(r.stdout);
    expect(report.valid).toBe(false);
    expect(report.problems).toEqual([
      expect.objectContaining({
        file: 'config.toml',
        line: 2,
        severity: 'warning',
        path: 'alerts_config.thresholds.max_portfolio_drawdown_percentage_today',
      }),
      expect.objectContaining({
        file: 'config.toml',
        line: 3,
        severity: 'error',
        path: 'alerts_config.thresholds.max_api_errors_per_hour',
      }),
    ]);
  });

  it('treats warnings as valid (exit 0) but prints them', () => {
    const dir = scratch('[alerts_config.thresholds]\nmax_portfolio_drawdown_percentage_today = 0.5\n');
    const r = traderadmin(['validate', '--config', 'config.toml'], { cwd: dir });
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('warning: alerts_config.thresholds.max_portfolio_drawdown_percentage_today: 0.5 means 0.5 %, not 50 %');
    expect(r.stdout).toContain('is valid, 1 warning');
  });

  it('says which file is missing', () => {
    const r = traderadmin(['validate', '--config', '/nonexistent/config.toml']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('/nonexistent/config.toml: error: file not found');
  });

  it('has --help, and rejects an unknown option with exit 2', () => {
    const help = traderadmin(['validate', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('--format <format>');
    const bad = traderadmin(['validate', '--colour']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("unknown option '--colour'");
  });
});
