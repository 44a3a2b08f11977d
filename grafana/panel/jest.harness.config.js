// The Chromium harness (tests/harness.test.ts): Node environment, real browser; after `npm run build`.
const base = require('./jest.config');

module.exports = {
  transform: base.transform,
  testEnvironment: 'node',
  testMatch: ['<rootDir>/tests/harness.test.ts'],
  testPathIgnorePatterns: ['/node_modules/'],
};
