module.exports = {
  displayName: 'explorer',
  preset: '../../jest.preset.js',
  rootDir: __dirname,
};
