// The webpack build every service shares: one Node bundle in dist/apps/<name>,
// workspace libraries bundled in, node_modules left external, and the
// committed migrations copied beside the bundle (persistence finds them there).
const { NxAppWebpackPlugin } = require('@nx/webpack/app-plugin');
const { join } = require('path');

/**
 * @param {string} name the app's name
 * @param {{ input: string, glob: string, output: string }[]} [assets] more files to copy beside the bundle
 */
module.exports = function serviceWebpackConfig(name, assets = []) {
  return {
    output: {
      path: join(__dirname, '../../dist/apps', name),
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
