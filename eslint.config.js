// Lint: TypeScript-aware rules, `any` forbidden everywhere.
import js from '@eslint/js'
import tseslint from 'typescript-eslint'

export default tseslint.config(
  { ignores: ['dist/', 'lib/', 'node_modules/', 'coverage/', '__tests__/fixtures/', '.tools/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    // nerdctl-action scripts: the body of an async function with these in scope
    // (github-script's core, exec, glob, io and require among them).
    files: ['examples/**/*.js', '.github/scripts/**/*.js'],
    languageOptions: {
      parserOptions: { ecmaFeatures: { globalReturn: true } },
      globals: {
        nerdctl: 'readonly',
        core: 'readonly',
        exec: 'readonly',
        glob: 'readonly',
        io: 'readonly',
        require: 'readonly',
        inputs: 'readonly'
      }
    },
    rules: { '@typescript-eslint/no-require-imports': 'off' }
  },
  {
    languageOptions: {
      globals: {
        process: 'readonly',
        console: 'readonly',
        setTimeout: 'readonly',
        URL: 'readonly',
        Buffer: 'readonly'
      }
    },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }]
    }
  }
)
