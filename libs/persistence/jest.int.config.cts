/** Integration tests: the store and the event feed on PGlite and on a Postgres container. */
module.exports = {
  displayName: 'persistence:int',
  preset: '../../jest.preset.js',
  rootDir: __dirname,
  testRegex: '\\.int-spec\\.ts$',
  globalSetup: '../testing/src/postgres.global-setup.ts',
  globalTeardown: '../testing/src/postgres.global-teardown.ts',
  testTimeout: 60_000,
};
