// `npm start`'s launcher, bundled like the services.
const { join } = require('path');
const serviceWebpackConfig = require('../../tools/webpack/service.config');

module.exports = serviceWebpackConfig('system', [], {
  outputPath: join(__dirname, '../../dist/tools/system'),
});
