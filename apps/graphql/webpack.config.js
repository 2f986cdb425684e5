const serviceWebpackConfig = require('../../tools/webpack/service.config');

// GraphiQL and the React it runs on, served by the service itself (graphiql.ts): no CDN.
module.exports = serviceWebpackConfig('graphql', [
  { input: 'node_modules/graphiql', glob: 'graphiql.min.{js,css}', output: 'graphiql' },
  { input: 'node_modules/react/umd', glob: 'react.production.min.js', output: 'graphiql' },
  { input: 'node_modules/react-dom/umd', glob: 'react-dom.production.min.js', output: 'graphiql' },
]);
