/** Black-box tests of the built GraphQL service on a Postgres container. */
module.exports = require('../../tools/jest/e2e.config')(__dirname, 'graphql-e2e');
