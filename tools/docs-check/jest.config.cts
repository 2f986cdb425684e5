module.exports = {
  displayName: 'docs-check',
  preset: '../../jest.preset.js',
  rootDir: __dirname,
};
