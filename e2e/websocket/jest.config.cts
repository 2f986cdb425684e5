/** Black-box tests of the built WebSocket service on a Postgres container. */
module.exports = {
  displayName: 'websocket-e2e',
  preset: '../../jest.preset.js',
  rootDir: __dirname,
  testRegex: '\\.e2e-spec\\.ts$',
  globalSetup: '../../libs/testing/src/postgres.global-setup.ts',
  globalTeardown: '../../libs/testing/src/postgres.global-teardown.ts',
  testTimeout: 60_000,
};
