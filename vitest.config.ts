import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['*/test/**/*.test.ts'],
    exclude: ['**/node_modules/**', 'grafana/panel/**'],
    // Tests that start real servers share 2 cores; run files one at a time per worker pair.
    maxWorkers: 2,
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
