const serviceWebpackConfig = require('../../tools/webpack/service.config');

// The hand-written WSDL travels beside the bundle, where the service reads it.
module.exports = serviceWebpackConfig('soap', [
  { input: 'apps/soap/src/wsdl', glob: 'bookshop.wsdl', output: 'wsdl' },
]);
