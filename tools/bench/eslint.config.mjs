import baseConfig from '../../eslint.config.mjs';

export default [
  ...baseConfig,
  {
    files: ['src/**/*.ts'],
    rules: {
      // The benchmark indexes lists it built itself (seeded ids, its own measurements).
      '@typescript-eslint/no-non-null-assertion': 'off',
    },
  },
];
