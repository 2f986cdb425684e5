module.exports = {
  displayName: 'clients',
  preset: '../../jest.preset.js',
  rootDir: __dirname,
};
