// The Jest settings every black-box suite shares: the built services are
// started by the tests, Postgres by the global setup (one container a run).
const { join, relative } = require('node:path');

const root = join(__dirname, '../..');

/**
 * @param {string} dir the suite's folder (its `__dirname`)
 * @param {string} name the Nx project, shown as the suite's display name
 * @param {{ reporters?: string[] }} [more] reporters to run besides the shared ones
 */
module.exports = function e2eConfig(dir, name, more = {}) {
  return {
    displayName: name,
    // Jest resolves a preset given as a path relative to rootDir, not an absolute one.
    preset: `./${relative(dir, join(root, 'jest.preset.js'))}`,
    rootDir: dir,
    testRegex: '\\.e2e-spec\\.ts$',
    globalSetup: join(root, 'libs/testing/src/postgres.global-setup.ts'),
    globalTeardown: join(root, 'libs/testing/src/postgres.global-teardown.ts'),
    testTimeout: 60_000,
    ...(more.reporters && {
      reporters: ['default', join(__dirname, 'summary-reporter.js'), ...more.reporters],
    }),
  };
};
