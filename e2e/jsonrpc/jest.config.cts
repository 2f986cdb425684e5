/** Black-box tests of the built JSON-RPC service on a Postgres container. */
module.exports = require('../../tools/jest/e2e.config')(__dirname, 'jsonrpc-e2e');
