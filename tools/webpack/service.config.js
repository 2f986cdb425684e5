// The webpack build every service shares: one Node bundle in dist/apps/<name>,
// workspace libraries bundled in, node_modules left external, and the
// committed migrations copied beside the bundle (persistence finds them there).
const { NxAppWebpackPlugin } = require('@nx/webpack/app-plugin');
const { join } = require('path');

/**
 * SWC compiles the TypeScript (docs/adr/0005-build-with-swc.md). Nx's loader
 * options leave out the target, so SWC would emit ES5; this compiles for the
 * Node the project runs on, with the class semantics of tsconfig.base.json
 * (legacy decorators with their metadata, which Nest's injection reads, and
 * `useDefineForClassFields: false`), as the Jest preset does.
 */
class SwcForNode {
  apply(compiler) {
    for (const rule of compiler.options.module.rules) {
      if (!rule || typeof rule.loader !== 'string' || !rule.loader.includes('swc-loader')) continue;
      rule.options = {
        ...rule.options,
        jsc: {
          ...rule.options.jsc,
          target: 'es2023',
          loose: false,
          keepClassNames: true,
          parser: { syntax: 'typescript', decorators: true },
          transform: {
            legacyDecorator: true,
            decoratorMetadata: true,
            useDefineForClassFields: false,
          },
        },
        sourceMaps: true,
      };
    }
  }
}

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
        compiler: 'swc',
        // `nx typecheck` checks types, in CI and in the editor; the build only compiles.
        typeCheckOptions: false,
        main: './src/main.ts',
        additionalEntryPoints: options.additionalEntryPoints ?? [],
        tsConfig: './tsconfig.app.json',
        assets: [
          { input: 'libs/persistence/migrations', glob: '**/*', output: 'migrations' },
          ...assets,
        ],
        optimization: false,
        outputHashing: 'none',
        // A package.json and lock file with only what the bundle imports, for its image.
        generatePackageJson: true,
        sourceMap: true,
      }),
      new SwcForNode(),
    ],
  };
};
