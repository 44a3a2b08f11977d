// force timezone to UTC to allow tests to work regardless of local timezone
// generally used by snapshots, but can affect specific tests
process.env.TZ = 'UTC';

const base = require('./.config/jest.config');

module.exports = {
  // Jest configuration provided by Grafana scaffolding
  ...base,
  transform: {
    ...base.transform,
    // d3-color 3.1.1+ ships dist/*.mjs, which the scaffold's transform pattern does not match.
    '^.+\\.mjs$': base.transform['^.+\\.(t|j)sx?$'],
  },
  // The dist-load test (src/dist.test.ts) needs a build; harness tests run under Node, not jest.
  testPathIgnorePatterns: ['/node_modules/', '<rootDir>/harness/'],
};
