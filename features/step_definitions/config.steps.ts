import { Given, Then, When, type DataTable } from '@cucumber/cucumber';
import assert from 'node:assert/strict';
import { copyFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { ROOT, runTraderadmin } from '../support/cli.js';
import type { TraderWorld } from '../support/world.js';

Given('the example config.toml', function (this: TraderWorld) {
  copyFileSync(path.join(ROOT, 'config/config.example.toml'), this.configFile);
});

Given('a config.toml containing:', function (this: TraderWorld, text: string) {
  writeFileSync(this.configFile, text);
});

When('the trader runs {string}', async function (this: TraderWorld, command: string) {
  const [program, ...args] = command.split(/\s+/);
  assert.equal(program, 'traderadmin');
  this.last = await runTraderadmin(args, this.dir);
});

Then('the command exits with code {int}', function (this: TraderWorld, code: number) {
  assert.equal(this.last?.code, code, `exit code\n--- stdout\n${this.last?.stdout}\n--- stderr\n${this.last?.stderr}`);
});

Then('it prints {string}', function (this: TraderWorld, text: string) {
  assert.match(`${this.last?.stdout}${this.last?.stderr}`, new RegExp(text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')));
});

Then('it reports these problems:', async function (this: TraderWorld, table: DataTable) {
  const json = await runTraderadmin(['validate', '--config', 'config.toml', '--format', 'json'], this.dir);
  const report = JSON.parse(json.stdout) as {
    valid: boolean;
    problems: Array<{ line: number; path: string; message: string; hint?: string }>;
  };
  assert.equal(report.valid, false);
  const rows = table.hashes();
  assert.equal(report.problems.length, rows.length, `problems: ${JSON.stringify(report.problems, null, 2)}`);
  for (const row of rows) {
    const found = report.problems.find((p) => p.path === row.key);
    assert.ok(found, `no problem reported for ${row.key}`);
    assert.equal(found.line, Number(row.line), `line of ${row.key}`);
    assert.match(`${found.message} ${found.hint ?? ''}`, new RegExp(row.message));
    // The human output names the same file, line and key.
    assert.match(this.last?.stderr ?? '', new RegExp(`config\\.toml:${row.line}: error: ${row.key.replace(/[.[\]]/g, '\\$&')}:`));
  }
});
