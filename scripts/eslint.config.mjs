// ESLint's flat config, kept with the scripts (the repository's top level holds only what
// the project layout names); `npm run lint` and scripts/test.mjs point ESLint at it.
// Type-aware rules catch what the compiler does not: promises nobody awaits or handles,
// a switch over a union that forgets a member, a promise passed where a callback's result
// is ignored, and type-only imports written as value imports.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import tseslint from 'typescript-eslint';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

export default tseslint.config(
  {
    basePath: root,
    ignores: ['**/dist/**', '**/node_modules/**', 'media/**', '.tools/**', 'out/**', '.test-output/**', '.bench/**', 'src/templates/patchbay-plugin.d.ts'],
  },
  {
    basePath: root,
    files: ['src/**/*.ts', 'plugins/*/src/**/*.ts', 'test/**/*.ts', 'src/templates/**/*.js'],
    extends: [tseslint.configs.base],
    languageOptions: { parserOptions: { projectService: true } },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': ['error', { considerDefaultExhaustiveForUnions: false, requireDefaultForNonUnion: false }],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
    },
  },
);
