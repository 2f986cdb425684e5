/** `npm start` as a user runs it: the five services on one database, embedded or Postgres. */
module.exports = require('../../tools/jest/e2e.config')(__dirname, 'system-e2e');
