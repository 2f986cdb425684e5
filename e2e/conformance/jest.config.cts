/** The scenario table of docs/conformance.md, run through all five protocols on one Postgres container. */
const { join } = require('node:path');

module.exports = require('../../tools/jest/e2e.config')(__dirname, 'conformance-e2e', {
  reporters: [join(__dirname, 'matrix-reporter.js')],
});
