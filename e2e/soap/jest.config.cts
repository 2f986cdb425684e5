/** Black-box tests of the built SOAP service on a Postgres container. */
module.exports = require('../../tools/jest/e2e.config')(__dirname, 'soap-e2e');
