// Maps the tsconfig.base.json path aliases for Jest, so tests import libraries
// exactly as the applications do.
const { join } = require('node:path');
const { compilerOptions } = require('../../tsconfig.base.json');

const root = join(__dirname, '../..');
module.exports = Object.fromEntries(
  Object.entries(compilerOptions.paths).map(([alias, [target]]) => [
    `^${alias.replace(/[/.]/g, '\\$&')}$`,
    join(root, target),
  ]),
);
