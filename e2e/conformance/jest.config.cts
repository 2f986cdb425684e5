/** The scenario table of docs/conformance.md, run through all five protocols on one Postgres container. */
const { join } = require('node:path');

module.exports = {
  displayName: 'conformance-e2e',
  preset: '../../jest.preset.js',
  rootDir: __dirname,
  testRegex: '\\.e2e-spec\\.ts$',
  globalSetup: '../../libs/testing/src/postgres.global-setup.ts',
  globalTeardown: '../../libs/testing/src/postgres.global-teardown.ts',
  testTimeout: 60_000,
  reporters: [
    'default',
    join(__dirname, '../../tools/jest/summary-reporter.js'),
    join(__dirname, 'matrix-reporter.js'),
  ],
};
