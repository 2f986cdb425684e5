/** Faults and hostile clients against the five built services on Postgres containers. */
module.exports = {
  ...require('../../tools/jest/e2e.config')(__dirname, 'resilience-e2e'),
  // One file at a time: the memory and latency figures are the service's, not a neighbour's.
  maxWorkers: 1,
  testTimeout: 120_000,
};
