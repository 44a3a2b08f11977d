// Tests of the built plugin (dist/): run after `npm run build`.
const base = require('./jest.config');

module.exports = {
  ...base,
  testMatch: ['<rootDir>/tests/dist.test.tsx'],
  testPathIgnorePatterns: ['/node_modules/'],
};
