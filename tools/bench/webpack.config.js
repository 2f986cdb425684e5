// The benchmark runner and the bare Fastify baseline, bundled like the services.
const { join } = require('path');
const serviceWebpackConfig = require('../../tools/webpack/service.config');

module.exports = serviceWebpackConfig('bench', [], {
  outputPath: join(__dirname, '../../dist/tools/bench'),
  additionalEntryPoints: [
    { entryName: 'baseline', entryPath: 'tools/bench/src/baseline.ts' },
    { entryName: 'write-path', entryPath: 'tools/bench/src/write-path.ts' },
    { entryName: 'fan-out', entryPath: 'tools/bench/src/fan-out.ts' },
    { entryName: 'tracing-cost', entryPath: 'tools/bench/src/tracing-cost.ts' },
  ],
});
