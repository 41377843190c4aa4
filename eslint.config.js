// Lint encodes the architecture: the domain is pure (no I/O, no outer layers), promises are
// never left floating, and switches over unions are exhaustive.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['node_modules/', 'data/', 'dist/', 'coverage/', 'web/dist/'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: { allowDefaultProject: ['bin/*.js', 'eslint.config.js'] }, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': [
        'error',
        { considerDefaultExhaustiveForUnions: true, requireDefaultForNonUnion: false },
      ],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-console': 'error',
    },
  },
  {
    files: ['src/domain/**/*.ts'],
    ignores: ['**/*.test.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['node:*', 'fs', 'fs/*', 'path', 'http', 'https', 'net', 'child_process', 'os', 'process'],
              message: 'src/domain is pure: no I/O or process access. Do it in src/app and pass the result in.',
            },
            {
              group: ['**/storage/**', '**/http/**', '**/app/**', '**/worker/**', '**/integrations/**', '**/cli/**'],
              message: 'src/domain may not import outer layers.',
            },
            {
              group: [
                'pg',
                'pg-*',
                '@electric-sql/*',
                'drizzle-orm',
                'drizzle-orm/*',
                'kysely',
                'hono',
                'hono/*',
                'nodemailer',
                'pino',
                'commander',
                'undici',
              ],
              message: 'src/domain may not import I/O libraries.',
            },
          ],
        },
      ],
      'no-restricted-globals': [
        'error',
        { name: 'process', message: 'src/domain is pure.' },
        { name: 'fetch', message: 'src/domain is pure.' },
        { name: 'Date', message: 'src/domain has no clock: take the time as an argument, and use Temporal for dates.' },
      ],
      'no-restricted-properties': ['error', { object: 'Math', property: 'random', message: 'src/domain is deterministic.' }],
    },
  },
  {
    // Routes and CLI commands read and write through use cases (src/app): tenant scoping and permission checks live there.
    files: ['src/http/routes/**/*.ts', 'src/cli/**/*.ts'],
    ignores: ['**/*.test.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['**/storage/**'],
              allowTypeImports: true,
              message: 'Routes and CLI commands go through a use case in src/app (reads too), never src/storage.',
            },
            {
              group: ['drizzle-orm', 'drizzle-orm/*', 'pg', '@electric-sql/*'],
              message: 'Routes and CLI commands do not query the database: call a use case in src/app.',
            },
          ],
        },
      ],
      'no-restricted-syntax': [
        'error',
        {
          selector: 'ImportExpression[source.value=/\\/storage\\//]',
          message: 'Routes and CLI commands go through a use case in src/app (reads too), never src/storage.',
        },
      ],
    },
  },
  {
    files: ['**/*.test.ts', 'test/**/*.ts'],
    rules: { '@typescript-eslint/no-non-null-assertion': 'off', 'no-console': 'off' },
  },
  { files: ['test/bench/**/*.ts'], rules: { 'no-console': 'off' } },
  {
    files: ['bin/*.js'],
    ...tseslint.configs.disableTypeChecked,
    languageOptions: { globals: { process: 'readonly', URL: 'readonly' } },
  },
);
