/** The compose file brought up from the service images (`nx e2e-compose system-e2e`). */
const base = require('../../tools/jest/e2e.config')(__dirname, 'system-e2e:compose');

module.exports = { ...base, testRegex: '\\.containers-spec\\.ts$', testTimeout: 180_000 };
