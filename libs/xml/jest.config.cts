module.exports = {
  displayName: 'xml',
  preset: '../../jest.preset.js',
  rootDir: __dirname,
};
