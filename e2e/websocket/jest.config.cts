/** Black-box tests of the built WebSocket service on a Postgres container. */
module.exports = require('../../tools/jest/e2e.config')(__dirname, 'websocket-e2e');
