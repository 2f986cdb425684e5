// The webpack build every service shares: one Node bundle in dist/apps/<name>,
// workspace libraries bundled in, node_modules left external, and the
// committed migrations copied beside the bundle (persistence finds them there).
const { NxAppWebpackPlugin } = require('@nx/webpack/app-plugin');
const { join } = require('path');

/**
 * @param {string} name the app's name
 * @param {{ input: string, glob: string, output: string }[]} [assets] more files to copy beside the bundle
 * @param {{ outputPath?: string, additionalEntryPoints?: { entryName: string, entryPath: string }[] }} [options]
 *   another output folder than dist/apps/<name>, and more bundles beside main.js
 */
module.exports = function serviceWebpackConfig(name, assets = [], options = {}) {
  return {
    output: {
      path: options.outputPath ?? join(__dirname, '../../dist/apps', name),
      clean: true,
      ...(process.env.NODE_ENV !== 'production' && {
        devtoolModuleFilenameTemplate: '[absolute-resource-path]',
      }),
    },
    // Keep __dirname the bundle's own folder, where the migrations are.
    node: { __dirname: false },
    plugins: [
      new NxAppWebpackPlugin({
        target: 'node',
        compiler: 'tsc',
        main: './src/main.ts',
        additionalEntryPoints: options.additionalEntryPoints ?? [],
        tsConfig: './tsconfig.app.json',
        assets: [
          { input: 'libs/persistence/migrations', glob: '**/*', output: 'migrations' },
          ...assets,
        ],
        optimization: false,
        outputHashing: 'none',
        generatePackageJson: false,
        sourceMap: true,
      }),
    ],
  };
};
