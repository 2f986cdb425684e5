/** Black-box tests of the built REST service on a Postgres container. */
module.exports = require('../../tools/jest/e2e.config')(__dirname, 'rest-e2e');
