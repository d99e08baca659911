import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

/**
 * The project's lint rules: eslint's and typescript-eslint's recommended sets everywhere,
 * plus, for the product code, the type-aware rules that catch a promise nobody awaits (an
 * append whose failure would go unseen) and the line length prettier cannot fix (long
 * strings and comments). The import graph's rules live in .dependency-cruiser.cjs.
 */
export default tseslint.config(
  { ignores: ['node_modules/', 'data/', 'coverage/'] },
  js.configs.recommended,
  tseslint.configs.recommended,
  { languageOptions: { globals: { ...globals.node } } },
  {
    rules: {
      // A leading underscore marks a value left unused on purpose (`_exhaustive: never`, a field dropped by destructuring).
      '@typescript-eslint/no-unused-vars': [
        'error',
        {
          argsIgnorePattern: '^_',
          varsIgnorePattern: '^_',
          caughtErrorsIgnorePattern: '^_',
          destructuredArrayIgnorePattern: '^_',
          ignoreRestSiblings: true,
        },
      ],
    },
  },
  {
    files: ['src/**/*.ts', 'events/**/*.ts', 'projections/**/*.ts'],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
    },
  },
  {
    files: ['src/**', 'events/**', 'projections/**', 'bin/**'],
    rules: {
      // A regular expression reads best on one line; everything else is split (prettier does code, people do strings).
      'max-len': ['error', { code: 140, ignoreRegExpLiterals: true }],
    },
  },
);
