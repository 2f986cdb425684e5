module.exports = {
  displayName: 'soap',
  preset: '../../jest.preset.js',
  rootDir: __dirname,
};
