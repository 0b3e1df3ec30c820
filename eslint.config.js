// Lint runs inside `npm test`; type-aware rules stay off so that lint is quick.
import js from '@eslint/js';
import {createNodeResolver, importX} from 'eslint-plugin-import-x';
import tseslint from 'typescript-eslint';

/** Packages that reach the outside world: only src/adapters imports them. */
const OUTSIDE_WORLD_PACKAGES = ['execa', '@kubernetes/client-node'];

/**
 * The layers of src/, as docs/ARCHITECTURE.md draws them: each zone names a layer and the
 * layers it must not import. Lower layers never reach up, and src/errors.ts is the leaf
 * every layer may import.
 */
const LAYER_ZONES = [
  {
    target: './src/core',
    from: ['./src/base', './src/actions', './src/adapters', './src/ui', './src/commands', './src/index.ts',
      './src/package-root.ts'],
    message: 'src/core is pure: it takes what adapters read as arguments and never imports the layers above it.',
  },
  {
    target: ['./src/adapters', './src/ui'],
    from: ['./src/base', './src/actions', './src/commands', './src/index.ts'],
    message: 'Adapters and printers serve actions and commands; they never import them.',
  },
  {
    target: './src/actions',
    from: ['./src/base', './src/commands', './src/index.ts'],
    message:
      'Actions take their dependencies as arguments; the command layer (src/base, src/commands) calls them, not the other way.',
  },
];

export default tseslint.config(
  {ignores: ['dist/', 'node_modules/', 'schemas/', '.sparc-mesh-test/', 'coverage/']},
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      globals: {process: 'readonly', console: 'readonly', URL: 'readonly', setTimeout: 'readonly',
        clearTimeout: 'readonly', Buffer: 'readonly'},
    },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', {argsIgnorePattern: '^_', varsIgnorePattern: '^_'}],
    },
  },
  {
    // bin/ is CommonJS (bin/package.json), so that the CLI starts without the ES module loader.
    files: ['bin/**/*.js'],
    languageOptions: {sourceType: 'commonjs',
      globals: {require: 'readonly', module: 'writable', __dirname: 'readonly', __filename: 'readonly'}},
    rules: {'@typescript-eslint/no-require-imports': 'off'},
  },
  {
    // The boundary rule: what keeps the layout of docs/ARCHITECTURE.md true.
    files: ['src/**/*.ts'],
    plugins: {'import-x': importX},
    settings: {
      'import-x/extensions': ['.ts', '.js'],
      'import-x/parsers': {'@typescript-eslint/parser': ['.ts']},
      // Sources import each other as `./x.js`, which TypeScript resolves to `./x.ts`.
      'import-x/resolver-next': [createNodeResolver({extensionAlias: {'.js': ['.ts', '.js']}})],
    },
    rules: {
      'import-x/no-restricted-paths': ['error', {zones: LAYER_ZONES}],
      // Dynamic imports count (a lazy import is still a dependency); `import type` does not, as it
      // leaves nothing at run time.
      'import-x/no-cycle': ['error', {ignoreExternal: true}],
    },
  },
  {
    files: ['src/**/*.ts'],
    ignores: ['src/adapters/**', 'src/core/**'],
    rules: {
      'no-restricted-imports': ['error', {paths: OUTSIDE_WORLD_PACKAGES}],
    },
  },
  {
    // Core is deterministic: no I/O, so no Node built-in but the pure ones.
    files: ['src/core/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {paths: OUTSIDE_WORLD_PACKAGES}],
      'import-x/no-nodejs-modules': ['error', {allow: ['node:crypto', 'node:util']}],
    },
  },
);
