// Shared Jest settings: SWC compiles TypeScript (with decorator metadata, which
// Nest's constructor injection needs), and every run reports its counts to
// tmp/test-results so that `npm test` can print one total over all projects.
const { join } = require('node:path');

module.exports = {
  testEnvironment: 'node',
  moduleFileExtensions: ['ts', 'js', 'json'],
  transform: {
    '^.+\\.(t|j)s$': [
      '@swc/jest',
      {
        jsc: {
          target: 'es2022',
          parser: { syntax: 'typescript', decorators: true },
          transform: {
            legacyDecorator: true,
            decoratorMetadata: true,
            useDefineForClassFields: false,
          },
          keepClassNames: true,
        },
        // Dynamic import() stays native, so ESM-only packages load (Jest runs with --experimental-vm-modules).
        module: { type: 'commonjs', ignoreDynamic: true },
        sourceMaps: 'inline',
      },
    ],
  },
  moduleNameMapper: require('./tools/jest/path-aliases.js'),
  reporters: ['default', join(__dirname, 'tools/jest/summary-reporter.js')],
};
