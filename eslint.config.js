// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import prettier from 'eslint-config-prettier';
import globals from 'globals';

export default tseslint.config(
  { ignores: ['node_modules/', 'dist/', 'data/', '.cache/', 'test-results/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  prettier,
  {
    languageOptions: { globals: { ...globals.node, ...globals.browser, ...globals.mocha } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-syntax': [
        'error',
        {
          selector:
            "CallExpression[callee.object.name=/^(it|describe|context)$/][callee.property.name='only']",
          message: 'no focused tests',
        },
        {
          selector:
            "CallExpression[callee.object.name=/^(it|describe|context)$/][callee.property.name='skip']",
          message: 'no skipped tests',
        },
      ],
    },
  },
  // layering: the engine sees the database only through its ports (server/engine/stores.ts) and knows no
  // transport; role rules (server/policy) and the application's ports (server/ports) likewise; HTTP handlers,
  // sockets and sign-in reach the database through the ports (server/ports), never persistence or mongoose
  {
    files: ['server/engine/**/*.ts', 'server/policy/**/*.ts', 'server/ports/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['**/persistence/**', '**/http/**', '**/realtime/**'],
              message:
                'the engine and the policy use ports (server/engine/stores.ts), never persistence, http or realtime',
            },
            {
              group: ['express', 'mongoose', 'mongodb', 'socket.io', 'socket.io-client'],
              message: 'the engine and the policy know no database driver and no transport',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['server/http/**/*.ts', 'server/realtime/**/*.ts', 'server/auth/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['**/persistence/**'],
              message:
                'HTTP, sockets and sign-in use the ports (server/ports, server/engine/stores.ts), never persistence',
            },
            {
              group: ['mongoose', 'mongodb'],
              message: 'HTTP, sockets and sign-in reach the database through the ports, never mongoose',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['**/*.cjs'],
    languageOptions: { sourceType: 'commonjs' },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
);
