/** Black-box tests of the built SOAP service on a Postgres container. */
module.exports = {
  displayName: 'soap-e2e',
  preset: '../../jest.preset.js',
  rootDir: __dirname,
  testRegex: '\\.e2e-spec\\.ts$',
  globalSetup: '../../libs/testing/src/postgres.global-setup.ts',
  globalTeardown: '../../libs/testing/src/postgres.global-teardown.ts',
  testTimeout: 60_000,
};
