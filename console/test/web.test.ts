import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { bundleClient } from '../src/server.js';

const ROOT = path.resolve(__dirname, '../..');

describe('the browser code', () => {
  // web/ is not in the root tsconfig (it needs DOM types, the rest of the project must not see them).
  it('type-checks with DOM types', () => {
    const tsc = spawnSync(
      process.execPath,
      [path.join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', 'console/web/tsconfig.json', '--noEmit'],
      {
        cwd: ROOT,
        encoding: 'utf8',
        timeout: 60_000,
      },
    );
    expect(tsc.stdout + tsc.stderr).toBe('');
    expect(tsc.status).toBe(0);
  });

  it('bundles into one small ES module with no Node imports', async () => {
    const code = await bundleClient();
    // Three views and uPlot (about 50 kB of it): still one small script, no framework.
    expect(code.length).toBeLessThan(120_000);
    expect(code).not.toMatch(/from ?["'](node:|fs|path)/);
  });
});
