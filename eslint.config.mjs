import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: [
      'node_modules/**',
      'dist/**',
      'build/**',
      'cdk.out/**',
      'k8s/imports/**',
      'lib/k8s/schemas/**',
      '**/.scratch/**',
      'coverage/**',
      'bench/results/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    // aws-cdk-lib's root index re-exports every service module, and cdk-nag's types import it: either
    // makes every TypeScript program over the project (type-check, build, TypeDoc) read ~2,600
    // aws-cdk-lib .d.ts files instead of ~860 (type-check 13 -> 9 s CPU). Users' programs
    // (examples/consumers) import as users do.
    files: ['lib/**/*.ts', 'test/**/*.ts', 'stacks/**/*.ts', 'bench/**/*.ts', 'k8s/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            { name: 'aws-cdk-lib', message: "Import from 'aws-cdk-lib/core' or a service module." },
            { name: 'cdk-nag', message: 'Use nagPackClasses() from lib/aws/nag.ts (it says why).' },
          ],
        },
      ],
    },
  },
  {
    files: ['**/*.js', '**/*.cjs'],
    rules: { '@typescript-eslint/no-require-imports': 'off' },
    languageOptions: { globals: { module: 'writable', require: 'readonly', __dirname: 'readonly' } },
  },
);
