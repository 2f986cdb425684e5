import baseConfig from '../../eslint.config.mjs';

export default [
  ...baseConfig,
  {
    files: ['**/*.ts'],
    rules: {
      // A client depends on the contract's types, never on the domain's code (ARCHITECTURE.md).
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          paths: [
            {
              name: '@bookshop/domain',
              allowTypeImports: true,
              message: 'Clients import the domain’s types only.',
            },
          ],
        },
      ],
    },
  },
];
