import nx from '@nx/eslint-plugin';
import tseslint from 'typescript-eslint';
import importX from 'eslint-plugin-import-x';
import prettier from 'eslint-config-prettier';

/**
 * The arrows of ARCHITECTURE.md as lint rules. `bannedExternalImports` keeps
 * the domain free of frameworks and drivers; the tag constraints keep apps
 * from importing each other and libraries from importing upwards.
 */
const depConstraints = [
  {
    sourceTag: 'type:domain',
    onlyDependOnLibsWithTags: ['type:domain'],
    bannedExternalImports: [
      '@nestjs/*',
      'pg',
      'pg-*',
      'drizzle-orm',
      'drizzle-orm/*',
      '@electric-sql/*',
      'graphql',
      'graphql-*',
      'soap',
      'ws',
      'fastify',
      '@fastify/*',
      'node:*',
    ],
  },
  { sourceTag: 'type:data', onlyDependOnLibsWithTags: ['type:domain', 'type:data'] },
  {
    sourceTag: 'type:platform',
    onlyDependOnLibsWithTags: ['type:domain', 'type:data', 'type:platform'],
  },
  { sourceTag: 'type:app', onlyDependOnLibsWithTags: ['type:domain', 'type:platform'] },
  // The explorer calls the five services the way their users do: through the clients.
  {
    sourceTag: 'type:explorer',
    onlyDependOnLibsWithTags: ['type:domain', 'type:platform', 'type:client'],
  },
  { sourceTag: 'type:client', onlyDependOnLibsWithTags: ['type:domain'] },
  {
    sourceTag: 'type:tool',
    onlyDependOnLibsWithTags: ['type:domain', 'type:data', 'type:testing', 'type:client'],
  },
  {
    sourceTag: 'type:testing',
    onlyDependOnLibsWithTags: [
      'type:domain',
      'type:data',
      'type:platform',
      'type:testing',
      'type:client',
    ],
  },
  {
    sourceTag: 'type:e2e',
    onlyDependOnLibsWithTags: [
      'type:domain',
      'type:data',
      'type:platform',
      'type:testing',
      'type:client',
    ],
  },
];

/** Tests read untyped JSON off the wire and build fakes of async ports. */
export const blackBoxTestRules = {
  '@typescript-eslint/unbound-method': 'off',
  '@typescript-eslint/no-non-null-assertion': 'off',
  '@typescript-eslint/no-explicit-any': 'off',
  '@typescript-eslint/no-unsafe-assignment': 'off',
  '@typescript-eslint/no-unsafe-member-access': 'off',
  '@typescript-eslint/no-unsafe-call': 'off',
  '@typescript-eslint/no-unsafe-argument': 'off',
  '@typescript-eslint/no-unsafe-return': 'off',
  '@typescript-eslint/require-await': 'off',
};

export default [
  ...nx.configs['flat/base'],
  ...nx.configs['flat/typescript'],
  ...nx.configs['flat/javascript'],
  {
    ignores: [
      '**/dist',
      '**/out-tsc',
      '**/tmp',
      '**/coverage',
      '**/node_modules',
      '**/migrations/**',
    ],
  },
  {
    files: ['**/*.ts', '**/*.js', '**/*.cjs', '**/*.mjs', '**/*.cts'],
    rules: {
      '@nx/enforce-module-boundaries': [
        'error',
        {
          enforceBuildableLibDependency: true,
          // Build and test configs may use the workspace's own helpers.
          allow: [
            '^.*/eslint(\\.base)?\\.config\\.[cm]?[jt]s$',
            '^.*/tools/webpack/.*$',
            '^.*/tools/jest/.*$',
          ],
          depConstraints,
        },
      ],
    },
  },
  ...tseslint.configs.recommendedTypeChecked.map((config) => ({ ...config, files: ['**/*.ts'] })),
  {
    files: ['**/*.ts'],
    plugins: { 'import-x': importX },
    settings: { 'import-x/ignore': ['node_modules'] },
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/consistent-type-imports': [
        'error',
        { fixStyle: 'inline-type-imports', disallowTypeAnnotations: false },
      ],
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
      'import-x/no-cycle': ['error', { ignoreExternal: true }],
    },
  },
  {
    files: [
      '**/*.spec.ts',
      '**/*.int-spec.ts',
      '**/*.e2e-spec.ts',
      'e2e/**/*.ts',
      '**/testing/**/*.ts',
    ],
    rules: blackBoxTestRules,
  },
  prettier,
];
