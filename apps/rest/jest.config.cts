module.exports = {
  displayName: 'rest',
  preset: '../../jest.preset.js',
  rootDir: __dirname,
};
