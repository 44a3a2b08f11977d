import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['*/test/**/*.test.ts'],
    exclude: ['**/node_modules/**', 'grafana/panel/**'],
    // Compiles dist/ when stale: tests that spawn bin/traderadmin.mjs run the compiled parts.
    globalSetup: ['test-support/src/compiled.ts'],
    // Tests that start real servers share 2 cores; run files one at a time per worker pair.
    maxWorkers: 2,
    // A worker loads the shared modules (config schema, kit, rules-gen …) once for all its files
    // instead of once per file: 70 s less CPU on 2 cores. No test changes process-wide state
    // (no vi.mock, no process.env writes) and every registry, server and store is per instance.
    isolate: false,
    testTimeout: 30_000,
    // Many tests start real Prometheus, Alertmanager, SMTP and browser processes on a shared
    // 2-core machine: one retry absorbs a scheduling hiccup; a real regression fails both runs,
    // and vitest reports every retry.
    retry: 1,
    hookTimeout: 60_000,
  },
});
