const serviceWebpackConfig = require('../../tools/webpack/service.config');

// The page (`nx page explorer` bundles it into dist/apps/explorer-page) goes
// beside the service's bundle, so that the bundle and its image serve it.
module.exports = serviceWebpackConfig('explorer', [
  { input: 'dist/apps/explorer-page', glob: '**/*', output: 'page' },
]);
