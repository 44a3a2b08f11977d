/**
 * `traderadmin service`: the systemd unit for `traderadmin up`, written into a scratch unit
 * folder and checked by systemd's own parser (systemd-analyze verify) where it is installed.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { assertContainsEach, haveBinary } from '@traderadmin/test-support';
import { BIN, ROOT, traderadmin } from './helpers.js';

const dir = mkdtempSync(path.join(tmpdir(), 'service-'));
mkdirSync(path.join(dir, 'config'));
const config = path.join(dir, 'config/config.toml');
writeFileSync(config, readFileSync(path.join(ROOT, 'config/config.example.toml')));
const units = path.join(dir, 'units');
const unit = path.join(units, 'traderadmin.service');
const verify = (file: string) => spawnSync('systemd-analyze', ['verify', file], { encoding: 'utf8' });
const HAVE_SYSTEMD_ANALYZE = haveBinary('systemd-analyze');
if (!HAVE_SYSTEMD_ANALYZE) console.warn('service.test: systemd-analyze is not installed (apt-get install systemd): unit not verified');

describe('traderadmin service', () => {
  it('--dry-run prints the unit and writes nothing', () => {
    const r = traderadmin(['service', 'install', '--config', config, '--unit-dir', units, '--dry-run']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain(`ExecStart="${process.execPath}" "${BIN}" "up" "--config" "${config}"`);
    expect(existsSync(units)).toBe(false);
  });

  it('install writes a unit that restarts on failure, logs to the journal and runs up on this config', () => {
    const r = traderadmin(['service', 'install', '--config', config, '--unit-dir', units]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain(`wrote ${unit}`);
    expect(r.stdout).toContain('systemctl daemon-reload && systemctl enable --now traderadmin');
    const text = readFileSync(unit, 'utf8');
    assertContainsEach(text, [
      'Restart=on-failure',
      'StandardOutput=journal',
      'StandardError=journal',
      `WorkingDirectory=${dir}`,
      'WantedBy=multi-user.target',
      `EnvironmentFile=-${path.join(dir, 'config/traderadmin.env')}`,
    ]);
    const status = traderadmin(['service', 'status', '--config', config, '--unit-dir', units]);
    expect(status.code).toBe(0);
    expect(status.stdout).toContain(`installed: ${unit}`);
  });

  it.runIf(HAVE_SYSTEMD_ANALYZE)('systemd-analyze verify accepts the unit, and refuses a broken one', () => {
    const ok = verify(unit);
    expect(ok.status, ok.stderr).toBe(0);
    const bad = path.join(units, 'broken.service');
    writeFileSync(bad, readFileSync(unit, 'utf8').replace(`"${process.execPath}"`, '"/nonexistent/node"'));
    expect(verify(bad).status).not.toBe(0);
  });

  it('--user writes a user unit; uninstall removes it; status then says it is not installed', () => {
    const user = path.join(dir, 'user-units');
    expect(traderadmin(['service', 'install', '--user', '--config', config, '--unit-dir', user]).code).toBe(0);
    expect(readFileSync(path.join(user, 'traderadmin.service'), 'utf8')).toContain('WantedBy=default.target');
    const r = traderadmin(['service', 'uninstall', '--user', '--config', config, '--unit-dir', user]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('systemctl --user disable --now traderadmin');
    expect(existsSync(path.join(user, 'traderadmin.service'))).toBe(false);
    expect(traderadmin(['service', 'status', '--config', config, '--unit-dir', user]).code).toBe(3);
  });

  it('refuses a config file that does not exist', () => {
    const r = traderadmin(['service', 'install', '--config', path.join(dir, 'nope.toml'), '--unit-dir', units, '--dry-run']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('does not exist');
  });
});
