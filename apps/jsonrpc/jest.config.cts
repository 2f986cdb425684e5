module.exports = {
  displayName: 'jsonrpc',
  preset: '../../jest.preset.js',
  rootDir: __dirname,
};
