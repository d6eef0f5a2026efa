// Lint: typescript-eslint's recommended rules, plus the layering of DESIGN.md: renderer and
// shared never import main or node; src never logs through console.
import tseslint from 'typescript-eslint';

const nodeOnly = ['node:*', 'fs', 'path', 'child_process', 'net', 'os', 'crypto', 'electron'];

export default tseslint.config(
  { ignores: ['out/**', 'native/**', 'node_modules/**'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['src/**/*.ts', 'src/**/*.tsx'],
    rules: { 'no-console': 'error' },
  },
  {
    files: ['src/renderer/**/*.{ts,tsx}', 'src/shared/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['**/main/**', '../main/*', '../../main/*'], message: 'renderer and shared never import main' },
            { group: nodeOnly, message: 'renderer and shared run without node' },
          ],
        },
      ],
    },
  },
);
